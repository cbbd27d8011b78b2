"""A new document from its text, with no Python: a synthetic text made here is drafted (every
number found, quotes verbatim), its quotes are checked by validate against its own text (a changed
quote fails, naming the nearest passage), a printed limit binds (a cap above the printed maximum
pays the maximum, one below it pays itself), and a printed number nothing reads is flagged."""

from __future__ import annotations

import shutil

import pytest
import yaml

from jnpolicy_analysis.cli import main
from jnpolicy_analysis.inputs.draft import cn_number, draft, numbers_in, read_numbers
from jnpolicy_analysis.paths import NOTEBOOKS_DIR
from jnpolicy_analysis.publish.runner import GENERIC_CHAPTER

DOC = "测政发〔2021〕12号"

# The report test runs the real generic chapter (06_document) and stand-ins for the other
# notebooks, which this test does not read.
STAND_IN_BODY = """
from jnpolicy_analysis.publish.notebook import check_parameters, ReportOutput
check_parameters(globals())
ReportOutput(out_dir, "{name}").finish()
"""

# The synthetic text: a title, the number alone on its line, three clauses.
TEXT = """\
测试市人民政府
关于支持就业见习的若干措施

测政发〔2021〕12号

各区县人民政府：

1. 见习补助。自 2021 年 3 月 1 日至 12 月 31 日，对吸纳见习人员的单位，按每人每月 500 元给予见习补助，最长不超过 6 个月。

2. 研发资助。按研发投入的百分之二十给予资助，最高一万元；单位职工 30 人（含）以下的，资助比例提高 5 个百分点。

3. 载体建设。建设 1—2 个见习基地，每年评选 10 家以上示范单位，离校不足 2 年的毕业生可参加见习。

测试市人民政府

2021 年 2 月 1 日
"""

# What a reader finds in TEXT by hand: (value as printed, unit, comparator).
BY_HAND = [
    (500, "元/人/月", None),
    (6, "个月", "<="),
    (20, "%", None),
    (1, "万元", "<="),
    (30, "人", "<="),
    (5, "个百分点", None),
    (1, "个", ">="),
    (2, "个", "<="),
    (10, "家", ">="),
    (2, "年", "<"),
]


def test_chinese_numerals_are_read():
    assert cn_number("五十") == 50
    assert cn_number("十二") == 12
    assert cn_number("两千") == 2000
    assert cn_number("三万五千") == 35000
    assert cn_number("一万") == 10000
    assert cn_number("二〇二〇") == 2020
    assert cn_number("一批") is None


@pytest.mark.parametrize(
    "text,value,unit,comparator",
    [
        ("按百分之五十给予补贴", 50, "%", None),
        ("给予一万元奖励", 1, "万元", None),
        ("每个企业最高补贴 50 万元", 50, "万元/企业", "<="),
        ("30 人（含）以下的企业", 30, "人", "<="),
        ("超过 100 人的企业", 100, "人", ">"),
        ("距法定退休年龄不足 1 年的人员", 1, "年", "<"),
        ("评选 10 家以上企业", 10, "家", ">="),
        ("补贴期限不超过 3 个月", 3, "个月", "<="),
        ("对大型企业减半征收", 50, "%", None),
        ("三年内每年设置 2000 万元", 3, "年", "<="),
    ],
)
def test_one_number_with_its_unit_and_comparator(text, value, unit, comparator):
    found = [(n.value, n.unit, n.comparator) for n in read_numbers(text)]
    assert (value, unit, comparator) in found


def test_a_range_gives_both_ends():
    found = [(n.value, n.unit, n.comparator) for n in read_numbers("建成 1—2 个平台")]
    assert found == [(1, "个", ">="), (2, "个", "<=")]


def test_dates_and_document_numbers_are_not_amounts():
    found = read_numbers("自 2020 年 3 月 1 日至 12 月 31 日（济政发〔2020〕1 号）")
    assert found == []


