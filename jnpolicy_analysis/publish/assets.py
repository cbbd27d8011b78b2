"""One font and one stylesheet for every page of a report run, in ``assets/``: relative links,
so the report opens from disk with no network."""

from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path

from ..fonts import font_face, font_stack_rule, subset_woff, wide_characters

ASSETS = "assets"
FONT_FILE = "jnpolicy-cjk.woff"
CSS_FILE = "report.css"
# Page layout shared by every page of a run: images and wide tables stay inside the page, down to
# a phone's 390 px; a wide table scrolls in its own box.
LAYOUT = (
    "img{max-width:100%;height:auto}"
    ".jp-OutputArea-output,.jp-RenderedHTMLCommon{overflow-x:auto;max-width:100%}"
    ".jp-RenderedHTMLCommon table{display:block;overflow-x:auto;max-width:100%}"
    "@media (max-width:600px){body{margin:0;padding:0 .5em}.jp-Cell{padding:0}}"
)
_SHARE_MIN = 2000  # a <style> block this long, the same on several pages, goes to a shared file
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _link(page: Path, target: Path) -> str:
    rel = os.path.relpath(target, page.parent).replace(os.sep, "/")
    return f'<link rel="stylesheet" href="{html.escape(rel)}">'


def embed(pages: list[Path], root: Path | None = None) -> list[Path]:
    """Give the ``pages`` of a run one font and one set of styles, in files under
    ``<root>/assets/`` that every page links to (relative links: the report opens from disk, with
    no network): the Noto Sans CJK SC face subset to the characters of all pages (WOFF), the font
    stack and the layout rules (``report.css``), and each long <style> block that several pages
    repeat (nbconvert's stylesheet) written once. ``root`` defaults to the folder holding all
    pages. Returns the asset files written."""
    if not pages:
        return []
    root = Path(root) if root else Path(os.path.commonpath([str(p.parent) for p in pages]))
    assets = root / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    bodies = {p: p.read_text(encoding="utf-8") for p in pages}
    written = []
    rules = [font_stack_rule(), LAYOUT]
    data = subset_woff(wide_characters("".join(bodies.values())))
    if data:
        (assets / FONT_FILE).write_bytes(data)
        written.append(assets / FONT_FILE)
        rules.insert(0, font_face(f"'{FONT_FILE}'"))  # relative to report.css, beside it
    (assets / CSS_FILE).write_text("".join(rules), encoding="utf-8")
    written.append(assets / CSS_FILE)

    seen: dict[str, int] = {}
    for body in bodies.values():
        for css in {m.group(1) for m in _STYLE.finditer(body) if len(m.group(1)) >= _SHARE_MIN}:
            seen[css] = seen.get(css, 0) + 1
    shared = {}
    for css, count in seen.items():
        if count > 1:
            name = f"nb-{hashlib.sha256(css.encode('utf-8')).hexdigest()[:12]}.css"
            (assets / name).write_text(css, encoding="utf-8")
            written.append(assets / name)
            shared[css] = assets / name

    for page, body in bodies.items():

        def swap(m: re.Match, page: Path = page) -> str:
            target = shared.get(m.group(1))
            return _link(page, target) if target is not None else m.group(0)

        body = _STYLE.sub(swap, body)
        link = _link(page, assets / CSS_FILE)
        body = body.replace("</head>", link + "</head>", 1) if "</head>" in body else link + body
        page.write_text(body, encoding="utf-8")
    return written
