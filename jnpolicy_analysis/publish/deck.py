"""The briefing deck (``briefing.pptx``, 16:9) as an analyst can edit it: every title, number,
table and caveat is real text (PowerPoint text frames and tables), and the figures are pictures
with alt text saying what each shows.

Fonts. A deck cannot carry its font (python-pptx embeds none), so it names fonts every machine
that opens it has. Each run names a Latin typeface (``a:latin``) and an East Asian one
(``a:ea``): ``EA_TYPEFACE``, Microsoft YaHei, on every Windows since Vista and in Office for Mac.
Where it is missing the application substitutes a CJK face of its own, in the order of
``EA_FALLBACKS`` in practice (the run says it is Simplified Chinese: ``lang="zh-CN"``, charset
GB2312 and YaHei's PANOSE class, which is what PowerPoint and LibreOffice's fontconfig match on).
The theme's East Asian and ``Hans`` script fonts name the same face, so text typed later into a
new box gets it too.

Layout is worked out here, not left to autofit (LibreOffice and PowerPoint differ there): a text's
width is estimated with a CJK character one em and a Latin one about 0.55 em, and a table that does
not fit one slide is continued on the next.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

SLIDE = (40 / 3, 7.5)  # inches, 16:9
LATIN_TYPEFACE = "Arial"
EA_TYPEFACE = "Microsoft YaHei"
# what a machine without Microsoft YaHei shows instead, best first: macOS, the Noto and Source Han
# faces of Linux, then older Windows faces; documented, and the theme names the first
EA_FALLBACKS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "DengXian",
    "SimSun",
)
EA_CHARSET = "-122"  # GB2312_CHARSET (134) as the signed byte OOXML stores
EA_PANOSE = "020B0503020204020204"  # Microsoft YaHei
DARK = "222222"
GREY = "666666"
ACCENT = "0072B2"
HEADER_FILL = "EEF2F6"
CELL_PAD = 0.2  # inches: the cell's margins (0.06 each side) and room for error

Text = Callable[..., str]


def is_wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Inches ``text`` takes on one line at ``size`` points: a CJK character one em, a Latin one
    0.6 em (Arial's digits are 0.56, its capitals up to 0.94), bold 6 % wider."""
    ems = sum(1.0 if is_wide(ch) else 0.6 for ch in text)
    return ems * size / 72 * (1.06 if bold else 1.0)


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines ``text`` wraps to in a box ``width`` inches wide (its own line breaks kept)."""
    usable = max(width, 0.1)
    return sum(
        max(1, math.ceil(text_width(part, size, bold) / usable)) for part in text.split("\n")
    )


def text_height(
    text: str, size: float, width: float, spacing: float = 1.3, bold: bool = False
) -> float:
    return line_count(text, size, width, bold) * size * spacing / 72


# --------------------------------------------------------------------------- runs and fonts


def _set_fonts(run, lang: str) -> None:
    """Name the Latin and East Asian typefaces on ``run`` and say the language it is in."""
    from pptx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()  # noqa: SLF001 - python-pptx has no API for a:ea
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-GB")
    rpr.set("altLang", "en-US" if lang == "zh" else "zh-CN")
    for tag in ("a:latin", "a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    # schema order inside a:rPr: ln, fill, effects, highlight, uLnTx, uLn, uFillTx, uFill,
    # latin, ea, cs, sym, hlinkClick ...: append after whatever fill python-pptx put there
    latin = rpr.makeelement(qn("a:latin"), {"typeface": LATIN_TYPEFACE})
    ea = rpr.makeelement(
        qn("a:ea"),
        {"typeface": EA_TYPEFACE, "panose": EA_PANOSE, "pitchFamily": "34", "charset": EA_CHARSET},
    )
    cs = rpr.makeelement(qn("a:cs"), {"typeface": LATIN_TYPEFACE})
    after = [c for c in rpr if c.tag in (qn("a:solidFill"), qn("a:ln"), qn("a:highlight"))]
    index = list(rpr).index(after[-1]) + 1 if after else 0
    for offset, el in enumerate((latin, ea, cs)):
        rpr.insert(index + offset, el)


def style_run(run, lang: str, size: float, bold: bool = False, color: str = DARK) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(color)
    _set_fonts(run, lang)


def _theme_fonts(prs) -> None:
    """The theme's East Asian fonts (major and minor, and the ``Hans`` script) set to
    ``EA_TYPEFACE``: text typed later into the deck gets the same face."""
    from lxml import etree

    master = prs.slide_masters[0]
    for rel in master.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            root = etree.fromstring(part.blob)
            ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
            for font in root.iterfind(".//a:fontScheme/*", ns):
                ea = font.find("a:ea", ns)
                if ea is not None:
                    ea.set("typeface", EA_TYPEFACE)
                for script in font.iterfind("a:font", ns):
                    if script.get("script") == "Hans":
                        script.set("typeface", EA_TYPEFACE)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )  # noqa: SLF001


# --------------------------------------------------------------------------- the deck


class Deck:
    """A 16:9 deck whose texts are text frames and tables, in ``lang``."""

    def __init__(self, lang: str) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.lang = lang
        self.prs = Presentation()
        self.prs.slide_width = Inches(SLIDE[0])
        self.prs.slide_height = Inches(SLIDE[1])
        _theme_fonts(self.prs)

    def slide(self):
        return self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank

    def text(
        self,
        slide,
        text: str | list[str],
        left: float,
        top: float,
        width: float,
        size: float,
        bold: bool = False,
        color: str = DARK,
        name: str | None = None,
        gap: float = 0.0,
    ) -> float:
        """A text box at (``left``, ``top``) ``width`` inches wide holding ``text`` (a list: one
        paragraph each, ``gap`` points apart); the height it takes (inches)."""
        from pptx.util import Inches, Pt

        paragraphs = [text] if isinstance(text, str) else list(text)
        height = sum(text_height(p, size, width - 0.2, bold=bold) for p in paragraphs)
        height += gap * (len(paragraphs) - 1) / 72 + 0.1
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = Inches(0.1)
        frame.margin_top = frame.margin_bottom = Inches(0.05)
        for i, words in enumerate(paragraphs):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            if i and gap:
                para.space_before = Pt(gap)
            para.line_spacing = 1.1
            run = para.add_run()
            run.text = words
            style_run(run, self.lang, size, bold, color)
        return height

    def table(
        self,
        slide,
        df: pd.DataFrame,
        left: float,
        top: float,
        width: float,
        size: float = 11,
        right: set[int] | None = None,
        name: str | None = None,
    ) -> float:
        """``df`` as a PowerPoint table (header row shaded, numbers right-aligned); the height it
        takes (inches)."""
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Inches, Pt

        right = numeric_columns(df) if right is None else right
        widths = column_widths(df, size, width)
        heights = [row_height(list(df.columns), widths, size, bold=True)] + [
            row_height([str(v) for v in row], widths, size) for row in df.values
        ]
        shape = slide.shapes.add_table(
            len(df) + 1,
            len(df.columns),
            Inches(left),
            Inches(top),
            Inches(width),
            Inches(sum(heights)),
        )
        if name:
            shape.name = name
        table = shape.table
        table.first_row = True
        table.horz_banding = False
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        for i, h in enumerate(heights):
            table.rows[i].height = Inches(h)
        cells = [list(map(str, df.columns))] + [[str(v) for v in row] for row in df.values]
        for i, row in enumerate(cells):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = Inches(0.06)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(HEADER_FILL if i == 0 else "FFFFFF")
                frame = cell.text_frame
                frame.word_wrap = True
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                para = frame.paragraphs[0]
                para.alignment = PP_ALIGN.RIGHT if j in right and i else PP_ALIGN.LEFT
                run = para.add_run()
                run.text = value
                style_run(run, self.lang, size, bold=i == 0)
                para.font.size = Pt(size)  # the end-of-paragraph mark: no taller empty line
        return sum(heights)

    def picture(self, slide, png: bytes, left: float, top: float, height: float, alt: str):
        from pptx.util import Inches

        pic = slide.shapes.add_picture(
            io.BytesIO(png), Inches(left), Inches(top), height=Inches(height)
        )
        pic._element.nvPicPr.cNvPr.set("descr", alt)  # noqa: SLF001 - alt text has no API
        return pic

    def save(self, path: Path) -> None:
        props = self.prs.core_properties
        props.title = "briefing"
        props.author = "jnpolicy_analysis"
        props.language = "zh-CN" if self.lang == "zh" else "en-GB"
        # deterministic files: fixed dates in the package properties
        fixed = dt.datetime(2020, 3, 2)
        props.created = fixed
        props.modified = fixed
        props.last_modified_by = "jnpolicy_analysis"
        self.prs.save(str(path))


NUMBER = re.compile(r"^[–—\-]?$|^[<>≥≤=\s]*[-+]?[\d,]+(\.\d+)?\s*(%|％)?$")


def numeric_columns(df: pd.DataFrame) -> set[int]:
    """Columns whose every cell is a number (or a dash): right-aligned."""
    out = set()
    for j, c in enumerate(df.columns):
        values = [str(v).strip() for v in df[c]]
        if values and all(NUMBER.match(v) for v in values) and any(v[:1].isdigit() for v in values):
            out.add(j)
    return out


def natural_widths(df: pd.DataFrame, size: float) -> list[float]:
    """Each column's width (inches) with its longest cell (or its bold header) on one line."""
    return [
        max([text_width(str(c), size, bold=True)] + [text_width(str(v), size) for v in df[c]])
        + CELL_PAD
        for c in df.columns
    ]