def test_the_draft_finds_every_number_of_the_text_with_verbatim_quotes():
    body, entries = draft(TEXT, DOC)
    got = [(e.number.value, e.number.unit, e.number.comparator) for e in entries]
    assert sorted(got, key=str) == sorted(BY_HAND, key=str)
    for e in entries:
        assert e.quote in TEXT  # verbatim, spaces and all
        assert e.number.value in numbers_in(e.quote)
    data = yaml.safe_load(body)
    assert data["draft"] is True
    assert data["doc"] == DOC
    assert data["issued"].isoformat() == "2021-02-01"
    assert data["issuer"] == "测试市人民政府"
    clause_1 = next(m for m in data["measures"] if m["clause"] == "1")
    assert clause_1["period"]["start"].isoformat() == "2021-03-01"
    assert clause_1["period"]["end"].isoformat() == "2021-12-31"
    assert clause_1["period"]["quote"] in TEXT
    # the instrument is suggested as a comment, never chosen
    assert clause_1["instrument"] == "unpriced"
    assert "suggested: per_person_per_month" in body
    # counts go under facts as candidates
    assert {f["value"] for f in data["facts"]} >= {30, 10}


@pytest.fixture()
def drafted(data_copy, add_source, tmp_path):
    add_source(data_copy, "ce_zheng_fa_2021_12.txt", TEXT, [DOC])
    out = data_copy / "policies" / "ce_zheng_fa_2021_12.yaml"
    assert (
        main(
            [
                "draft",
                str(data_copy / "sources" / "ce_zheng_fa_2021_12.txt"),
                "--doc",
                DOC,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return data_copy, out


def test_a_draft_validates_its_quotes_and_cost_refuses_it(drafted, capsys):
    data, out = drafted
    capsys.readouterr()
    assert main(["validate", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # the one problem: it is a draft (every quote stood in the text)
    assert err == [err[0]] and f"error: {out}: draft: " in err[0]
    assert main(["cost", "--data", str(data), "--draws", "10"]) == 2
    assert "remove 'draft: true'" in capsys.readouterr().err
    # an existing file is never replaced
    assert (
        main(
            [
                "draft",
                str(data / "sources" / "ce_zheng_fa_2021_12.txt"),
                "--doc",
                DOC,
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "error: --out: out: " in capsys.readouterr().err


def _reviewed(data, out) -> None:
    """The analyst's review: the draft mark removed (the skeleton's measures are unpriced)."""
    text = out.read_text(encoding="utf-8").replace("draft: true\n", "")
    doc = yaml.safe_load(text)
    for m in doc["measures"]:
        m["costing"] = {"not_costed": "reviewed: costed elsewhere in the test"}
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_a_changed_quote_fails_validate_with_the_nearest_passage(drafted, capsys):
    data, out = drafted
    _reviewed(data, out)
    assert main(["validate", str(data)]) == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8").replace("每人每月 500 元", "每人每月 600 元")
    out.write_text(text.replace("value: 500", "value: 600"), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"error: {out}: measures.clause_1.parameters.amount.quote: " in err
    assert "is not in the text of 测政发〔2021〕12号" in err
    assert "nearest passage is '按每人每月500元给予见习补助" in err


def test_a_value_not_in_its_quote_fails_validate(drafted, capsys):
    data, out = drafted
    _reviewed(data, out)
    out.write_text(out.read_text(encoding="utf-8").replace("value: 500", "value: 550"))
    assert main(["validate", str(data)]) == 2
    assert "the value 550 is not in its quote" in capsys.readouterr().err


def test_a_document_without_its_text_is_an_error_naming_it(data_copy, capsys):
    src = data_copy / "sources" / "sources.yaml"
    listing = yaml.safe_load(src.read_text(encoding="utf-8"))
    listing["sources"][0]["documents"].remove("济政字〔2020〕16号")
    src.write_text(yaml.safe_dump(listing, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert "ji_zheng_zi_2020_16.yaml: doc: no text of document 济政字〔2020〕16号" in err


def test_a_changed_text_is_refused_by_its_sha256(data_copy, capsys):
    text = data_copy / "sources" / "jinan_gazette_2020_05.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("200 元", "300 元"), encoding="utf-8")
    assert main(["validate", str(data_copy)]) == 2
    assert "sources[0].sha256: jinan_gazette_2020_05.txt has sha256" in capsys.readouterr().err


def test_gazette_recall_on_one_document(catalog, gazette):
    """benchmarks/draft.py in reduced form: 济政发〔2020〕1号 alone. By hand, its 55 numbers in
    data/policies (parameters and facts) are all printed as digits, Chinese numerals (一个月, 三险,
    七大, 四个, 五链, 两项) or words (免征, 减半)."""
    from jnpolicy_analysis.inputs.draft import score

    s = score(catalog, gazette, "济政发〔2020〕1号")
    assert s["catalog_numbers"] == 55
    assert s["recall"] >= 0.95, s["missed"]
    assert s["quotes_verbatim"]


def test_labels_py_holds_no_label_of_a_document_or_a_fund():
    from jnpolicy_analysis.charts.labels import LABELS

    assert not [k for k in LABELS if k.startswith(("doc.", "fund."))]


def test_chart_labels_of_documents_and_funds_come_from_the_data(data_copy):
    from jnpolicy_analysis.charts.labels import has_label, label
    from jnpolicy_analysis.inputs.catalog import load_catalog
    from jnpolicy_analysis.inputs.scenarios import load_baseline

    policy = data_copy / "policies" / "ji_zheng_zi_2020_16.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("（工业互联网）", "（工业互联网行动）"), encoding="utf-8")
    funds = data_copy / "baseline" / "fund_labels.yaml"
    funds.write_text(
        funds.read_text(encoding="utf-8") + '  "测试基金": {zh: "测试基金", en: "Test fund"}\n',
        encoding="utf-8",
    )
    load_catalog(data_copy)
    load_baseline(data_copy)
    assert label("doc.济政字〔2020〕16号", "zh") == "济政字〔2020〕16号（工业互联网行动）"
    assert label("fund.测试基金", "en") == "Test fund"
    assert not has_label("doc.测政发〔2099〕1号")
    with pytest.raises(KeyError, match="chart_label"):
        label("doc.测政发〔2099〕1号", "zh")
    with pytest.raises(KeyError, match="fund_labels"):
        label("fund.没有的基金", "zh")
    # the shipped data again, for the tests that follow in this process
    from jnpolicy_analysis.paths import DATA_DIR

    load_catalog(DATA_DIR)
    load_baseline(DATA_DIR)


def test_the_generic_chapter_is_paired_thin_and_without_outputs():
    import jupytext
    import nbformat

    from jnpolicy_analysis.paths import NOTEBOOKS_DIR
    from jnpolicy_analysis.publish.runner import GENERIC_CHAPTER

    nb = nbformat.read(str(NOTEBOOKS_DIR / f"{GENERIC_CHAPTER}.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1
    assert all(len([ln for ln in c.source.splitlines() if ln.strip()]) <= 12 for c in code)
    py = jupytext.read(NOTEBOOKS_DIR / f"{GENERIC_CHAPTER}.py")
    paired = jupytext.read(NOTEBOOKS_DIR / f"{GENERIC_CHAPTER}.ipynb")
    assert [(c.cell_type, c.source) for c in paired.cells] == [
        (c.cell_type, c.source) for c in py.cells
    ]


@pytest.mark.slow
def test_report_builds_the_new_documents_chapter_with_no_python_change(drafted, stand_ins, capsys):
    """The drafted document, reviewed in YAML only (a label for the charts, the draft mark
    removed), gets its chapter in the report from the generic notebook, linked from the front
    page."""
    shutil.copy(NOTEBOOKS_DIR / f"{GENERIC_CHAPTER}.ipynb", stand_ins / f"{GENERIC_CHAPTER}.ipynb")
    data, out = drafted
    _reviewed(data, out)
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    doc["chart_label"] = {"zh": "测政发〔2021〕12号（见习）", "en": "Test doc No. 12 (internships)"}
    doc["title_en"] = "Test city measures to support internships"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(data)]) == 0, capsys.readouterr().err
    reports = data.parent / "reports"
    args = ["report", "--scenario", "central", "--draws", "50", "--as-of", "2026-03-01"]
    args += ["--data", str(data), "--notebooks", str(stand_ins), "--out", str(reports), "--quiet"]
    code = main([*args, "--workers", "2"])
    assert code == 0, capsys.readouterr().err
    page = reports / "2026-03-01" / "central" / f"06_document__{out.stem}.html"
    body = page.read_text(encoding="utf-8")
    assert "测政发〔2021〕12号 测试市人民政府关于支持就业见习的若干措施" in body  # its heading
    assert "clause_1" in body and "reviewed: costed elsewhere" in body  # its measures, not costed
    assert "每年评选 10 家以上示范单位" in body  # its other numbers, with their words
    index = (reports / "2026-03-01" / "index.html").read_text(encoding="utf-8")
    assert f'href="central/06_document__{out.stem}.html"' in index
    # the shipped document with no chapter of its own has one too
    assert (
        reports / "2026-03-01" / "central" / "06_document__ji_zheng_ban_zi_2020_6.html"
    ).is_file()
