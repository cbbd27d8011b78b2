"""Terminal tables fit their width: long texts wrap onto further lines of their row (120 columns
when the output is not a terminal), numbers and names (ids, document numbers) are never cut, and
``--json`` is unchanged."""

from __future__ import annotations

import json

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.formatting import PIPE_WIDTH, render, table_width, width, wrap_cell

WHY = "no amount or rate is printed, and no public figure gives one; " * 6


def test_a_long_text_wraps_and_the_rest_stays_on_the_row():
    rows = [["济政发〔2020〕1号", "rapid_hiring_response", WHY.strip(), "1,234.5"]]
    out = render(["document", "measure", "why not", "万元"], rows, right={3}, max_width=80)
    lines = out.splitlines()
    assert max(width(line) for line in lines) <= 80
    # the first line of the row holds every short cell whole; the text goes on below
    assert "济政发〔2020〕1号" in lines[2] and "rapid_hiring_response" in lines[2]
    assert lines[2].rstrip().endswith("1,234.5")
    # every word of the text is there, in order, none cut
    text_col = lines[2].index("no amount")
    pieces = [line[text_col:].strip() for line in lines[2:]]
    rebuilt = " ".join(p.replace("1,234.5", "").strip() for p in pieces).split()
    assert rebuilt == WHY.split()


def test_a_narrow_table_is_as_before():
    out = render(["a", "b"], [["x", "1"]], right={1}, max_width=80)
    assert out == "a  b\n-  -\nx  1"


def test_chinese_wraps_between_characters_counting_two_columns():
    assert wrap_cell("企业职工基本养老保险基金", 10) == ["企业职工基", "本养老保险", "基金"]
    assert all(width(line) <= 7 for line in wrap_cell("a b c defghij klm", 7))
    assert wrap_cell("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]  # a word longer than a line


def test_not_a_terminal_means_120_columns(capsys):
    assert table_width() == PIPE_WIDTH == 120  # pytest captures stdout: not a terminal


def test_the_cost_tables_not_costed_rows_fit_and_json_is_unchanged(capsys):
    assert main(["cost", "--scenario", "central", "--draws", "50"]) == 0
    text = capsys.readouterr().out
    section = text[text.index("Not costed (") :].splitlines()[1:]
    section = section[: next((i for i, s in enumerate(section) if not s.strip()), len(section))]
    assert len(section) > 20 and max(width(line) for line in section) <= 120
    assert main(["cost", "--scenario", "central", "--draws", "50", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "yuan" and data["measures"]  # one JSON document, as before
