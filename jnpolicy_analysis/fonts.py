"""The CJK font, in one place: the face every chart, PDF, page and panel uses, found by file path.

The face is Noto Sans CJK SC from the collection PyPI's ``noto-cjk-sans-otc`` installs (a
dependency, so every machine has it). It is registered with matplotlib by its file, and it alone
answers to its family names: a machine with a system copy of the same family (Debian's
``fonts-noto-cjk``, which also has bold weights) draws the same figures as one with no system CJK
font at all. Only where the collection is missing are system fonts looked up by family name.

From the same file come:

- the lean face for PDF export (``lean_cjk_font``, ``pdf_font``): the SC face taken out of the
  collection without its layout tables (GSUB, GPOS, GDEF, BASE) nor vertical metrics, which
  matplotlib does not use. matplotlib embeds a PDF's font as a subset, and fontTools' subsetter
  reads the whole font each time: for the 19 MB collection that is most of the time a PDF export
  takes. Same outlines and advances, so the same glyphs and layout. Made once per machine in the
  user's cache folder (``$XDG_CACHE_HOME/jnpolicy_analysis``, or ``$JNPOLICY_FONT_CACHE``); if it
  cannot be made, the collection is used as before. A figure whose every character is one the
  project's own texts use (``project_characters``) is embedded from a smaller face still, the
  lean face cut to those characters (``common_cjk_font``); one with other characters from the
  same cut with those added (``cut_cjk_font``). The cuts have TrueType outlines, which is what
  matplotlib declares a PDF's font to be: a PDF reads in Poppler with no warning.
- the web font of the report pages and the what-if panel (``subset_woff``): the SC face subset to
  the characters a page holds, as WOFF, so Chinese shows as glyphs in any browser, including one
  on a machine with no Chinese font. A reader whose system has a CJK font keeps it: our face
  comes after the usual Chinese fonts in ``STACK``.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

# Families looked up by name only where the bundled collection is missing.
CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
]
SC_FAMILY = "Noto Sans CJK SC"


def bundled_font() -> Path | None:
    """The .ttc shipped by PyPI's noto-cjk-sans-otc, when installed."""
    try:
        import noto_cjk_sans_otc  # noqa: PLC0415
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


@functools.cache
def cjk_family() -> str | None:
    """Register the CJK face with matplotlib (once per process) and return its family name, or
    None (said once, as a warning) when there is none. The bundled collection is registered by
    its file and is then the only font of its families: every entry of the same family name from
    another file (a system copy) is dropped from matplotlib's list, so the face drawn is the
    bundled file's on every machine."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    bundled = bundled_font()
    if bundled is not None:
        manager.addfont(str(bundled))
        ours = {f.name for f in manager.ttflist if _same(f.fname, bundled)}
        manager.ttflist = [
            f for f in manager.ttflist if f.name not in ours or _same(f.fname, bundled)
        ]
        manager._findfont_cached.cache_clear()  # noqa: SLF001 - the list it caches changed
        if SC_FAMILY in ours:
            return SC_FAMILY
    names = {f.name for f in manager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    warnings.warn(
        "no CJK font found (install the Python package noto-cjk-sans-otc, or Debian's "
        "fonts-noto-cjk): charts are drawn with English labels",
        RuntimeWarning,
        stacklevel=2,
    )
    return None


def _same(a: str | os.PathLike, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def cjk_available() -> bool:
    return cjk_family() is not None


@functools.cache
def title_weight() -> str:
    """The weight of titles: bold where the chart font has a bold face, else normal (the bundled
    collection holds the regular weight only, and asking for bold makes matplotlib log a
    complaint)."""
    from matplotlib import font_manager

    family = cjk_family() or "DejaVu Sans"
    weights = [f.weight for f in font_manager.fontManager.ttflist if f.name == family]
    bold = any(
        (w if isinstance(w, int) else font_manager.weight_dict.get(w, 400)) >= 600 for w in weights
    )
    return "bold" if bold else "normal"


@functools.cache
def sc_index(path: str) -> int:
    """Which face of the collection is Noto Sans CJK SC (index 0 is the Japanese one)."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for i, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == SC_FAMILY:
            return i
    return 0


# --------------------------------------------------------------------------- PDF faces

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

    source = bundled_font()
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

    face = TTCollection(str(source)).fonts[sc_index(str(source))]
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
    return cut_cjk_font(project_characters(), "common")


