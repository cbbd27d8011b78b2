"""Exporting figures for briefings: PNG at 150 dpi, SVG and PDF with text kept as text.

Sized for their use: the PNG goes on a slide or a screen (a slide figure is 2000 x 1125 px, enough
for a 1920 px projector; half an A4 page is 945 x 660 px); print and enlargement take the SVG or
the PDF, which are vector drawings at any size. PNGs are written with a palette of at most 256
colours when that loses nothing visible (the charts' flat colours and their anti-aliased edges),
which makes them two to three times smaller."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from matplotlib.figure import Figure

from .style import FIGURE_SIZES, rescale_fonts

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 150


def safe_name(name: str) -> str:
    """A file name safe on any file system: ASCII letters, digits, '-' and '_' only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_name).strip("_.")
    if not cleaned:
        raise ValueError(f"figure name {name!r} has no letters or digits a file name can keep")
    return cleaned[:100]


def export_figure(
    fig: Figure,
    name: str,
    out_dir: str | Path,
    formats: Iterable[str] = FORMATS,
    size: str | None = None,
) -> list[Path]:
    """Write ``fig`` as ``<out_dir>/<name>.<fmt>`` for each format, sized for a slide or half an A4
    page; PNG at 150 dpi (``PNG_DPI``); SVG keeps text as text, PDF embeds the font (TrueType, Type 42).

    ``size`` None: the size the chart was built for (``size=`` of the chart functions), else
    "slide". A chart built for the other size has its fonts scaled to this one (build it at the
    size you export for the best fit)."""
    return _export(fig, name, out_dir, formats, size)[0]


def export_with_preview(
    fig: Figure, name: str, out_dir: str | Path, size: str | None = None, preview_dpi: float = 110
) -> tuple[list[Path], bytes]:
    """``export_figure`` in every format, and a PNG of the figure at ``preview_dpi`` for showing
    it on a page: scaled down from the exported PNG's drawing, so the figure is drawn once for
    both."""
    return _export(fig, name, out_dir, FORMATS, size, preview_dpi)  # type: ignore[return-value]


def _export(fig, name, out_dir, formats, size, preview_dpi=None) -> tuple[list[Path], bytes | None]:
    if size is None:
        size = getattr(fig, "jnpolicy_size", "slide")
    if size not in FIGURE_SIZES:
        raise ValueError(f"size must be one of {sorted(FIGURE_SIZES)}, got {size!r}")
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; choose from {list(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig.set_size_inches(*FIGURE_SIZES[size])
    rescale_fonts(fig, size)
    stem = safe_name(name)
    written = []
    preview = None
    engine = fig.get_layout_engine()
    try:
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            if fmt == "png":
                image = render(fig, PNG_DPI)
                path.write_bytes(palette_png(image, PNG_DPI))
                if preview_dpi is not None:
                    preview = palette_png(scaled(image, preview_dpi / PNG_DPI), preview_dpi)
            elif fmt == "pdf":
                write_pdf(fig, path)
            else:
                fig.savefig(path, format=fmt, metadata={"Creator": "jnpolicy_analysis"})
            written.append(path)
            if engine is not None and fig.get_layout_engine() is engine:
                # laid out once, by the first drawing: the other formats are drawn at the same
                # positions. No engine at all, not matplotlib's "none" placeholder: savefig
                # makes a dry drawing first for any engine, the placeholder included
                _drop_layout(fig)
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return written, preview


def _drop_layout(fig: Figure) -> None:
    """``fig`` with no layout engine (None means "the rcParams' engine" to matplotlib: both
    are switched off for the call)."""
    import matplotlib

    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)


def render(fig: Figure, dpi: float):
    """``fig`` drawn at ``dpi`` as an RGB PIL image (Agg's pixels, with no PNG written and read
    back on the way)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="raw", dpi=dpi)
    data = buffer.getvalue()
    width_in, height_in = fig.get_size_inches()
    for w, h in (
        (int(width_in * dpi), int(height_in * dpi)),
        (round(width_in * dpi), round(height_in * dpi)),
    ):
        if w * h * 4 == len(data):
            return Image.frombuffer("RGBA", (w, h), data, "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()  # a size the arithmetic above does not give: let the PNG say it
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def scaled(image, factor: float):
    """``image`` resized by ``factor`` (Lanczos)."""
    from PIL import Image

    size = (max(round(image.width * factor), 1), max(round(image.height * factor), 1))
    return image.resize(size, Image.Resampling.LANCZOS)


def palette_png(image, dpi: float) -> bytes:
    """The RGB ``image`` as a PNG reduced to a 256-colour palette (adaptive, no dithering)."""
    import io

    from PIL import Image

    # the palette is found on a third-size copy (the same colours, a ninth of the work)
    sample = image.resize((max(image.width // 3, 1), max(image.height // 3, 1)))
    palette = sample.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small = image.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="png", compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


def png_bytes(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """``fig`` as a PNG at ``dpi``, reduced to a 256-colour palette (adaptive, no dithering)."""
    return palette_png(render(fig, dpi), dpi)


def write_pdf(fig: Figure, path, metadata: dict | None = None) -> None:
    """``fig`` as a PDF (``path``: a file name or a binary stream), its font embedded as a subset
    taken from the lean face of the CJK font (``fonts``): the same glyphs, sooner."""
    from ..fonts import pdf_font

    with pdf_font(fig):
        fig.savefig(path, format="pdf", metadata=metadata or {"Creator": "jnpolicy_analysis"})
