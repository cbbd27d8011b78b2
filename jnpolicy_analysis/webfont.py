"""A CJK web font for the report pages, so Chinese text shows as glyphs in any browser, including
one on a machine with no Chinese fonts installed.

The charts are pictures and carry their glyphs; the HTML tables and headings are text and need a
font where they are read. We subset the Noto Sans CJK SC face of the font the package already uses
(PyPI's noto-cjk-sans-otc) to the characters the pages hold, and embed it in each page as a small
WOFF font (a few hundred kB rather than the 19 MB collection). A reader whose system has a CJK font
keeps it: the embedded face comes after the usual Chinese fonts in the font list.
"""

from __future__ import annotations

import base64
import functools
import io
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
    """A <style> element with the subset font and a font stack for the page, or the font stack
    alone when the font is not installed."""
    wide = "".join(sorted({ch for ch in text if ord(ch) > 0x2E7F}))
    rules = [
        f"body,.jp-Notebook,.jp-RenderedHTMLCommon,table,th,td{{font-family:{STACK} !important}}",
    ]
    data = subset_woff(wide) if wide else None
    if data:
        encoded = base64.b64encode(data).decode("ascii")
        rules.insert(
            0,
            f"@font-face{{font-family:'{FAMILY}';src:url(data:font/woff;base64,{encoded}) format('woff');"
            "font-weight:normal;font-style:normal}",
        )
    return "<style>" + "".join(rules) + "</style>"


def embed(pages: list[Path]) -> None:
    """Put one font, subset to the characters of all ``pages``, into the <head> of each page."""
    bodies = {p: p.read_text(encoding="utf-8") for p in pages}
    style = style_block("".join(bodies.values()))
    for page, body in bodies.items():
        if "</head>" in body:
            body = body.replace("</head>", style + "</head>", 1)
        else:
            body = style + body
        page.write_text(body, encoding="utf-8")
