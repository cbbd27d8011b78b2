"""The gazette text travels with the project (data/sources/) and is the text sources.yaml names."""

from __future__ import annotations

import datetime as dt
import hashlib

import yaml

from jnpolicy_analysis import paths


def _source() -> dict:
    listed = yaml.safe_load(paths.SOURCES_FILE.read_text(encoding="utf-8"))["sources"]
    return next(s for s in listed if s["file"] == paths.GAZETTE_NAME)


def test_gazette_text_matches_its_sha256():
    src = _source()
    text = (paths.SOURCES_DIR / src["file"]).read_bytes()
    assert hashlib.sha256(text).hexdigest() == src["sha256"]
    text.decode("utf-8")  # UTF-8, as sources.yaml says


def test_sources_yaml_describes_the_gazette_issue():
    src = _source()
    assert src["file"] == paths.GAZETTE_NAME
    assert src["date"] == dt.date(2020, 3, 5)
    assert "济南市人民政府公报" in src["title"]
    assert "2020年第5期" in src["title"] and "总第315期" in src["title"]
    assert src["publisher"] and "public government text" in src["note"].lower()
    # the text's own masthead says the same (it prints spaces between the numbers)
    head = (paths.SOURCES_DIR / src["file"]).read_text(encoding="utf-8")[:400].replace(" ", "")
    assert "济南市人民政府公报" in head and "总第315期" in head and "2020年3月5日出版" in head


def test_gazette_is_read_from_the_checkout(monkeypatch):
    monkeypatch.delenv("JNPOLICY_GAZETTE", raising=False)
    path = paths.gazette_path()
    assert path.is_file()
    assert path.resolve().is_relative_to(paths.PROJECT_DIR.resolve())


def test_gazette_override(monkeypatch, tmp_path):
    other = tmp_path / "g.txt"
    monkeypatch.setenv("JNPOLICY_GAZETTE", str(other))
    assert paths.gazette_path() == other
