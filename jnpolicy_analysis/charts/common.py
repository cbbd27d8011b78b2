"""What every chart does at its start and end: the house style and language, the scenario's title,
the foot line; and drawing text that came with the data."""

from __future__ import annotations

import datetime as dt

from matplotlib.figure import Figure

from ..fonts import cjk_available
from .labels import latin_only
from .style import add_footer, use_house_style


def begin(lang: str) -> str:
    """Apply the house style; the language the chart is drawn in ("en" where no CJK font exists)."""
    return use_house_style(lang)


def data_text(text: str, lang: str) -> str:
    """Text that came with the data (a measure title, a target metric), safe to draw: in English
    figures drawn because no CJK font exists, any Chinese in it is dropped."""
    text = str(text)
    if lang == "en" and not cjk_available():
        return latin_only(text)
    return text


def as_of_text(as_of: dt.date | str | None) -> str:
    """The date on the foot line: ``as_of`` as YYYY-MM-DD, today when None."""
    if as_of is None:
        return dt.date.today().isoformat()
    if isinstance(as_of, dt.date):
        return as_of.isoformat()
    return str(as_of)


def scenario_title(scenario, lang: str) -> str:
    """The scenario's title in ``lang``, from a ResolvedScenario (or anything with ``title_zh`` /
    ``title_en``); a plain name is shown as it is (a chart never loads a scenario)."""
    if hasattr(scenario, "title_zh"):
        return data_text(getattr(scenario, f"title_{lang}"), lang)
    return data_text(str(scenario), lang)


def finish(fig: Figure, lang: str, scenario: str, as_of: dt.date | str | None) -> Figure:
    """Add the foot line (source, scenario title, date) and return the figure."""
    add_footer(fig, None, scenario, as_of_text(as_of), lang)
    return fig
