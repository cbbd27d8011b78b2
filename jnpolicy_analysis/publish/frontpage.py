"""The front page of a report run (``index.html``): how much, how sure, on track?

It opens with the run's status, date, commit and duration; the headline totals by scenario
(class A, central and P5–P95, in 亿元); the targets' statuses; thumbnails of the key figures, each
linking to the page that shows it; the briefing pack; then every page, figure and table of the
run, and the earlier runs by date. Every text that comes from the data is HTML-escaped.

``run_extras`` makes what the front page reads, while the run's costing cache is still there:
``summary.json`` (the totals and statuses, in 元) and the briefing pack. ``index_html`` writes the
page from it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from pathlib import Path

from ..formatting import amount, amount_range, percent
from .presentation import stress_title

SUMMARY = "summary.json"
UNIT = "亿元"
THUMB_WIDTH = 480  # px: two columns of thumbnails on a laptop, one on a phone
# (figure, folder relative to the run: "briefing" or "{base}", page) in the order shown
KEY_FIGURES = [
    ("cost_by_document", "briefing", "00_briefing"),
    ("cost_fan", "briefing", "00_briefing"),
    ("cost_by_measure", "briefing", "00_briefing"),
    ("monthly_by_fund", "{base}", "01_employment_costs"),
    ("target_paths", "briefing", "00_briefing"),
    ("consistency_table", "briefing", "00_briefing"),
]
STATUS_CLASS = {
    "achieved": "ok",
    "on track": "ok",
    "at risk": "warn",
    "off track": "bad",
    "no observation": "none",
}

CSS = (
    "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',"
    "sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;color:#222;line-height:1.5}"
    "h1{font-size:1.45em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
    ".muted{color:#666;font-size:.9em}.status{padding:.5em .8em;border-radius:4px;background:#eef6ee}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-size:.92em}th,td{padding:.3em .6em;border-bottom:1px solid #e3e3e3;"
    "text-align:left;vertical-align:top}th.n{text-align:right}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".badge{display:inline-block;padding:0 .5em;border-radius:3px;white-space:nowrap}"
    ".ok{background:#d9f0d9}.warn{background:#fbe9c9}.bad{background:#f6d0d0}.none{background:#e6e6e6}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(15em,1fr));gap:1em}"
    ".grid a{display:block;text-decoration:none;color:#222;border:1px solid #ddd;border-radius:4px;padding:.4em}"
    ".grid img{width:100%;height:auto;display:block}"
    "details{margin:.3em 0}summary{cursor:pointer}li{margin:.2em 0}"
    "a{overflow-wrap:anywhere}"
    "@media (max-width:600px){body{margin:.5em auto;padding:0 .6em}h1{font-size:1.2em}"
    "table{font-size:.85em}}"
)


# --------------------------------------------------------------------------- what the page reads


def base_scenario(names: list[str]) -> str:
    """The scenario the front page and the briefing pack show: central when run, else the first."""
    return "central" if "central" in names else names[0]


def summarise(run_dir: Path, analyses: list) -> dict:
    """The totals of every scenario and the base scenario's targets, from the run's analyses (the
    numbers its pages show); written to ``summary.json``."""
    from .presentation import central_of, stress_note

    base = base_scenario([a.name for a in analyses])
    ordered = sorted(analyses, key=lambda a: (a.name != base, a.name))
    draws, seed = ordered[0].draws, ordered[0].seed
    rows = []
    costs = [a.cost for a in ordered]
    central = central_of(costs)
    for cost in costs:
        sc = cost.scenario
        total = cost.totals()["cost"]
        row = {
            "name": sc.name,
            "title_zh": sc.title_zh,
            "title_en": sc.title_en,
            "central": total["central"],
            "unit": "yuan",
            "stress_case": bool(cost.stress_case),
            # each measure's central (元), for the changes since the last report
            "measures": {m: float(v) for m, v in cost.costed["central"].items()},
        }
        if cost.stress_case:  # a point: no P5–P95 of its own, and the line on why it lies outside
            row["note_zh"] = stress_note(cost, central, "zh", UNIT)
            row["note_en"] = stress_note(cost, central, "en", UNIT)
        else:
            row["p5"], row["p95"] = total["p5"], total["p95"]
        rows.append(row)
    targets = ordered[0].targets
    statuses = [
        {
            "id": r.id,
            "doc": r.doc,
            "clause": r.clause,
            "kind": r.kind,
            "metric_zh": r.metric_zh,
            "metric_en": r.metric_en,
            "status": r.status,
            "probability_met": r.probability_met,
            "deadline": r.deadline,
        }
        for r in targets.results
    ]
    summary = {
        "base": base,
        "draws": draws,
        "seed": seed,
        "scenarios": rows,
        "who_pays": who_pays(ordered[0].cost),
        "targets": statuses,
        "status_rule": targets.status_rule,
        "status_rule_zh": targets.status_rule_in("zh"),
        "status_rule_en": targets.status_rule_in("en"),
    }
    (run_dir / SUMMARY).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return summary


def who_pays(cost) -> dict | None:
    """The base scenario's class-A cost by budget and level of government (central, 元), the
    city's own 一般公共预算 apart from the funds it pools, and the flows outside the perimeter:
    read from the costing's financing summary (one ledger of draws), None without one."""
    fin = getattr(cost, "financing", None)
    if fin is None:
        return None
    t = fin["totals"]
    matrix = {
        b: {lv: st["central"] for lv, st in levels.items()}
        for b, levels in t["by_budget_and_level"].items()
    }
    out = {"by_budget_and_level": matrix, "outside_perimeter": t["outside_perimeter"]["central"]}
    city = t.get("city_budget")
    if city is not None:
        out["city_general_public_budget"] = city["general_public_budget"]["central"]
        out["city_pooled_funds"] = city["pooled_funds"]["central"]
    return out


