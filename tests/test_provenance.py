"""Every quote stands verbatim (whitespace aside) in the gazette, and every number of a parameter,
fact or target appears in its quote."""

from __future__ import annotations

import re

import pytest

from jnpolicy_analysis.inputs.catalog import load_catalog
from jnpolicy_analysis.paths import DATA_DIR

CN_DIGITS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "百": 100,
    "千": 1000,
}
# Words that state a number without printing it: 免征 is 100 %, 减半 is 50 %, 全覆盖 (full
# coverage) 100 %.
IMPLIED = {
    "免": [100, 1],
    "减半": [50, 0.5],
    "半": [50, 0.5],
    "全额": [100, 1],
    "全覆盖": [100, 1],
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def numbers_in(quote: str) -> set[float]:
    q = squash(quote)
    found = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", q)}
    found |= {float(v) for ch, v in CN_DIGITS.items() if ch in q}
    for word, values in IMPLIED.items():
        if word in q:
            found |= {float(v) for v in values}
    return found


def all_quotes(cat):
    for doc, m in cat.measures:
        if m.period and m.period.quote:
            yield f"{doc} {m.id}.period", m.period.quote
        if m.funding_quote:
            yield f"{doc} {m.id}.funding_quote", m.funding_quote
        for name, p in m.parameters.items():
            yield f"{doc} {m.id}.{name}", p.quote
    for d in cat.documents.values():
        for f in d.facts:
            yield f"{d.doc} {f.id}", f.quote
    for doc, t in cat.targets:
        yield f"{doc} {t.id}", t.quote


def test_catalog_has_the_three_documents():
    cat = load_catalog(DATA_DIR)
    assert {"济政发〔2020〕1号", "济政办发〔2020〕2号", "济政字〔2020〕16号"} <= set(cat.documents)


def test_every_quote_is_verbatim_in_the_gazette(gazette):
    text = squash(gazette)
    missing = [
        where for where, quote in all_quotes(load_catalog(DATA_DIR)) if squash(quote) not in text
    ]
    assert not missing, f"quotes not found in the gazette: {missing}"


def test_document_numbers_are_printed_in_the_gazette(gazette):
    text = squash(gazette)
    cat = load_catalog(DATA_DIR)
    for doc in [*cat.documents, *cat.target_documents]:
        assert squash(doc) in text, doc


@pytest.mark.parametrize(
    "value,quote",
    [
        (200, "每人每天 200 元"),
        (3, "三年内"),
        (100, "免征"),
        (1.5, "1.5 倍"),
        (100, "重点工业园区 5G 网络全覆盖"),
    ],
)
def test_numbers_in_reads_digits_and_words(value, quote):
    assert float(value) in numbers_in(quote)


def test_every_number_appears_in_its_quote():
    cat = load_catalog(DATA_DIR)
    bad = []
    for doc, m in cat.measures:
        for name, p in m.parameters.items():
            if float(p.value) not in numbers_in(p.quote):
                bad.append(f"{doc} {m.id}.{name}={p.value}")
    for d in cat.documents.values():
        for f in d.facts:
            if float(f.value) not in numbers_in(f.quote):
                bad.append(f"{d.doc} {f.id}={f.value}")
    for doc, t in cat.targets:
        for v in (t.value, t.value_max):
            if v is not None and float(v) not in numbers_in(t.quote):
                bad.append(f"{doc} {t.id}={v}")
    assert not bad, f"numbers not found in their quotes: {bad}"
