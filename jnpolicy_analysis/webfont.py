"""A CJK web font for the report pages, so Chinese text shows as glyphs in any browser, including
one on a machine with no Chinese fonts installed.

The charts are pictures and carry their glyphs; the HTML tables and headings are text and need a
font where they are read. We subset the Noto Sans CJK SC face of the font the package already uses
(PyPI's noto-cjk-sans-otc) to the characters the pages hold, and embed it in each page as a small
WOFF font (a few hundred kB rather than the 19 MB collection), written once per report run as
``assets/jnpolicy-cjk.woff`` and linked from every page through ``assets/report.css``. A reader
whose system has a CJK font keeps it: our face comes after the usual Chinese fonts in the list.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import os
import re
from pathlib import Path

FAMILY = "JNPolicy CJK"
STACK = (
    f"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','{FAMILY}',"
    "-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
)


def _font_file() -> Path | None:
    from .charts.style import _bundled_font

    return _bundled_font()


@functools.cache
def _sc_index(path: str) -> int:
    """Which face of the collection is Noto Sans CJK SC (index 0 is the Japanese one)."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for i, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == "Noto Sans CJK SC":
            return i
    return 0


def subset_woff(text: str) -> bytes | None:
    """A WOFF font holding the glyphs of ``text`` from Noto Sans CJK SC, or None without the font."""
    path = _font_file()
    if path is None:
        return None
    from fontTools import subset

    options = subset.Options()
    options.font_number = _sc_index(str(path))
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def style_block(text: str) -> str:
    """A <style> element with the subset font embedded and a font stack for the page, or the font
    stack alone when the font is not installed (one page on its own, e.g. a what-if export)."""
    rules = [font_stack_rule()]
    data = subset_woff(_wide(text))
    if data:
        encoded = base64.b64encode(data).decode("ascii")
        rules.insert(0, _font_face(f"data:font/woff;base64,{encoded}"))
    return "<style>" + "".join(rules) + "</style>"


def scoped_style(text: str, selector: str) -> str:
    """A <style> element giving the elements under ``selector`` the font stack, with the subset
    font for ``text`` embedded (for a widget panel in JupyterLab, where there is no shared file),
    or the stack alone when the font is not installed."""
    rules = [f"{selector},{selector} *{{font-family:{STACK} !important}}"]
    data = subset_woff(_wide(text))
    if data:
        encoded = base64.b64encode(data).decode("ascii")
        rules.insert(0, _font_face(f"data:font/woff;base64,{encoded}"))
    return "<style>" + "".join(rules) + "</style>"


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


def _wide(text: str) -> str:
    return "".join(sorted({ch for ch in text if ord(ch) > 0x2E7F}))


def _font_face(url: str) -> str:
    return (
        f"@font-face{{font-family:'{FAMILY}';src:url({url}) format('woff');"
        "font-weight:normal;font-style:normal}"
    )


def font_stack_rule() -> str:
    return f"body,.jp-Notebook,.jp-RenderedHTMLCommon,table,th,td{{font-family:{STACK} !important}}"


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
    data = subset_woff(_wide("".join(bodies.values())))
    if data:
        (assets / FONT_FILE).write_bytes(data)
        written.append(assets / FONT_FILE)
        rules.insert(0, _font_face(f"'{FONT_FILE}'"))  # relative to report.css, beside it
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