def thumbnails(run_dir: Path, base: str) -> list[dict]:
    """Small PNGs of the key figures the run made, in ``assets/thumbs/``: one entry per figure
    found (name, thumbnail, full PNG and page, relative to the run)."""
    from PIL import Image

    out = run_dir / "assets" / "thumbs"
    found = []
    for name, folder, page in KEY_FIGURES:
        folder = folder.format(base=base)
        png = run_dir / folder / "figures" / f"{name}.png"
        if not png.is_file():
            continue
        out.mkdir(parents=True, exist_ok=True)
        thumb = out / f"{folder}__{name}.png"
        with Image.open(png) as image:
            image = image.convert("RGB")
            height = round(image.height * THUMB_WIDTH / image.width)
            small = image.resize((THUMB_WIDTH, height), Image.Resampling.LANCZOS)
            small = small.quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            buffer = io.BytesIO()
            small.save(buffer, format="png", optimize=True)
        thumb.write_bytes(buffer.getvalue())
        found.append(
            {
                "name": name,
                "thumb": thumb.relative_to(run_dir).as_posix(),
                "png": png.relative_to(run_dir).as_posix(),
                "page": f"{folder}/{page}.html",
            }
        )
    return found


def run_extras(staging: Path, analyses: list, as_of: str, lang: str) -> dict:
    """What a report run adds once its notebooks succeeded, from the run's analyses: the summary
    the front page reads, the thumbnails, and the briefing pack (``briefing/``). If any of it
    fails the staging folder is removed and ReportFailed raised: no half-made run is published,
    the last good report stays."""
    from ..errors import ReportFailed
    from .brief import write_briefing

    try:
        summary = summarise(staging, analyses)
        base = next(a for a in analyses if a.name == summary["base"])
        write_briefing(
            base,
            staging / "briefing",
            lang=lang,
            as_of=as_of,
            figure_dirs=[staging / "briefing" / "figures", staging / summary["base"] / "figures"],
        )
        summary["thumbnails"] = thumbnails(staging, summary["base"])
        (staging / SUMMARY).write_text(
            json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        return summary
    except Exception as exc:
        raise ReportFailed(
            f"front page and briefing pack: {type(exc).__name__}: {exc}"
            " (the last good report is unchanged)"
        ) from exc


# --------------------------------------------------------------------------- the page

# the page's own words, Chinese and English: the page is in the run's language only
WORDS = {
    "title": ("济南市政策成本与目标跟踪报告", "Jinan policy costing and targets"),
    "status": ("状态：完整", "Status: complete"),
    "scenarios": ("{n} 个情景，{pages} 页", "{n} scenarios, {pages} pages"),
    "as_of": ("日期", "as of"),
    "made": ("生成于", "made"),
    "took": ("用时", "took"),
    "pack": ("简报材料", "Briefing pack"),
    "pack_all": ("综合简报（全部情景）", "Briefing (all scenarios)"),
    "figures": ("图表", "Figures"),
    "tables": ("表格", "Tables"),
    "settings": (
        "蒙特卡洛 {draws} 次抽样，随机种子 {seed}；假设取情景的{point}",
        "{draws} draws, seed {seed}; assumptions at their {point}",
    ),
    "totals": ("总成本（按情景）", "Headline totals by scenario"),
    "totals_note": (
        "A类（支出与减收），2020–2022年合计，单位 亿元（10<sup>8</sup> 元）；蒙特卡洛 {draws} 次"
        "抽样，随机种子 {seed}，各情景相同。担保（C类）与缓缴（D类）在各页单列。",
        "Class A (spending and forgone revenue), 2020–2022, in 亿元 (100 million yuan); the same"
        " {draws} draws and seed {seed} for every scenario. Guarantees (C) and deferrals (D) are"
        " shown apart in the pages.",
    ),
    "scenario": ("情景", "Scenario"),
    "pays": ("谁来支付（亿元）", "Who pays (亿元)"),
    "pays_note": (
        "基准情景A类成本按预算与政府层级；各格由同一组抽样求和，合计等于A类成本。",
        "Class A of the base scenario by budget and level of government; every cell is summed"
        " from the same draws, and they add up to the class-A cost.",
    ),
    "budget": ("预算", "Budget"),
    "pays_total": ("合计", "Total"),
    "pays_city": (
        "市级承担中，市本级一般公共预算 {general}，市级统筹的社会保险基金 {pooled}",
        "At municipal level: the city's general public budget {general}, the social-insurance"
        " funds it pools {pooled}",
    ),
    "pays_outside": (
        "体制外资金（住房公积金等）{outside}，不计入成本。",
        "Outside general government (the housing fund) {outside}, not added.",
    ),
    "central": ("中央估计（亿元）", "Central (亿元)"),
    "range": ("P5–P95（亿元）", "P5–P95 (亿元)"),
    "diff": ("与{base}之差（亿元）", "vs {base} (亿元)"),
    "note": ("说明", "Note"),
    "targets": ("目标状态（{base}）", "The targets ({base})"),
    "document": ("文件与条款", "Document"),
    "target": ("目标", "Target"),
    "deadline": ("期限", "Deadline"),
    "p_met": ("达成概率", "P(met)"),
    "target_status": ("状态", "Status"),
    "key_figures": ("主要图表", "Key figures"),
    "earlier": ("往期报告", "Earlier runs"),
    "none": ("无", "none"),
    "complete": ("完整", "complete"),
    "failed": ("失败", "failed"),
    "unreadable": ("无法读取", "unreadable"),
    "since": ("自上次报告（{date}）以来", "Since the last report ({date})"),
    "no_change": (
        "无变化：输入文件、程序版本与抽样设置均与上次相同。",
        "No change: the same input files, package version and Monte Carlo settings as last time.",
    ),
    "first": ("这是此输出目录中的第一份报告。", "This is the first report in this folder."),
    "moved": (
        "{title} A类成本中央估计 {before} → {after} 亿元（{diff}）",
        "{title}: class-A central {before} → {after} 亿元 ({diff})",
    ),
    "status_moved": ("{metric}：{before} → {after}", "{metric}: {before} → {after}"),
    "why": ("变化来源（依次替换并重新测算）", "Why (swapped in one at a time and re-costed)"),
    "step_cost": ("A类成本 {diff} 亿元", "class A {diff} 亿元"),
    "step0": ("程序版本、报告日期与抽样设置", "package, report date and Monte Carlo settings"),
    "residual": ("余差", "residual"),
    "inputs": ("变化的输入文件", "Input files changed"),
    "version": ("程序版本 {before} → {after}", "package version {before} → {after}"),
    "added": ("新增", "added"),
    "removed": ("删除", "removed"),
    "changed": ("修改", "changed"),
}
POINTS = {
    "central": ("中央值", "central values"),
    "low": ("下限", "low bounds"),
    "high": ("上限", "high bounds"),
}


def w(key: str, lang: str, **kw) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**kw)


