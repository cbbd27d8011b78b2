"""Who pays, on the front page and in the briefing pack: class A by budget and level of government,
the city's own 一般公共预算 apart from the social-insurance funds it pools, read from the one
ledger of draws, so the matrix adds up to the class-A cost that the headline shows."""

from __future__ import annotations

import json

import pytest

from jnpolicy_analysis.publish.brief import headline_table
from jnpolicy_analysis.publish.frontpage import SUMMARY, index_html, who_pays


def test_the_matrix_adds_up_to_the_class_a_cost(central_analysis):
    cost = central_analysis.cost
    w = who_pays(cost)
    total = sum(v for row in w["by_budget_and_level"].values() for v in row.values())
    # the outside-perimeter flows (the housing fund) are not class A: not in the matrix
    assert total == pytest.approx(cost.totals()["cost"]["central"], rel=1e-9)
    municipal = sum(row["municipal"] for row in w["by_budget_and_level"].values())
    # the city's own general budget and the funds it pools are parts of the municipal column
    assert w["city_general_public_budget"] <= municipal
    assert w["city_general_public_budget"] + w["city_pooled_funds"] <= municipal * (1 + 1e-9)


def test_the_briefing_table_splits_the_municipal_share(central_analysis):
    table = headline_table(central_analysis.cost, "zh")
    rows = list(table.iloc[:, 0])
    assert any("一般公共预算" in r for r in rows)
    assert any("社会保险基金" in r for r in rows)
    assert any("区县" in r for r in rows)
    english = headline_table(central_analysis.cost, "en")
    assert any("general public budget" in r for r in english.iloc[:, 0])


def test_the_front_page_shows_who_pays_in_yi_yuan(tmp_path):
    # 1,250,000,000 元 = 12.50 亿元 in the municipal column of the general public budget
    summary = {
        "base": "central",
        "draws": 10,
        "seed": 1,
        "scenarios": [
            {
                "name": "central",
                "title_zh": "中性",
                "title_en": "Central",
                "central": 3.5e9,
                "p5": 3e9,
                "p95": 4e9,
            },
        ],  # fmt: skip
        "who_pays": {
            "by_budget_and_level": {
                "一般公共预算": {
                    "central": 0.0,
                    "provincial": 0.5e9,
                    "municipal": 1.25e9,
                    "district": 0.25e9,
                },
                "社会保险基金预算": {
                    "central": 0.0,
                    "provincial": 0.0,
                    "municipal": 1.5e9,
                    "district": 0.0,
                },
                "国有资本经营预算": {
                    "central": 0.0,
                    "provincial": 0.0,
                    "municipal": 0.0,
                    "district": 0.0,
                },
            },  # fmt: skip
            "outside_perimeter": 0.64e9,
            "city_general_public_budget": 1.25e9,
            "city_pooled_funds": 1.5e9,
        },
        "targets": [],
        "status_rule": "",
    }
    (tmp_path / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    page = index_html(tmp_path, "2026-03-02", [], {"lang": "zh"})
    assert "谁来支付" in page and "Who pays" not in page  # one language a page
    block = page[page.index("谁来支付") :]
    assert "12.50" in block and "15.00" in block  # 1.25e9 and 1.5e9 元 in 亿元
    assert "20.00" in block  # the general public budget's row total: 0.5 + 1.25 + 0.25 亿 x 10
    assert "6.40" in block  # outside the perimeter, not added
    assert "国有资本经营预算" not in block  # a budget that pays nothing has no row
    english = index_html(tmp_path, "2026-03-02", [], {"lang": "en"})
    assert "Who pays" in english and "General public budget" in english
    assert "一般公共预算" not in english
