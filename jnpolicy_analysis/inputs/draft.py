"""Reading the numbers of a policy text, and the YAML skeleton ``jnpolicy draft`` writes from them.

The text is plain UTF-8 (a gazette issue may hold several documents: ``document_span`` finds the
one asked for by its number, printed alone on a line). Every number is read as printed, with its
unit, the comparator its words give and a short verbatim quote around it:

- Arabic numbers (``200``, ``5.5``, full-width digits too) and Chinese numerals (``一``, ``十二``,
  ``两``, ``三千``) before a unit or counter word; ``万``/``亿`` stay in the unit as printed
  (``30 万元`` is 30 万元, ``一万元`` 1 万元, ``千亿级`` 1000 亿元);
- ``百分之五十`` and ``50%`` are 50 %; ``1 个百分点`` is a change of a rate; words that state a
  number without printing it: 免征/暂免 100 %, 减半 50 %, 全覆盖/全额 100 %;
- ranges ``1—2 个`` (— – - ~ ～ 至 到) give two numbers, the lower ``>=`` and the upper ``<=``;
- comparators: ``以上`` / ``（含）以上`` ``>=``, ``以下`` / ``以内`` / ``（含）以下`` / ``…内`` ``<=``,
  ``不超过`` / ``最高`` / ``最长`` / ``最多`` ``<=``, ``超过`` / ``高于`` ``>``, ``不足`` / ``不满`` /
  ``低于`` ``<``, ``不低于`` / ``不少于`` / ``至少`` ``>=``;
- dates (``2020 年 2 月 10 日``, ``2 月至 6 月``, ``截至 …``, ``至 …``) are periods, not numbers.

Nothing here decides how a measure is costed: the draft suggests an instrument from the wording,
as a comment, and marks the file ``draft: true``, which ``cost`` refuses until an analyst has
reviewed every entry and removed the mark.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- numerals

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 1e4, "亿": 1e8}
CN_CHARS = "".join([*CN_DIGITS, *CN_SMALL, *CN_BIG])


def cn_number(text: str) -> float | None:
    """The value of a Chinese numeral (``十二`` 12, ``两千`` 2000, ``三万五千`` 35000, ``二〇二〇``
    2020), or None when ``text`` is not one."""
    if not text or any(ch not in CN_CHARS for ch in text):
        return None
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:  # 二〇二〇: digit by digit
        return float("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0.0, 0.0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # 二三: two digits with no place between
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        else:  # 万 or 亿
            section += digit or 0
            if section == 0 and total == 0:
                section = 1
            total = (total + section) * CN_BIG[ch] if ch == "亿" else total + section * CN_BIG[ch]
            section, digit = 0.0, None
    return total + section + (digit or 0)


FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


# --------------------------------------------------------------------------- units

# Words that may follow a number, longest first: (as printed, unit of the schema, kind). Money and
# rates are amounts; the rest are counts, durations and ages (facts unless a limit binds them).
UNIT_WORDS: list[tuple[str, str, str]] = [
    ("个百分点", "个百分点", "rate"),
    ("万元", "万元", "money"),
    ("亿元", "亿元", "money"),
    ("元", "元", "money"),
    ("%", "%", "rate"),
    ("个月", "个月", "duration"),
    ("月份", "月份", "calendar"),
    ("周岁", "岁", "age"),
    ("岁", "岁", "age"),
    ("学时", "学时", "duration"),
    ("个工作日", "天", "days"),
    ("工作日", "天", "days"),
    ("日", "日", "days"),
    ("天", "天", "days"),
    ("年", "年", "duration"),
    ("倍", "元/元", "ratio"),
    ("万家", "万家", "count"),
    ("万人", "万人", "count"),
    ("万户", "万户", "count"),
    ("万个", "万个", "count"),
    ("万", "万个", "count"),
    ("个", "个", "count"),
    ("家", "家", "count"),
    ("人", "人", "count"),
    ("名", "名", "count"),
    ("项", "项", "count"),
    ("所", "所", "count"),
    ("次", "次", "count"),
    ("件", "件", "count"),
    ("户", "户", "count"),
    ("大", "个", "count"),  # 七大行业, 十大产业
    ("险", "项", "count"),  # 三险
    ("链", "个", "count"),  # 五链统筹
    ("位一体", "项", "count"),  # 六位一体
]
# After a Chinese numeral only these counters make it a number (一批, 一体化, 统一 are words).
CN_COUNTERS = ("个", "项", "年", "月", "日", "天", "名", "人", "家", "所", "次", "件", "户")
CN_COUNTERS += ("大", "险", "链", "位一体", "倍", "岁", "周岁", "学时", "元", "万元", "亿元")
CN_COUNTERS += ("万", "亿")
CN_NOT_BEFORE = ("次性", "次办", "大批", "年级", "大会", "大全", "个人", "人民", "家庭", "大力")
SKIP = ("十九大", "十九届")  # 党的十九大: names, not numbers
CN_NOT_AFTER = ("下", "上", "统", "第", "之", "唯", "进", "同", "逐", "单", "万", "划", "初")

# Words that state a number without printing it.
IMPLIED = [("减半", 50.0, "%"), ("免征", 100.0, "%"), ("暂免", 100.0, "%"), ("免收", 100.0, "%")]
IMPLIED += [("全覆盖", 100.0, "%"), ("全额", 100.0, "%")]

LE_BEFORE = ("不超过", "不高于", "不多于", "最高", "最长", "最多", "上限为", "上限")
LT_BEFORE = ("不足", "不满", "低于", "少于")
GE_BEFORE = ("不低于", "不少于", "至少", "达到")
GT_BEFORE = ("超过", "高于", "多于", "大于")
GE_AFTER = ("（含）以上", "(含)以上", "以上（含）", "以上", "及以上")
LE_AFTER = ("（含）以下", "(含)以下", "以下（含）", "以内", "以下", "内")
LT_AFTER = ("以下（不含）", "（不含）以下")

SEP = "—–~～至到-"  # the hyphen last: a character class takes it literally there
NUM = r"\d+(?:\.\d+)?"
_TOKEN = re.compile(
    rf"百分之(?P<pct>{NUM}|[{CN_CHARS}]+)"
    rf"|(?P<lo>{NUM})\s*[{SEP}]\s*(?P<hi>{NUM})"
    rf"|(?P<num>{NUM})"
    rf"|(?P<cn>[{CN_CHARS}]+)"
)
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日|份|底)?"
    r"|(?P<y2>\d{4})\s*年(?:年)?(?P<end>底|末|度)?"
)


@dataclass
class Number:
    """One number as printed: ``value`` in ``unit`` (a unit of the schema; ``printed`` is the
    word as it stands), the comparator its words give, and where it stands in the text."""

    value: float
    unit: str
    printed: str
    kind: str  # money, rate, count, duration, days, age, calendar, ratio
    comparator: str | None
    start: int  # offset of the number in the text
    end: int
    per: tuple[str, ...] = ()
    implied: str | None = None  # the word that states it (减半, 免征) when it is not printed


def _unit_after(text: str, i: int) -> tuple[str, str, str, int] | None:
    j = i
    while j < len(text) and text[j] in " \u3000\t":
        j += 1
    for printed, unit, kind in UNIT_WORDS:
        if text.startswith(printed, j):
            return printed, unit, kind, j + len(printed)
    return None


def _comparator(text: str, start: int, end: int) -> str | None:
    after = re.sub(r"\s+", "", text[end : end + 8])
    for words, cmp in ((LT_AFTER, "<"), (GE_AFTER, ">="), (LE_AFTER, "<=")):
        if any(after.startswith(w) for w in words):
            return cmp
    before = re.sub(r"\s+", "", text[max(0, start - 10) : start])
    for words, cmp in ((LE_BEFORE, "<="), (LT_BEFORE, "<"), (GE_BEFORE, ">="), (GT_BEFORE, ">")):
        for w in words:
            k = before.rfind(w)
            if k >= 0 and k + len(w) >= len(before) - 6:
                if cmp == ">" and before[max(0, k - 1) : k] == "不":
                    continue  # 不超过: found above as <=
                return cmp
    return None


PER_WORDS = [
    ("每人每天", ("人", "天")),
    ("每人每月", ("人", "月")),
    ("每人每年", ("人", "年")),
    ("每个企业", ("企业",)),
    ("每家企业", ("企业",)),
    ("每户企业", ("企业",)),
    ("每个项目", ("项目",)),
    ("每人", ("人",)),
    ("每年", ("年",)),
    ("每月", ("月",)),
    ("每天", ("天",)),
]


def _per(text: str, start: int, unit: str, printed_after: str) -> tuple[tuple[str, ...], str]:
    """What a money amount is per, from the words just before it (每人每天 200 元 -> 元/人/天)
    or after it (5元/学时)."""
    if printed_after.startswith("/"):
        word = printed_after[1:]
        full = f"{unit}/{word}"
        from ..units import UNITS

        if full in UNITS:
            return (word,), full
    clause = re.split(r"[，。；：]", text[max(0, start - 24) : start])[-1]
    clause = re.sub(r"\s+", "", clause)
    for word, per in PER_WORDS:
        if word in clause:
            full = f"{unit}/{'/'.join(per)}"
            from ..units import UNITS

            if full in UNITS:
                return per, full
    return (), unit


def _is_date(text: str, start: int, end: int) -> bool:
    """A number that belongs to a date (2020 年, 3 月 1 日, 2020—2022 年, 〔2020〕1 号)."""
    after = re.sub(r"\s+", "", text[end : end + 4])
    before = re.sub(r"\s+", "", text[max(0, start - 3) : start])
    digits = text[start:end]
    if after.startswith("号") or before.endswith("〔") or after.startswith("〕"):
        return True
    if re.fullmatch(r"\d{4}", digits) and (after.startswith("年") or after[:1] in SEP):
        return True
    if after.startswith("月") and not after.startswith("月份") and re.fullmatch(r"\d{1,2}", digits):
        return True
    if after.startswith("日") and re.search(r"月\s*$", text[max(0, start - 3) : start]):
        return True
    return False


def read_numbers(text: str) -> list[Number]:
    """Every number of ``text`` as printed (see the module's docstring), in order. Offsets are
    of ``text`` itself, so ``text[n.start:n.end]`` is the number."""
    text = text.translate(FULL_WIDTH)
    out: list[Number] = []
    for m in _TOKEN.finditer(text):
        start, end = m.start(), m.end()
        if m["pct"] is not None:
            raw = m["pct"]
            value = float(raw) if raw[0].isdigit() else cn_number(raw)
            if value is not None:
                cmp = _comparator(text, start, end)
                out.append(Number(value, "%", "%", "rate", cmp, start, end))
            continue
        if m["lo"] is not None:
            u = _unit_after(text, end)
            if _is_date(text, m.start("lo"), m.end("lo")) or u is None:
                for g in ("lo", "hi"):
                    if not _is_date(text, m.start(g), m.end(g)):
                        out += _single(text, m.start(g), m.end(g), float(m[g]))
                continue
            for g, cmp in (("lo", ">="), ("hi", "<=")):
                s, e = m.start(g), m.end(g)
                out.append(Number(float(m[g]), u[1], u[0], u[2], cmp, s, e))
            continue
        if m["num"] is not None:
            if _is_date(text, start, end):
                continue
            out += _single(text, start, end, float(m["num"]))
            continue
        out += _chinese(text, m["cn"], start)
    for word, value, unit in IMPLIED:
        for m in re.finditer(word, text):
            out.append(Number(value, unit, word, "rate", None, m.start(), m.end(), implied=word))
    out.sort(key=lambda n: n.start)
    return out


def _single(text: str, start: int, end: int, value: float) -> list[Number]:
    u = _unit_after(text, end)
    if u is None:
        return []
    printed, unit, kind, stop = u
    per: tuple[str, ...] = ()
    if kind == "money":
        per, unit = _per(text, start, unit, text[stop : stop + 4])
    if printed == "日" and re.match(r"\s*(起|前|后|内)?", text[stop:]) is None:
        return []
    return [Number(value, unit, printed, kind, _comparator(text, start, stop), start, end, per)]


def _chinese(text: str, run: str, start: int) -> list[Number]:
    """Numbers in a run of Chinese numeral characters: the longest numeral at the start of the run
    followed by a counter word (一个月, 三年内, 七大行业, 十大千亿级)."""
    out = []
    i = 0
    while i < len(run):
        found = None
        for j in range(len(run), i, -1):
            part = run[i:j]
            value = cn_number(part)
            if value is None:
                continue
            rest = text[start + j : start + j + 4]
            big = part[-1] in CN_BIG and len(part) > 1
            if big:  # 千亿级 -> 1000 亿; 一万元 -> 1 万元
                head = cn_number(part[:-1])
                if head is None:
                    continue
                unit_word = part[-1]
                found = (j, head, unit_word, rest)
                break
            if any(rest.startswith(c) for c in CN_COUNTERS) and not any(
                rest.startswith(w) for w in CN_NOT_BEFORE
            ):
                found = (j, value, None, rest)
                break
        if found is None:
            i += 1
            continue
        j, value, big, rest = found
        s, e = start + i, start + j
        before = text[max(0, s - 4) : s].rstrip()
        prev = before[-1:] if before else ""
        only_big = all(ch in CN_BIG for ch in run[i:j])
        if prev in CN_NOT_AFTER or prev.isdigit() or only_big or text.startswith(SKIP, s):
            i = j
            continue
        if big is not None:
            after = text[e - 1 : e + 3]
            if after.startswith(f"{big}元"):
                unit, kind, printed = f"{big}元", "money", f"{big}元"
            elif after.startswith(f"{big}家") or after.startswith(f"{big}人"):
                unit, kind, printed = after[:2], "count", after[:2]
            else:
                unit, kind, printed = f"{big}元", "money", big
            per: tuple[str, ...] = ()
            if kind == "money":
                per, unit = _per(text, s, unit, "")
            cmp = _comparator(text, s, e + 1)
            out.append(Number(value, unit, printed, kind, cmp, s, e - 1, per))
        else:
            u = _unit_after(text, e)
            if u is not None and not (u[0] == "年" and rest.startswith("年级")):
                printed, unit, kind, stop = u
                per = ()
                if kind == "money":
                    per, unit = _per(text, s, unit, text[stop : stop + 4])
                out.append(
                    Number(value, unit, printed, kind, _comparator(text, s, stop), s, e, per)
                )
        i = j
    return out


def numbers_in(quote: str) -> set[float]:
    """The numbers a quote states, for the check that a value stands in its quote: each number as
    printed and in full (30 万 -> 30 and 300000), every digit string, and the numbers that words
    state (免征 100 %, 减半 50 %)."""
    q = re.sub(r"\s+", "", quote).translate(FULL_WIDTH)
    found = {float(x) for x in re.findall(NUM, q)}
    for n in read_numbers(q):
        found.add(n.value)
        if n.unit.startswith("万"):
            found.add(n.value * 1e4)
        if n.unit.startswith("亿"):
            found.add(n.value * 1e8)
        if n.implied:
            found.add(n.value / 100)
    for run in re.findall(f"[{CN_CHARS}]+", q):
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                v = cn_number(run[i:j])
                if v is not None:
                    found.add(v)
    return found


# --------------------------------------------------------------------------- documents

_DOC_LINE = re.compile(r"^[\u4e00-\u9fff]{2,12}[〔\[（(]\d{4}[〕\]）)]\d+号$")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document_span(text: str, doc: str) -> tuple[int, int] | None:
    """Where the document numbered ``doc`` stands in ``text``: from the title lines before its
    number (printed alone on a line) to the title lines of the next document, or None when its
    number is not printed alone on a line. A text of one document without such a line is all of
    it (``document_text``)."""
    lines = text.splitlines(keepends=True)
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    heads = [i for i, line in enumerate(lines) if _DOC_LINE.match(squash(line))]
    mine = [i for i in heads if squash(lines[i]) == squash(doc)]
    if not mine:
        return None
    first = mine[0]
    later = [i for i in heads if i > first]
    start = _title_start(lines, first)
    end = offsets[_title_start(lines, later[0])] if later else len(text)
    return offsets[start], end


def _title_start(lines: list[str], head: int) -> int:
    """The first of the (at most three) title lines above a document number line."""
    i, taken = head, 0
    while i > 0 and taken < 3:
        prev = lines[i - 1].strip()
        if not prev:
            i -= 1
            continue
        if "。" in prev or prev.endswith(("）", ")")) and "印发" in prev:
            break
        if re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", prev):
            break
        i -= 1
        taken += 1
    while i < head and not lines[i].strip():
        i += 1
    return i


def document_text(text: str, doc: str) -> str:
    """The part of ``text`` that is the document ``doc`` (all of it when its number is not printed
    alone on a line)."""
    span = document_span(text, doc)
    return text if span is None else text[span[0] : span[1]]


# --------------------------------------------------------------------------- clauses

_TOP = re.compile(r"^([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
_ITEM = re.compile(r"^(\d+)\s*[.．、](?!\d)|^(第[一二三四五六七八九十百]+条)")


@dataclass
class Clause:
    label: str
    title: str
    start: int  # offset in the document's text
    end: int
    numbers: list[Number] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)


@dataclass
class Period:
    start: dt.date | None
    end: dt.date | None
    quote: str


def clauses(text: str) -> list[Clause]:
    """The clauses of a document's text: a heading ``一、`` / ``（一）`` / ``1.`` starts one; the
    label joins the levels as the catalog writes them (``二（一）1``; a document numbered 1, 2, 3
    … under ``一、`` headings with no ``（一）`` level gives the number alone). Text before the
    first heading is clause ``0``."""
    lines = text.splitlines(keepends=True)
    heads: list[tuple[int, str, str, str]] = []  # offset, level, numeral, rest of line
    pos = 0
    for line in lines:
        s = line.strip()
        for level, rx in (("top", _TOP), ("sub", _SUB), ("item", _ITEM)):
            m = rx.match(s)
            if m:
                numeral = next(g for g in m.groups() if g)
                heads.append((pos + line.index(s[0]), level, numeral, s[m.end() :]))
                break
        pos += len(line)
    has_sub = any(h[1] == "sub" for h in heads)
    out = [Clause("0", "", 0, heads[0][0] if heads else len(text))]
    top = sub = ""
    for k, (offset, level, numeral, rest) in enumerate(heads):
        if level == "top":
            top, sub, label = numeral, "", numeral
        elif level == "sub":
            sub, label = f"（{numeral}）", f"{top}（{numeral}）"
        else:
            label = f"{top}{sub}{numeral}" if has_sub else numeral
        end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        title = re.split(r"[。：:；]", rest, maxsplit=1)[0].strip()
        out.append(Clause(label, title[:40], offset, end))
    return [c for c in out if c.end > c.start]


# --------------------------------------------------------------------------- quotes and dates

_BREAK = re.compile(r"[，。；：！？\n]|,(?!\d)")
QUOTE_MAX = 40


def quote_around(text: str, start: int, end: int) -> str:
    """A short verbatim span of ``text`` holding ``text[start:end]``: the phrase between the
    punctuation marks around it, cut to about ``QUOTE_MAX`` characters, never across a line."""
    left = start
    while left > 0 and not _BREAK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _BREAK.match(text[right]):
        right += 1
    if end - left > QUOTE_MAX // 2 + (end - start):
        left = max(left, start - QUOTE_MAX // 2)
    if right - start > QUOTE_MAX:
        right = min(right, end + QUOTE_MAX // 2)
    return text[left:right].strip()


def _date(y: int, m: int, d: int | None, last: bool) -> dt.date | None:
    try:
        if d is None:
            if last:
                nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(y, m, 1)
        return dt.date(y, m, d)
    except ValueError:
        return None


_RANGE_WORDS = ("至", "到", "—", "－", "-", "~", "～")


def read_periods(text: str, year: int) -> list[Period]:
    """Dated windows in ``text``: ``A 至 B`` (both ends), ``截至/至 B`` (an end), ``A 起`` (a
    start). Months without a day cover the whole month; a year not printed is ``year`` (or the
    year of the date before it)."""
    dates = []
    current = year
    for m in _DATE.finditer(text):
        if m["m"] is not None:
            y = int(m["y"]) if m["y"] else current
            current = y
            day = int(m["d"]) if m["d"] else None
            dates.append((m.start(), m.end(), y, int(m["m"]), day))
    out = []
    used: set[int] = set()
    for k, (s, e, y, mo, d) in enumerate(dates):
        if k in used:
            continue
        between = squash(text[e : dates[k + 1][0]]) if k + 1 < len(dates) else None
        before = squash(text[max(0, s - 3) : s])
        if between is not None and between in _RANGE_WORDS:
            s2, e2, y2, mo2, d2 = dates[k + 1]
            used.add(k + 1)
            a, b = _date(y, mo, d, False), _date(y2, mo2, d2, True)
            lo = max(0, s - 2) if before.endswith(("自", "从")) else s
            if a and b:
                out.append(Period(a, b, text[lo:e2].strip()))
        elif before.endswith(("截至", "截止", "至")):
            b = _date(y, mo, d, True)
            if b:
                out.append(Period(None, b, text[max(0, s - 2) : e].strip()))
        elif squash(text[e : e + 2]).startswith("起"):
            a = _date(y, mo, d, False)
            if a:
                out.append(Period(a, None, text[s : e + 2].strip()))
    return out


# --------------------------------------------------------------------------- the draft

INSTRUMENT_HINTS: list[tuple[str, str]] = [
    (r"每人每天", "per_person_per_day"),
    (r"每人每月", "per_person_per_month"),
    (r"返还.{0,12}(保险费|失业保险)", "premium_refund"),
    (r"免征|减半征收|减免.{0,6}(缴费|社保)", "contribution_exemption"),
    (r"费率.{0,12}降低|降低.{0,12}费率", "contribution_rate_cut"),
    (r"残保金|残疾人就业保障金", "levy_relief"),
    (r"最低工资标准的", "wage_linked_subsidy"),
    (r"延长|延至", "benefit_extension"),
    (r"培训|学时", "training_subsidy"),
    (r"租金", "rent_relief_subsidy"),
    (r"担保贷款|贷款", "loan_guarantee"),
    (r"服务站|工作站.{0,10}每年", "service_grant"),
    (r"分别给予", "tiered_grant"),
    (r"的\s*\d+(\.\d+)?\s*%.{0,20}最高|最高.{0,20}的\s*\d+(\.\d+)?\s*%", "capped_share_grant"),
    (r"每年(设置|安排)", "budget_line"),
    (r"每(新吸纳|介绍|成功)?.{0,6}人.{0,10}元", "per_head_grant"),
]


def suggest_instrument(text: str) -> tuple[str, str] | None:
    """The instrument the wording of ``text`` suggests, and the words that suggest it."""
    for pattern, instrument in INSTRUMENT_HINTS:
        m = re.search(pattern, text)
        if m:
            return instrument, m.group(0)
    return None


AMOUNT_KINDS = ("money", "rate", "ratio", "duration")


@dataclass
class DraftEntry:
    number: Number
    quote: str
    clause: str


def _name(n: Number, used: set[str]) -> str:
    if n.kind == "money":
        base = "cap" if n.comparator in ("<=", "<") else "amount"
    elif n.kind == "rate":
        base = "rate_change" if n.unit == "个百分点" else "share"
    elif n.kind == "duration":
        base = {"年": "years", "个月": "months", "学时": "hours"}.get(n.unit, "duration")
        base = f"max_{base}" if n.comparator in ("<=", "<") else base
    elif n.kind == "ratio":
        base = "ratio"
    else:
        base = "number"
    name, k = base, 2
    while name in used:
        name, k = f"{base}_{k}", k + 1
    used.add(name)
    return name


def _s(text: str) -> str:
    """A YAML scalar: JSON's double-quoted string (valid YAML), Chinese kept."""
    return json.dumps(text, ensure_ascii=False)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


_ISSUED = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", re.M)


def draft(text: str, doc: str, source: str = "") -> tuple[str, list[DraftEntry]]:
    """The YAML skeleton of the document ``doc`` of ``text`` (the policy schema, ``draft: true``)
    and every number it found, in order."""
    span = document_span(text, doc)
    body = text if span is None else text[span[0] : span[1]]
    head = [line.strip() for line in body.splitlines()[:12] if line.strip()]
    title_lines = []
    for line in head:
        if squash(line) == squash(doc):
            break
        title_lines.append(line)
    title = squash("".join(title_lines)) if span is not None else ""
    issuer_m = re.match(r"^(.*?人民政府办公厅|.*?人民政府|.*?办公室)", title)
    issuer = issuer_m.group(1) if issuer_m else ""
    issued_m = _ISSUED.search(body)
    issued = dt.date(int(issued_m[1]), int(issued_m[2]), int(issued_m[3])) if issued_m else None
    year = issued.year if issued else dt.date.today().year
    entries: list[DraftEntry] = []
    lines = [
        "# Draft written by `jnpolicy draft`"
        + (f" from {source}" if source else "")
        + ": every number the text prints,",
        "# with its unit, its comparator and its words. Review every entry: name the measures,",
        "# choose each instrument (suggested in a comment), write the English titles, move numbers",
        "# between parameters and facts, add the costing blocks, then remove `draft: true`:",
        "# `jnpolicy cost` refuses a draft.",
        "draft: true",
        f"doc: {_s(squash(doc))}",
        f"title_zh: {_s(title)}" + ("" if title else "  # not found: copy the title"),
        'title_en: ""  # to write',
        f"issuer: {_s(issuer)}" + ("" if issuer else "  # not found: who issued it"),
        f"issued: {issued.isoformat() if issued else '2000-01-01  # not found: the date of issue'}",
        "",
        "measures:",
    ]
    fact_lines: list[str] = []
    ids: set[str] = set()
    for c in clauses(body):
        part = body[c.start : c.end]
        numbers = [n for n in read_numbers(part)]
        periods = read_periods(part, year)
        if not numbers:
            continue
        params, facts = [], []
        for n in numbers:
            q = quote_around(part, n.start, n.end)
            at = dataclasses.replace(n, start=n.start + c.start, end=n.end + c.start)
            entries.append(DraftEntry(at, q, c.label))
            amount = n.kind in AMOUNT_KINDS  # counts, days, ages and months of the year: facts
            (params if amount else facts).append((n, q))
        label = c.label
        base_id = "clause_" + re.sub(r"[^a-z0-9]+", "_", _ascii(label)).strip("_")
        if params:
            mid = base_id
            k = 2
            while mid in ids:
                mid, k = f"{base_id}_{k}", k + 1
            ids.add(mid)
            hint = suggest_instrument(part)
            lines += [
                f"  - id: {mid}",
                f"    clause: {_s(label)}",
                f"    title_zh: {_s(c.title)}",
                '    title_en: ""  # to write',
                "    instrument: unpriced"
                + (
                    f"  # suggested: {hint[0]} (from the words {_s(hint[1])}); a suggestion, not a decision"
                    if hint
                    else "  # no instrument suggested by the words: choose one"
                ),
            ]
            if periods:
                p = periods[0]
                lines.append("    period:")
                if p.start:
                    lines.append(f"      start: {p.start.isoformat()}")
                if p.end:
                    lines.append(f"      end: {p.end.isoformat()}")
                lines.append(f"      quote: {_s(p.quote)}")
                for other in periods[1:]:
                    lines.append(
                        f"      # also dated: {other.start or '…'} to {other.end or '…'}, {_s(other.quote)}"
                    )
            lines.append("    parameters:")
            used: set[str] = set()
            for n, q in params:
                lines.append(f"      {_name(n, used)}:")
                lines.append(f"        value: {_num(n.value)}")
                lines.append(f"        unit: {_s(n.unit)}")
                if n.comparator:
                    lines.append(f"        comparator: {_s(n.comparator)}")
                if n.per:
                    lines.append(f"        per: {_s('/'.join(n.per))}")
                lines.append(f"        quote: {_s(q)}")
                if n.implied:
                    lines.append(
                        f"        # stated by the word {n.implied}, not printed as a number"
                    )
                if n.printed != n.unit and not n.implied and n.kind != "money":
                    lines.append(f"        # printed as {_s(n.printed)}")
        for n, q in facts:
            fid = f"{base_id}_fact"
            k = 1
            while f"{fid}_{k}" in ids:
                k += 1
            ids.add(f"{fid}_{k}")
            fact_lines += [
                f"  - id: {fid}_{k}",
                f"    clause: {_s(label)}",
                f"    description_zh: {_s(q)}",
                '    description_en: ""  # to write',
                f"    value: {_num(n.value)}",
                f"    unit: {_s(n.unit)}",
                f"    quote: {_s(q)}",
            ]
            if n.comparator:
                fact_lines.append(f"    # comparator: {n.comparator}")
    if lines[-1] == "measures:":
        lines[-1] = "measures: []"
    lines.append("")
    lines.append("facts:" if fact_lines else "facts: []")
    lines += fact_lines
    return "\n".join(lines) + "\n", entries


def _ascii(label: str) -> str:
    """A clause label in ASCII for an id: 二（一）1 -> 2_1_1."""
    out, run = [], ""
    for ch in label:
        if ch in CN_CHARS:
            run += ch
            continue
        if run:
            out.append(str(int(cn_number(run) or 0)))
            run = ""
        out.append(ch if ch.isascii() and ch.isalnum() else "_")
    if run:
        out.append(str(int(cn_number(run) or 0)))
    return "".join(out).lower()


# --------------------------------------------------------------------------- measured against a catalog


def _squash_map(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and the offset in ``text`` of each character kept."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def catalog_numbers(catalog, doc: str, targets: bool = False) -> list[tuple[str, float, str]]:
    """(where, value as printed, quote) of every number ``data/policies`` holds for ``doc``: the
    parameters of its measures and its facts (and, with ``targets``, its targets' numbers)."""
    out = []
    if targets and doc in catalog.target_documents:
        for t in catalog.target_documents[doc].targets:
            for v in (t.value, t.value_max):
                if v is not None:
                    out.append((f"target {t.id}", float(v), t.quote))
    d = catalog.documents[doc]
    for m in d.measures:
        for name, p in m.parameters.items():
            out.append((f"{m.id}.{name}", float(p.value), p.quote))
    for f in d.facts:
        out.append((f.id, float(f.value), f.quote))
    return out


def score(catalog, text: str, doc: str) -> dict:
    """How the draft of ``doc`` compares with the catalog: ``recall`` (the share of the numbers
    ``data/policies`` holds that the draft found: the same value at a place inside the catalog's
    quote), ``precision`` (the share of the draft's numbers that the catalog holds, its targets
    included), whether every draft quote stands
    verbatim in the text, and the numbers found that the catalog does not hold."""
    body = document_text(text, doc)
    _, entries = draft(text, doc)
    flat, where = _squash_map(body)
    spans, target_spans = [], []
    for name, value, quote in catalog_numbers(catalog, doc, targets=True):
        q = squash(quote)
        found_at = [(k, k + len(q)) for k in _find_all(flat, q)]
        (target_spans if name.startswith("target ") else spans).append((name, value, found_at))
    positions = []
    for e in entries:
        k = _index_at(where, e.number.start)
        positions.append(k)
    found = []
    matched_entries: set[int] = set()
    missed = []
    for name, value, occurrences in spans:
        hits = [
            i
            for i, (e, k) in enumerate(zip(entries, positions, strict=True))
            if _same(e.number, value) and any(a <= k < b for a, b in occurrences)
        ]
        if hits:
            found.append(name)
            matched_entries.update(hits)
        else:
            missed.append({"where": name, "value": value})
    for _, value, occurrences in target_spans:  # numbers the catalog holds as targets
        matched_entries.update(
            i
            for i, (e, k) in enumerate(zip(entries, positions, strict=True))
            if _same(e.number, value) and any(a <= k < b for a, b in occurrences)
        )
    verbatim = all(squash(e.quote) in flat and e.quote in body for e in entries)
    extra = [
        {"clause": e.clause, "value": e.number.value, "unit": e.number.unit, "quote": e.quote}
        for i, e in enumerate(entries)
        if i not in matched_entries
    ]
    total = len(spans)
    return {
        "doc": doc,
        "catalog_numbers": total,
        "draft_numbers": len(entries),
        "found": len(found),
        "recall": len(found) / total if total else 1.0,
        "precision": len(matched_entries) / len(entries) if entries else 1.0,
        "quotes_verbatim": verbatim,
        "missed": missed,
        "not_in_catalog": extra,
    }


def _find_all(flat: str, q: str) -> list[int]:
    out, k = [], flat.find(q)
    while q and k >= 0:
        out.append(k)
        k = flat.find(q, k + 1)
    return out


def _index_at(where: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_left(where, offset)


def _same(n: Number, value: float) -> bool:
    return abs(n.value - value) < 1e-9 * max(1.0, abs(value))