def _has_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def _status_label(status: str, lang: str) -> str:
    from .presentation import labelled

    return labelled("status", status, lang)


# figures whose title label is not named after the figure
TITLE_KEYS = {
    "consistency_table": "title.consistency",
    "assumption_tornado": "title.tornado",
    "scenario_comparison": "title.comparison",
}


def _figure_title(name: str, lang: str) -> str:
    from ..charts.labels import has_label, label

    key = TITLE_KEYS.get(name, f"title.{name}")
    return label(key, lang) if has_label(key) else name


def earlier_runs(out: Path | None, this_as_of: str) -> list[dict]:
    """The other dated runs in ``out`` (newest first) with their status, and the failed runs."""
    if out is None or not out.is_dir():
        return []
    runs = []
    for p in out.iterdir():
        if not p.is_symlink() or p.name == "latest" or p.name == this_as_of:
            continue
        try:
            dt.date.fromisoformat(p.name)
        except ValueError:
            continue
        entry = {"date": p.name, "href": f"../{p.name}/index.html", "status": "complete"}
        try:
            manifest = json.loads((p / "manifest.json").read_text(encoding="utf-8"))
            entry["commit"] = str(manifest.get("git_commit", ""))[:12]
            entry["seconds"] = manifest.get("timings_seconds", {}).get("total")
            entry["created"] = manifest.get("created", "")
        except (OSError, ValueError):
            entry["status"] = "unreadable"
        try:
            summary = json.loads((p / SUMMARY).read_text(encoding="utf-8"))
            base = next(s for s in summary["scenarios"] if s["name"] == summary["base"])
            entry["total"] = base["central"]
        except (OSError, ValueError, KeyError, StopIteration):
            pass
        runs.append(entry)
    failed = out / "_failed"
    if failed.is_dir():
        for p in failed.iterdir():
            if p.is_dir():
                day = f"{p.name[:4]}-{p.name[4:6]}-{p.name[6:8]}" if len(p.name) >= 8 else p.name
                runs.append(
                    {
                        "date": day,
                        "href": f"../_failed/{p.name}/errors.txt",
                        "status": "failed",
                        "created": p.name,
                    }
                )
    return sorted(runs, key=lambda r: (r["date"], r.get("created", "")), reverse=True)


