# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python (jnpolicy)
#     language: python
#     name: jnpolicy
# ---

# %% [markdown]
# # 综合简报：济南市2020年稳就业、平台经济与工业互联网政策 · Briefing
#
# 所有情景并列：总成本、主要图表与目标看板。金额单位为万元或亿元，见各表头与坐标轴。
#
# Every scenario side by side: headline totals, the key charts and the targets dashboard.

# %% tags=["parameters"]
scenarios = ""  # comma-separated scenario names; "" is every scenario in data/scenarios/
draws = None  # Monte Carlo draws; None: each scenario's own
seed = None  # random seed; None: each scenario's own
lang = "zh"  # "zh" or "en" for the charts and tables
as_of = ""  # report date YYYY-MM-DD; "" is today
data_dir = ""  # input folder; "" is the project's data/
out_dir = ""  # where figures and tables go; "" writes nothing
analysis_dir = ""  # a report run's saved analyses; "" analyses the scenario here

# %%
from jnpolicy_analysis import charts
from jnpolicy_analysis.publish import presentation
from jnpolicy_analysis.publish.notebook import BriefingRun, check_parameters

check_parameters(globals())
run = BriefingRun(
    "00_briefing", scenarios, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
)
run.header()

# %% [markdown]
# ## 各情景总成本 · Headline totals by scenario
#
# A类（支出与减收）为成本；担保（C类）与缓缴（D类）单列，不计入成本。中央估计为期望值（蒙特卡洛均值）。
# 压力情景（low、high）为全部假设同时取下限或上限的一个点，无自身P5–P95，与中性情景的P5–P95并列，说明栏给出其落在区间外的原因。
# Class A (spending and forgone revenue) is the cost; guarantees (C) and deferrals (D) are shown apart.
# The central is the expected cost (the Monte Carlo mean). The stress cases (low, high) put every
# assumption at its bound at once: a point with no P5–P95 of its own, shown beside the central
# scenario's P5–P95 with a line on why it lies outside.

# %%
run.show(presentation.scenario_overview(run.costs, run.lang), "scenario_totals")

# %%
for name, fig in run.comparison_figures().items():
    run.figure(fig, name)

# %% [markdown]
# ## 中性情景的主要图表 · Key charts of the central scenario

# %%
run.show(presentation.totals(run.base_cost, run.lang), "central_totals")

# %%
run.figure(charts.cost_by_document(run.base_cost, run.lang, run.as_of), "cost_by_document")

# %%
run.figure(charts.cost_by_class(run.base_cost, run.lang, run.as_of), "cost_by_class")

# %%
run.figure(charts.cost_by_measure(run.base_cost, run.lang, run.as_of), "cost_by_measure")

# %%
run.figure(charts.cost_fan(run.base_cost, run.lang, run.as_of), "cost_fan")

# %% [markdown]
# ## 哪些假设解释了方差 · Which assumptions explain the variance (Sobol)
#
# 中性情景A类总成本的Sobol一阶与总效应指数（SALib），报告用512个基础样本以控制运行时间；须线为95%置信区间。
# Sobol first-order and total indices of the central scenario's class-A total (SALib). The report
# uses 512 base samples to keep its run short (whiskers: 95 % confidence); `jnpolicy sensitivity
# --samples 4096` gives tighter ones.

# %%
from jnpolicy_analysis.charts.sensitivity import sobol_chart
from jnpolicy_analysis.costing.sobol import run_sobol

sobol = run_sobol(run.scenario, samples=presentation.REPORT_SOBOL_SAMPLES)
run.figure(sobol_chart(sobol, run.lang, run.as_of), "sobol_class_a")

# %% [markdown]
# ## 目标看板 · Targets dashboard
#
# 规划已于2022年底到期：截止后结论只依据公开数据或近似指标；起点为假设的目标状态为“无数据”。
# The plans ended in 2022: verdicts rest on observed or proxy figures only; a target whose start
# is an assumption shows "no data", its P(met) only what the assumptions imply.

# %%
run.show(presentation.verdict_table(run.base_targets, run.lang), "target_verdicts")

# %%
run.show(presentation.target_table(run.base_targets, run.lang), "targets")

# %%
run.figure(charts.target_paths(run.base_targets, run.lang, run.as_of), "target_paths")

# %%
run.figure(
    charts.consistency_table(run.base_targets, run.lang, run.as_of, cost=run.base_cost),
    "consistency_table",
)

# %%
run.finish()