def column_widths(df: pd.DataFrame, size: float, total: float) -> list[float]:
    """Column widths (inches) summing to ``total``: each as wide as its longest cell, the widest
    ones shrunk first when they do not all fit (their texts wrap)."""
    pad = CELL_PAD
    need = natural_widths(df, size)
    floor = [
        min(n, max(text_width(str(c), size) / 2 + pad, 0.7))
        for n, c in zip(need, df.columns, strict=True)
    ]
    widths = list(need)
    if sum(widths) > total:
        # cap the widest columns at a common width until the row fits
        lo, hi = 0.0, max(widths)
        for _ in range(40):
            mid = (lo + hi) / 2
            if sum(max(f, min(n, mid)) for n, f in zip(need, floor, strict=True)) > total:
                hi = mid
            else:
                lo = mid
        widths = [max(f, min(n, lo)) for n, f in zip(need, floor, strict=True)]
    scale = total / sum(widths)
    return [w * scale for w in widths]


def row_height(values: list[str], widths: list[float], size: float, bold: bool = False) -> float:
    lines = max(
        line_count(str(v), size, w - CELL_PAD, bold) for v, w in zip(values, widths, strict=True)
    )
    return lines * size * 1.3 / 72 + 0.1


def split_rows(
    df: pd.DataFrame, widths: list[float], size: float, room: float
) -> list[pd.DataFrame]:
    """``df`` cut into pieces whose tables (with the header) fit ``room`` inches."""
    header = row_height(list(map(str, df.columns)), widths, size, bold=True)
    pieces, start, used = [], 0, header
    for i, row in enumerate(df.values):
        h = row_height([str(v) for v in row], widths, size)
        if used + h > room and i > start:
            pieces.append(df.iloc[start:i])
            start, used = i, header
        used += h
    pieces.append(df.iloc[start:])
    return pieces