def _links(run_dir: Path, folder: str, lang: str = "zh") -> list[str]:
    esc = html.escape
    base = run_dir / folder
    items = []
    for page in sorted(base.glob("*.html")):
        items.append(f'<li><a href="{esc(folder)}/{esc(page.name)}">{esc(page.stem)}</a></li>')
    for kind in ("figures", "tables"):
        label = w(kind, lang)
        d = base / kind
        files = sorted(d.glob("*")) if d.is_dir() else []
        if not files:
            continue
        stems: dict[str, list[Path]] = {}
        for f in files:
            stems.setdefault(f.stem if kind == "figures" else f.name, []).append(f)
        parts = []
        for stem, paths in stems.items():
            formats = ", ".join(
                f'<a href="{esc(folder)}/{kind}/{esc(p.name)}">{esc(p.suffix.lstrip("."))}</a>'
                for p in paths
            )
            parts.append(f"{esc(stem)} ({formats})" if kind == "figures" else formats)
        items.append(
            f"<li><details><summary>{label} ({len(stems)})</summary>{'; '.join(parts)}"
            "</details></li>"
        )
    return items


def index_html(
    run_dir: Path, as_of: str, scenarios: list, manifest: dict, out: Path | None = None
) -> str:
    """The front page of the run in ``run_dir`` (see the module's docstring)."""
    esc = html.escape
    lang = manifest.get("lang", "zh")
    try:
        summary = json.loads((run_dir / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = None
    seconds = manifest.get("timings_seconds", {}).get("total")
    commit = str(manifest.get("git_commit", "unknown"))
    n_pages = len(list(run_dir.rglob("*.html")))
    zh = lang == "zh"
    sep = "：" if zh else ": "
    took = f"{seconds:.0f} s" if isinstance(seconds, int | float) else "–"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{w('title', lang)} {esc(as_of)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{w('title', lang)} — {esc(as_of)}</h1>",
        '<p class="status">'
        f"<b>{w('status', lang)}</b> — {w('scenarios', lang, n=len(scenarios), pages=n_pages + 1)}"
        f" · {w('as_of', lang)}{sep}<b>{esc(as_of)}</b> · "
        f"{w('made', lang)}{sep}{esc(str(manifest.get('created', '')))} · "
        f"{w('took', lang)}{sep}{esc(took)} · "
        f'commit <code title="{esc(commit)}">{esc(commit[:12])}</code> · '
        f"jnpolicy_analysis {esc(str(manifest.get('package_version', '')))} · "
        '<a href="manifest.json">manifest.json</a></p>',
    ]
    parts += _since(run_dir, lang)
    if summary:
        parts += _totals(summary, lang)
        parts += _who_pays(summary, lang)
        parts += _targets(summary, lang)
        parts += _thumbs(summary, lang)
    parts.append(f"<h2>{w('pack', lang)}</h2><ul>")
    for name, what in (("briefing.pdf", "A4 PDF"), ("briefing.pptx", "PowerPoint 16:9")):
        if (run_dir / "briefing" / name).is_file():
            parts.append(f'<li><a href="briefing/{name}">{name}</a> ({what})</li>')
    parts.append("</ul>")
    parts.append(f"<h2>{w('pack_all', lang)}</h2><ul>")
    parts += _links(run_dir, "briefing", lang)
    parts.append("</ul>")
    for sc in scenarios:
        title = sc.title_zh if zh else sc.title_en
        parts.append(f"<h2>{esc(title)} <code>{esc(sc.name)}</code></h2>")
        if sc.description and _has_cjk(sc.description) == zh:  # in the page's language
            parts.append(f'<p class="muted">{esc(sc.description)}</p>')
        point = POINTS.get(sc.point, (sc.point, sc.point))[0 if zh else 1]
        settings = w("settings", lang, draws=f"{sc.draws:,}", seed=sc.seed, point=point)
        parts.append(f'<p class="muted">{esc(settings)}</p><ul>')
        parts += _links(run_dir, sc.name, lang)
        parts.append("</ul>")
    parts += _earlier(out, as_of, lang)
    parts.append("</body></html>")
    return "\n".join(parts)


def _since(run_dir: Path, lang: str) -> list[str]:
    """The block the page opens with: what changed since the previous complete run and why
    (``changes.json``), or "no change", or that this is the first run."""
    from .changes import CHANGES

    esc = html.escape
    try:
        c = json.loads((run_dir / CHANGES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if c.get("previous") is None:
        return [f'<p class="muted">{w("first", lang)}</p>']
    date = esc(str(c["previous"].get("as_of") or ""))
    head = f"<h2>{w('since', lang, date=date)}</h2>"
    if not c.get("changed"):
        return [head, f"<p>{w('no_change', lang)}</p>"]

    def yi(v) -> str:
        return "–" if v is None else amount(v, UNIT, 2)

    def signed(v) -> str:
        text = yi(v)
        return text if text.startswith(("-", "–")) else "+" + text

    items = []
    for t in c.get("totals", []):
        if abs(t.get("change") or 0) > 0:
            title = t.get("title_zh" if lang == "zh" else "title_en") or t["scenario"]
            items.append(
                w("moved", lang, title=esc(title), before=yi(t["central"]["before"]),
                  after=yi(t["central"]["after"]), diff=signed(t["change"]))
            )  # fmt: skip
    for t in c.get("targets", []):
        metric = t.get("metric_zh" if lang == "zh" else "metric_en") or t["id"]
        before = _status_label(t["before"], lang) if t.get("before") else "–"
        items.append(
            w("status_moved", lang, metric=esc(metric), before=esc(before),
              after=esc(_status_label(t["after"], lang)))
        )  # fmt: skip
    causes = c.get("causes", {})
    files = [
        f"<code>{esc(i['file'])}</code>（{w(i['change'], lang)}）"
        if lang == "zh"
        else f"<code>{esc(i['file'])}</code> ({w(i['change'], lang)})"
        for i in causes.get("inputs", [])
    ]
    if files:
        items.append(f"{w('inputs', lang)}{'：' if lang == 'zh' else ': '}" + "、".join(files))
    if causes.get("package_version"):
        before, after = causes["package_version"]
        items.append(w("version", lang, before=esc(str(before)), after=esc(str(after))))
    key = "metric_zh" if lang == "zh" else "metric_en"
    metrics = {t["id"]: t.get(key) or t["id"] for t in c.get("targets", [])}
    steps = []
    for step in c.get("attribution", []):
        cause = step["cause"]
        effect = step.get("effect")
        if cause == "(residual)":
            if effect is not None and abs(effect) >= 5e5:  # shown from 0.01亿元
                steps.append(f"<li>{w('residual', lang)}：{signed(effect)} 亿元</li>")
            continue
        name = w("step0", lang) if cause.startswith("(") else f"<code>{esc(cause)}</code>"
        bits = [w("step_cost", lang, diff=signed(effect))] if effect is not None else []
        bits += [
            w("status_moved", lang, metric=esc(metrics.get(t["id"], t["id"])),
              before=esc(_status_label(t["before"], lang) if t.get("before") else "–"),
              after=esc(_status_label(t["after"], lang)))
            for t in step.get("targets", [])
        ]  # fmt: skip
        steps.append(f"<li>{name}：{'；'.join(bits)}</li>" if lang == "zh" else
                     f"<li>{name}: {'; '.join(bits)}</li>")  # fmt: skip
    parts = [head, "<ul>", *(f"<li>{i}</li>" for i in items), "</ul>"]
    if steps:
        note = (c.get("order_note") or {}).get(lang, "")
        parts += [f"<p><b>{w('why', lang)}</b></p><ol>", *steps, "</ol>"]
        parts.append(f'<p class="muted">{esc(note)}</p>')
    return parts


def _totals(summary: dict, lang: str) -> list[str]:
    esc = html.escape
    base = next((s for s in summary["scenarios"] if s["name"] == summary["base"]), None)
    base_title = (
        summary["base"] if base is None else base["title_zh" if lang == "zh" else "title_en"]
    )
    rows = []
    for s in summary["scenarios"]:
        title = s["title_zh"] if lang == "zh" else s["title_en"]
        diff = "–" if base is None or s is base else amount(s["central"] - base["central"], UNIT, 2)
        if diff != "–" and not diff.startswith("-"):
            diff = "+" + diff
        if s.get("stress_case"):  # the rule of presentation.scenario_overview: a labelled point
            title = stress_title(title, lang)
            spread = "–"
            note = s.get("note_zh" if lang == "zh" else "note_en") or ""
        else:
            spread = amount_range(s["p5"], s["p95"], UNIT, 2)
            note = ""
        rows.append(
            f"<tr><td>{esc(title)} <code>{esc(s['name'])}</code></td>"
            f'<td class="n"><b>{esc(amount(s["central"], UNIT, 2))}</b></td>'
            f'<td class="n">{esc(spread)}</td>'
            f'<td class="n">{esc(diff)}</td>'
            f'<td class="muted">{esc(note)}</td></tr>'
        )
    draws, seed = esc(f"{summary['draws']:,}"), esc(str(summary["seed"]))
    return [
        f"<h2>{w('totals', lang)}</h2>",
        f'<p class="muted">{w("totals_note", lang, draws=draws, seed=seed)}</p>',
        f'<div class="scroll"><table><thead><tr><th>{w("scenario", lang)}</th>'
        f'<th class="n">{w("central", lang)}</th><th class="n">{w("range", lang)}</th>'
        f'<th class="n">{w("diff", lang, base=esc(base_title))}</th><th>{w("note", lang)}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>",
    ]


def _who_pays(summary: dict, lang: str) -> list[str]:
    """Who pays, in the base scenario: class A by budget (rows) and level (columns), 亿元."""
    from .presentation import labelled

    esc = html.escape
    pays = summary.get("who_pays")
    if not pays:
        return []
    matrix = pays["by_budget_and_level"]
    levels = list(next(iter(matrix.values()), {}))
    used = [b for b, row in matrix.items() if any(row.values())]
    head = "".join(f'<th class="n">{esc(labelled("level", lv, lang))}</th>' for lv in levels)
    body = []
    for b in used:
        cells = "".join(
            f'<td class="n">{esc(amount(matrix[b][lv], UNIT, 2))}</td>' for lv in levels
        )
        total = sum(matrix[b].values())
        body.append(
            f"<tr><td>{esc(labelled('budget', b, lang))}</td>{cells}"
            f'<td class="n"><b>{esc(amount(total, UNIT, 2))}</b></td></tr>'
        )
    notes = []
    if "city_general_public_budget" in pays:
        notes.append(
            w(
                "pays_city",
                lang,
                general=esc(amount(pays["city_general_public_budget"], UNIT, 2)),
                pooled=esc(amount(pays["city_pooled_funds"], UNIT, 2)),
            )
        )
    notes.append(w("pays_outside", lang, outside=esc(amount(pays["outside_perimeter"], UNIT, 2))))
    return [
        f"<h2>{w('pays', lang)}</h2>",
        f'<p class="muted">{w("pays_note", lang)}</p>',
        f'<div class="scroll"><table><thead><tr><th>{w("budget", lang)}</th>'
        f'{head}<th class="n">{w("pays_total", lang)}</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>",
        f'<p class="muted">{("；" if lang == "zh" else "; ").join(notes)}</p>',
    ]


def _targets(summary: dict, lang: str) -> list[str]:
    esc = html.escape
    counts: dict[str, int] = {}
    rows = []
    for r in summary["targets"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
        if r["kind"] != "headline":
            continue
        metric = r["metric_zh"] if lang == "zh" else r["metric_en"]
        p = r["probability_met"]
        p_text = "–" if p is None else percent(float(p))
        cls = STATUS_CLASS.get(r["status"], "none")
        rows.append(
            f"<tr><td>{esc(str(r['doc']))} {esc(str(r['clause']))}</td><td>{esc(metric)}</td>"
            f"<td>{esc(str(r['deadline']))}</td>"
            f'<td class="n">{esc(p_text)}</td>'
            f'<td><span class="badge {cls}">{esc(_status_label(r["status"], lang))}</span></td></tr>'
        )
    tally = " · ".join(
        f'<span class="badge {STATUS_CLASS.get(s, "none")}">{esc(_status_label(s, lang))} {n}</span>'
        for s, n in sorted(
            counts.items(),
            key=lambda kv: list(STATUS_CLASS).index(kv[0]) if kv[0] in STATUS_CLASS else 99,
        )
    )
    rule = summary.get(f"status_rule_{lang}") or summary.get("status_rule", "")
    head = "".join(
        ('<th class="n">' if k == "p_met" else "<th>") + f"{w(k, lang)}</th>"
        for k in ("document", "target", "deadline", "p_met", "target_status")
    )
    return [
        f"<h2>{w('targets', lang, base=esc(summary['base']))}</h2>",
        f"<p>{tally}</p>",
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>",
        f'<p class="muted">{esc(rule)}</p>',
    ]


def _thumbs(summary: dict, lang: str) -> list[str]:
    esc = html.escape
    thumbs = summary.get("thumbnails") or []
    if not thumbs:
        return []
    cells = []
    for t in thumbs:
        title = _figure_title(t["name"], lang)
        cells.append(
            # six small thumbnails: loaded at once (a lazy image below the fold is not loaded
            # until scrolled to, so a printed or scripted look at the page would miss it)
            f'<a href="{esc(t["page"])}"><img src="{esc(t["thumb"])}" alt="{esc(title)}">'
            f"<span>{esc(title)}</span></a>"
        )
    return [f"<h2>{w('key_figures', lang)}</h2>", f'<div class="grid">{"".join(cells)}</div>']


def _earlier(out: Path | None, as_of: str, lang: str = "zh") -> list[str]:
    esc = html.escape
    runs = earlier_runs(out, as_of)
    if not runs:
        return [f'<h2>{w("earlier", lang)}</h2><p class="muted">{w("none", lang)}</p>']
    items = []
    for r in runs:
        bits = []
        if r.get("total") is not None:
            bits.append(f"{amount(r['total'], UNIT, 2)} {UNIT}")
        if r.get("commit"):
            bits.append(f"commit {r['commit']}")
        if isinstance(r.get("seconds"), int | float):
            bits.append(f"{r['seconds']:.0f} s")
        cls = "bad" if r["status"] == "failed" else "ok"
        items.append(
            f'<li><a href="{esc(r["href"])}">{esc(r["date"])}</a> '
            f'<span class="badge {cls}">{esc(w(r["status"], lang))}</span> '
            f'<span class="muted">{esc(" · ".join(bits))}</span></li>'
        )
    return [f"<h2>{w('earlier', lang)}</h2><ul>", *items, "</ul>"]
