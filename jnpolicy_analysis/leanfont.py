"""A faster face of the CJK font for the charts: Noto Sans CJK SC taken out of the collection,
without its layout tables.

matplotlib embeds the font of every PDF it writes as a subset, and fontTools' subsetter reads the
whole font each time: for the 19 MB collection of noto-cjk-sans-otc that is most of the time a PDF
export takes (about 3 s a figure on the 2-core machine). The face written here holds every glyph
of the SC face with the same outlines and advance widths, but not the OpenType layout tables
(GSUB, GPOS, GDEF, BASE) nor the vertical metrics, which matplotlib does not use: the glyphs it
draws are the same, and a PDF export takes about 40 % less time. It is made once per machine in
the user's cache folder (``$XDG_CACHE_HOME/jnpolicy_analysis``, or ``$JNPOLICY_FONT_CACHE``) and
used from then on; if it cannot be made, the collection is used as before.

Only the PDF export uses it (``pdf_font``, around ``savefig``): the PNG and SVG keep the
collection, so the pictures are the very pixels they were.

A figure whose every character is one the project's own texts use (the gazette, the data folder,
the chart labels: ``project_characters``, about 2,000 characters) is embedded from a smaller face
still, the lean face cut to those characters (``common_cjk_font``): the subsetter then reads a
font a fifteenth of the size, and a PDF export takes a fraction of the time. A figure with any
other character (a new document's rare character) uses the lean face, which has them all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

DROP = ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx")


def cache_dir() -> Path:
    env = os.environ.get("JNPOLICY_FONT_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jnpolicy_analysis"


@functools.cache
def lean_cjk_font() -> Path | None:
    """The layout-free SC face (made on first use), or None without the bundled collection or
    where it cannot be written."""
    from filelock import FileLock
    from fontTools import version as fonttools_version

    from .charts.style import _bundled_font

    source = _bundled_font()
    if source is None:
        return None
    stat = source.stat()
    key = hashlib.sha256(
        f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{fonttools_version}|{DROP}".encode()
    ).hexdigest()[:12]
    folder = cache_dir()
    out = folder / f"NotoSansCJKsc-Regular-lean-{key}.otf"
    if out.is_file():
        return out
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(out.with_suffix(".lock")), timeout=120):
            if not out.is_file():
                _build(source, out)
    except Exception:  # a read-only home, a full disk: the collection does as well, slower
        return None
    return out


def _build(source: Path, out: Path) -> None:
    from fontTools.ttLib import TTCollection

    from .webfont import _sc_index

    face = TTCollection(str(source)).fonts[_sc_index(str(source))]
    for tag in DROP:
        if tag in face:
            del face[tag]
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    face.save(str(tmp))
    os.replace(tmp, out)


# always in the common face: printable ASCII and the punctuation, digits and symbols charts use
_ALWAYS = (
    "".join(chr(c) for c in range(0x20, 0x7F)) + "，。、；：？！“”‘’（）《》〔〕【】—–…·％×÷≤≥±−～ "
)


def project_characters() -> frozenset[str]:
    """Every character of the project's own texts: the gazette and other sources, the data
    folder's YAML and CSV, and the package's Python (the chart labels), with ``_ALWAYS``."""
    from .paths import DATA_DIR, PACKAGE_DIR, SOURCES_DIR

    chars = set(_ALWAYS)
    files = [
        *sorted(SOURCES_DIR.glob("*.txt")),
        *sorted(DATA_DIR.rglob("*.yaml")),
        *sorted(DATA_DIR.rglob("*.csv")),
        *sorted(PACKAGE_DIR.rglob("*.py")),
    ]
    for f in files:
        try:
            chars.update(f.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    # every character but controls and unassigned code points (spaces such as U+3000 are kept)
    return frozenset(ch for ch in chars if not unicodedata.category(ch).startswith("C"))


@functools.cache
def common_cjk_font() -> tuple[Path, frozenset[str]] | None:
    """(the lean face cut to ``project_characters``, the characters it has), made on first use
    and kept in the cache folder under a name keyed by its characters; None where the lean face
    is missing or the cut cannot be written."""
    from filelock import FileLock

    lean = lean_cjk_font()
    if lean is None:
        return None
    chars = project_characters()
    key = hashlib.sha256(("".join(sorted(chars)) + lean.name).encode()).hexdigest()[:12]
    out = lean.with_name(f"NotoSansCJKsc-Regular-common-{key}.otf")
    try:
        with FileLock(str(out.with_suffix(".lock")), timeout=120):
            if not out.is_file():
                _cut(lean, out, chars)
        return out, _covered(out)
    except Exception:  # a read-only cache, a full disk: the lean face does as well, slower
        return None


def _cut(lean: Path, out: Path, chars: frozenset[str]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    font = TTFont(str(lean))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(ch) for ch in chars))
    subsetter.subset(font)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    font.save(str(tmp))
    os.replace(tmp, out)


def _covered(path: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    return frozenset(chr(c) for c in font.getBestCmap())


def _texts(fig) -> list:
    """Every Text of ``fig``, with the cells' texts of its tables (a table cell does not list its
    text among its children, so ``findobj`` misses them)."""
    from matplotlib.table import Table
    from matplotlib.text import Text

    texts = list(fig.findobj(Text))
    seen = {id(t) for t in texts}
    for table in fig.findobj(Table):
        for cell in table.get_celld().values():
            text = cell.get_text()
            if id(text) not in seen:
                seen.add(id(text))
                texts.append(text)
    return texts


@contextlib.contextmanager
def pdf_font(fig) -> Iterator[None]:
    """Within the block, every text of ``fig`` drawn with the bundled collection uses the common
    face when it has every character of the figure, else the lean face (same glyphs and advances
    either way, so the same layout); restored afterwards."""
    from matplotlib import font_manager

    from .charts.style import _bundled_font

    lean, source = lean_cjk_font(), _bundled_font()
    changed = []
    if lean is not None and source is not None:
        texts = []
        for text in _texts(fig):
            props = text.get_fontproperties()
            try:
                path = font_manager.findfont(props, fallback_to_default=False)
            except ValueError:
                continue
            if Path(path) == source:
                texts.append((text, props))
        common = common_cjk_font()
        face = lean
        if common is not None:
            used = set().union(*(t.get_text() for t, _ in texts)) - {"\n"}
            if used <= common[1]:
                face = common[0]
        for text, props in texts:
            new = props.copy()
            new.set_file(str(face))
            changed.append((text, props))
            text.set_fontproperties(new)
    try:
        yield
    finally:
        for text, props in changed:
            text.set_fontproperties(props)