# --------------------------------------------------------------------------- the briefing


def figure_title(key, lang: str) -> str:
    """A key figure's title in the pack's language (the chart's label), else the one it came with."""
    from ..charts.labels import has_label, label

    name = f"title.{key.name}"
    return label(name, lang) if has_label(name) else key.title


def table_size(df: pd.DataFrame, width: float, room: float, sizes=(12, 11, 10, 9)) -> float:
    """The largest of ``sizes`` at which ``df`` fits ``width`` × ``room`` inches, else the
    smallest (the table is then continued on another slide)."""
    for size in sizes:
        widths = column_widths(df, size, width)
        if len(split_rows(df, widths, size, room)) == 1:
            return size
    return sizes[-1]


def write_deck(c, path: Path, t: Text, unit: str = "亿元") -> Path:
    """The slides of the briefing ``c`` (the content ``brief`` works out once): title, headline
    numbers, who pays, one key figure a slide, the targets (continued when long), methods and
    caveats. ``t(key, **kw)`` gives the pack's words in its language; amounts are in ``unit``."""
    from PIL import Image

    lang = c.lang
    deck = Deck(lang)
    sub = (
        f"{t('scenario')}：{c.scenario_title}（{c.scenario_name}）  {t('as_of')}：{c.as_of}"
        if lang == "zh"
        else f"{t('scenario')}: {c.scenario_title} ({c.scenario_name})  {t('as_of')}: {c.as_of}"
    )
    width = SLIDE[0] - 1.2

    def footer(s) -> None:
        deck.text(s, sub, 0.6, SLIDE[1] - 0.5, width, 10, color=GREY, name="footer")

    def heading(s, words: str, size: float = 26) -> float:
        return 0.4 + deck.text(s, words, 0.6, 0.4, width, size, bold=True, name="title")

    # title
    s = deck.slide()
    h = deck.text(s, t("title"), 0.9, 2.0, SLIDE[0] - 1.8, 32, bold=True, name="title")
    deck.text(s, sub, 0.9, 2.2 + h, SLIDE[0] - 1.8, 16, color="444444", name="subtitle")
    deck.text(s, t("contents", n=len(c.figures)), 0.9, 5.6, SLIDE[0] - 1.8, 12, color=GREY)
    deck.text(s, t("made", version=c.version), 0.9, 6.6, SLIDE[0] - 1.8, 10, color="888888")
    # headline numbers
    s = deck.slide()
    y = heading(s, t("headline"))
    y += deck.text(s, c.cost_line, 0.6, y, width, 18, bold=True, color=ACCENT, name="headline")
    y += 0.2
    room = SLIDE[1] - 0.7 - y - 0.4
    # the two tables side by side, each as wide as its words ask (between 35 % and 65 %)
    need = [sum(natural_widths(df, 11)) for df in (c.class_table, c.fund_table)]
    share = min(max(need[0] / sum(need), 0.35), 0.65)
    widths = [(width - 0.3) * share, (width - 0.3) * (1 - share)]
    spots = ((0.6, "by_class", c.class_table), (0.9 + widths[0], "by_fund", c.fund_table))
    for (x, key, df), w in zip(spots, widths, strict=True):
        h = deck.text(s, t(key, unit=unit), x, y, w, 12, bold=True)
        size = table_size(df, w, room - h)
        deck.table(s, df, x, y + h, w, size)
    footer(s)
    if c.who_pays_table is not None:
        s = deck.slide()
        y = heading(s, t("who_pays", unit=unit), 22) + 0.2
        df = c.who_pays_table
        deck.table(s, df, 0.6, y, width, table_size(df, width, SLIDE[1] - y - 0.7, (14, 12, 11)))
        footer(s)
    # one key figure a slide
    for i, key in enumerate(c.figures, start=1):
        s = deck.slide()
        title = figure_title(key, lang)
        y = 0.25 + deck.text(s, f"{t('figure')} {i}  {title}", 0.6, 0.25, width, 20, bold=True,
                             name="title")  # fmt: skip
        w, h = Image.open(io.BytesIO(key.png)).size
        height = min(SLIDE[1] - y - 0.7, (SLIDE[0] - 0.8) * h / w)
        alt = f"{title}。{c.caption()}" if lang == "zh" else f"{title}. {c.caption()}"
        deck.picture(s, key.png, (SLIDE[0] - height * w / h) / 2, y + 0.05, height, alt)
        deck.text(
            s, c.caption(), 0.5, SLIDE[1] - 0.55, SLIDE[0] - 1.0, 10, color="555555", name="footer"
        )
    # targets, continued on further slides when they do not fit one
    df = c.target_table
    top = 1.3
    room = SLIDE[1] - top - 0.7
    size = table_size(df, width, room, (12, 11, 10))
    pieces = split_rows(df, column_widths(df, size, width), size, room) if len(df) else [df]
    for n, piece in enumerate(pieces, start=1):
        s = deck.slide()
        words = t("targets") + (
            f"（{n}/{len(pieces)}）" if lang == "zh" else f" ({n}/{len(pieces)})"
        )
        heading(s, words if len(pieces) > 1 else t("targets"))
        deck.table(s, piece, 0.6, top, width, size)
        footer(s)
    # methods and caveats
    s = deck.slide()
    y = heading(s, t("methods")) + 0.1
    lines = ["• " + line for line in c.methods]
    for size in (15, 14, 13, 12, 11):
        need = sum(text_height(line, size, width - 0.2) for line in lines) + len(lines) * 6 / 72
        if need <= SLIDE[1] - y - 0.4:
            break
    deck.text(s, lines, 0.6, y, width, size, gap=6, name="caveats")
    deck.save(path)
    return path
