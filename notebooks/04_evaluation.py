# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (jnpolicy)
#     language: python
#     name: jnpolicy
# ---

# %% [markdown]
# # 事后评估：测算与实际执行数 · Ex-post evaluation: costings against outturns
#
# 把公开的2020年实际发放或减免金额（`data/outturns/`）与对应措施的测算相比较：测算与执行数之比、差异原因，
# 以及能复现执行数的关键假设取值。山东省或全国的数字按规则折算至济南，折算比例本身是带区间的假设。金额单位为万元。
#
# Published 2020 amounts actually paid or forgone (`data/outturns/`) against the costing of the
# measures they match: costed over outturn, the reasons for each difference, and the value of the
# driving assumption that would reproduce the outturn. Shandong and national figures are scaled to
# Jinan by a rule that is itself an assumption with a range. Amounts in 万元 (10,000 yuan).

# %% tags=["parameters"]
scenario = "central"
draws = None  # Monte Carlo draws; None: the scenario's own
seed = None  # random seed; None: the scenario's own
lang = "zh"  # "zh" or "en" for the charts and tables
as_of = ""  # report date YYYY-MM-DD; "" is today
data_dir = ""  # input folder; "" is the project's data/
out_dir = ""  # where figures and tables go; "" writes nothing
analysis_dir = ""  # a report run's saved analyses; "" analyses the scenario here

# %%
from jnpolicy_analysis.analysis import evaluation
from jnpolicy_analysis.charts.evaluation import outturn_chart
from jnpolicy_analysis.publish.notebook import NotebookRun, check_parameters

check_parameters(globals())
run = NotebookRun(
    "04_evaluation", scenario, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
)
ev = run.evaluation
run.header()

# %% [markdown]
# ## 测算与执行数 · Forecast against outturn
#
# 测算为本情景的中央估计（蒙特卡洛均值；压力情景为其点值），只计执行数期间内的月份（部分月份按天数折算）。
# 折算区间来自折算比例的低值与高值。“用于校准”的执行数决定校准情景；其余仅作核对。
# Costed: the scenario's central (the Monte Carlo mean; a stress case's point) over the months of
# the outturn's period (a part month by its days). The range comes from the scaling rule's low and
# high shares. Outturns marked "calibrates" set the calibrated scenario; the rest are cross-checks.

# %%
run.show(evaluation.outturn_table(ev, run.lang), "outturns")

# %%
run.figure(outturn_chart(ev, run.lang, run.as_of), "costed_over_outturn")

# %% [markdown]
# ## 按措施 · By measure
#
# 每个执行数所对应措施在其期间内的测算，以及该期间占措施全部成本的比例。
# The costing of each matched measure within the outturn's period, and the share of the measure's
# whole cost that falls in it.

# %%
run.show(evaluation.measure_table(ev, run.lang), "outturn_measures")

# %% [markdown]
# ## 差异原因 · Reasons for the differences
#
# 原因写在各执行数文件中（`reasons:`）；判断由测算是否落在折算区间内给出。
# The reasons are data, in each outturn's file (`reasons:`); the verdict says whether the costing
# lies inside the outturn's scaled range.

# %%
run.show(evaluation.reasons_table(ev, run.lang), "outturn_reasons")

# %% [markdown]
# ## 能复现执行数的假设取值 · Assumption values that reproduce each outturn
#
# 把一个假设的低、中、高值同乘一个倍数（抽样随之同比缩放），直到重算的中央估计等于执行数。
# 措施与该假设成正比时按线性求解并以重算核验，否则（有措施不用该假设、比率以100%为上限）用二分法重算。
# Each driving assumption's low, central and high are multiplied by one factor (its draws scale with
# them) until the re-costed central equals the outturn: by linearity, checked by re-costing, where
# the measures are proportional to it; otherwise (a matched measure that does not use it, a rate
# capped at 100 %) by bisection on re-costings.

# %%
run.show(evaluation.implied_table(ev, run.lang), "implied_assumptions")

# %% [markdown]
# ## 模型的改动 · What changed in the model
#
# 校准情景（`data/scenarios/calibrated.yaml`）把假设移到执行数所示的取值，逐项列出原值、新值与原因，
# 以及所据执行数在校准前后的测算/执行数之比（与本页同样的抽样次数）。
# The calibrated scenario moves assumptions to what the outturns imply; each move from what to what
# and why, with its outturn's costed / outturn before (central) and after (calibrated), at this
# page's draws.

# %%
run.show(evaluation.what_changed(ev, run.data_dir, run.lang), "calibration_moves")

# %%
run.finish()
