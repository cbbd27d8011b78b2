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
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
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


@contextlib.contextmanager
def pdf_font(fig) -> Iterator[None]:
    """Within the block, every text of ``fig`` drawn with the bundled collection uses the lean
    face instead (same glyphs and advances, so the same layout); restored afterwards."""
    from matplotlib import font_manager
    from matplotlib.text import Text

    from .charts.style import _bundled_font

    lean, source = lean_cjk_font(), _bundled_font()
    changed = []
    if lean is not None and source is not None:
        for text in fig.findobj(Text):
            props = text.get_fontproperties()
            try:
                path = font_manager.findfont(props, fallback_to_default=False)
            except ValueError:
                continue
            if Path(path) == source:
                new = props.copy()
                new.set_file(str(lean))
                changed.append((text, props))
                text.set_fontproperties(new)
    try:
        yield
    finally:
        for text, props in changed:
            text.set_fontproperties(props)