@functools.cache
def cut_cjk_font(chars: frozenset[str], kind: str = "cut") -> tuple[Path, frozenset[str]] | None:
    """(the lean face cut to ``chars`` with TrueType outlines, the characters it has), made once
    and kept in the cache folder under a name keyed by its characters; None where the lean face is
    missing or the cut cannot be written.

    TrueType (quadratic) outlines, converted from the face's cubic ones to within one font unit
    (a thousandth of an em): matplotlib declares a PDF's embedded font a TrueType one
    (CIDFontType2, FontFile2), and a CFF file under that name makes Poppler (pdftoppm, pdffonts,
    pdftotext) warn "Mismatch between font type and embedded font file" for every font of every
    page, and some readers substitute a font or refuse to print."""
    from filelock import FileLock

    lean = lean_cjk_font()
    if lean is None:
        return None
    key = hashlib.sha256(("".join(sorted(chars)) + lean.name + OUTLINES).encode()).hexdigest()[:12]
    out = lean.with_name(f"NotoSansCJKsc-Regular-{kind}-{key}.ttf")
    try:
        with FileLock(str(out.with_suffix(".lock")), timeout=120):
            if not out.is_file():
                _cut(lean, out, chars)
        return out, _covered(out)
    except Exception:  # a read-only cache, a full disk: the lean face does as well, slower
        return None


OUTLINES = "glyf-cu2qu-1.0"  # part of a cut face's key: how its outlines were made


def _cut(lean: Path, out: Path, chars: frozenset[str]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    with TTFont(str(lean)) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(ch) for ch in chars))
        subsetter.subset(font)
        _to_truetype(font)
        font.save(str(tmp))
    os.replace(tmp, out)


def _to_truetype(font, max_err: float = 1.0) -> None:
    """``font`` (CFF outlines) given TrueType ones in their place: each cubic curve approximated
    by quadratic ones to within ``max_err`` font units, contours reversed to TrueType's winding;
    same advances and metrics. Unhinted, as the CFF face's hints do not carry over."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints maxStorage maxFunctionDefs maxInstructionDefs maxStackElements "
        "maxSizeOfInstructions maxComponentElements maxComponentDepth"
    ).split():
        setattr(maxp, field, 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _covered(path: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:  # closed at once: no open file left to the GC
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


def _pdf_face(used: set[str], lean: Path) -> Path:
    """The face a PDF embeds ``used`` from: the common face when it has them all, else the lean
    face cut to the project's characters and these (both TrueType); the lean face itself (CFF)
    only where no cut can be made."""
    common = common_cjk_font()
    if common is not None and used <= common[1]:
        return common[0]
    extra = cut_cjk_font(project_characters() | frozenset(used), "extra")
    return extra[0] if extra is not None else lean


@contextlib.contextmanager
def pdf_font(fig) -> Iterator[None]:
    """Within the block, every text of ``fig`` drawn with the bundled collection uses the common
    face when it has every character of the figure, else a cut that has them (``_pdf_face``; same
    glyphs and advances either way, so the same layout); restored afterwards."""
    from matplotlib import font_manager

    lean, source = lean_cjk_font(), bundled_font()
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
        face = _pdf_face(set().union(*(t.get_text() for t, _ in texts)) - {"\n"}, lean)
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


# --------------------------------------------------------------------------- web font

FAMILY = "JNPolicy CJK"
STACK = (
    f"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','{FAMILY}',"
    "-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif"
)


def subset_woff(text: str) -> bytes | None:
    """A WOFF font holding the glyphs of ``text`` from Noto Sans CJK SC, or None without the font."""
    path = bundled_font()
    return None if path is None else _subset_woff(str(path), text)


@functools.lru_cache(maxsize=8)
def _subset_woff(path: str, text: str) -> bytes:
    # kept for the process: subsetting the CJK face takes ~2 s, and a report run's pages (and
    # the next run's) mostly ask for the same characters
    from fontTools import subset

    options = subset.Options()
    options.font_number = sc_index(path)
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(path, options)
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
    data = subset_woff(wide_characters(text))
    if data:
        encoded = base64.b64encode(data).decode("ascii")
        rules.insert(0, font_face(f"data:font/woff;base64,{encoded}"))
    return "<style>" + "".join(rules) + "</style>"


def scoped_style(text: str, selector: str) -> str:
    """A <style> element giving the elements under ``selector`` the font stack, with the subset
    font for ``text`` embedded (for a widget panel in JupyterLab, where there is no shared file),
    or the stack alone when the font is not installed."""
    rules = [f"{selector},{selector} *{{font-family:{STACK} !important}}"]
    data = subset_woff(wide_characters(text))
    if data:
        encoded = base64.b64encode(data).decode("ascii")
        rules.insert(0, font_face(f"data:font/woff;base64,{encoded}"))
    return "<style>" + "".join(rules) + "</style>"


_WIDE = re.compile("[\u2e80-\U0010ffff]")  # CJK radicals and everything above


def wide_characters(text: str) -> str:
    """The characters of ``text`` a Latin font lacks (CJK and above), sorted, once each."""
    return "".join(sorted(set(_WIDE.findall(text))))


def font_face(url: str) -> str:
    """The @font-face rule of the web font at ``url``."""
    return (
        f"@font-face{{font-family:'{FAMILY}';src:url({url}) format('woff');"
        "font-weight:normal;font-style:normal}"
    )


def font_stack_rule() -> str:
    return f"body,.jp-Notebook,.jp-RenderedHTMLCommon,table,th,td{{font-family:{STACK} !important}}"
