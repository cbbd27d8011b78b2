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
# # 济政字〔2020〕16号 工业互联网行动计划（2020—2022年）· Industrial-internet plan 2020–2022
#
# “企业上云”专项引导资金（三年内每年2000万元）的成本、各项目标的进展，以及“每年评选”承诺与总目标是否对得上。
#
# The 企业上云 fund (2000万元 a year for three years), the plan's targets, and whether its
# "each year select N" commitments add up to its headline targets.

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
from IPython.display import HTML

from jnpolicy_analysis import charts
from jnpolicy_analysis.publish import presentation
from jnpolicy_analysis.publish.notebook import NotebookRun, check_parameters

check_parameters(globals())
DOC = "济政字〔2020〕16号"
run = NotebookRun(
    "03_industrial_internet", scenario, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
)
run.header()

# %% [markdown]
# ## 预算与成本 · Budget and cost

# %%
# the full table (static cost, behaviour, id, fund, the rating's reason) goes to the table files;
# the page shows one line a measure, the reason folded under its rating
run.out.table(
    presentation.measure_costs(run.cost, run.lang, doc=DOC), "industrial_internet_measures"
)
HTML(presentation.measure_table_html(run.cost, run.lang, doc=DOC))

# %% [markdown]
# ## 截止后结论与目标进展 · Verdicts and targets
#
# 结论只依据公开数据（observed）或近似指标（proxy）；“全覆盖”按100%覆盖率跟踪。
# Verdicts rest on observed or proxy figures only; 全覆盖 is tracked as 100 % coverage.

# %%
run.show(presentation.verdict_table(run.targets, run.lang, doc=DOC), "industrial_internet_verdicts")

# %%
run.show(presentation.target_table(run.targets, run.lang, doc=DOC), "industrial_internet_targets")

# %%
run.figure(
    charts.target_paths(
        run.targets, run.lang, run.as_of, ids=presentation.doc_targets(run.targets, DOC)
    ),
    "industrial_internet_target_paths",
)

# %% [markdown]
# ## 每年承诺 · Yearly commitments
#
# 逐年：达到 / 未达到 / 无数据；用 `jnpolicy observe` 录入名单数据。
# Year by year: met / missed / no data; enter a year's list with `jnpolicy observe`.

# %%
run.show(presentation.commitment_table(run.targets, run.lang, doc=DOC), "yearly_commitments")

# %% [markdown]
# ## 计划自身是否一致 · Do the plans add up?

# %%
run.show(presentation.consistency(run.targets, run.lang, doc=DOC), "consistency")

# %%
run.figure(
    charts.consistency_table(run.targets, run.lang, run.as_of, cost=run.cost), "consistency_table"
)

# %% [markdown]
# ## 未测算的措施 · Measures not costed

# %%
run.show(presentation.not_costed(run.cost, run.lang, doc=DOC), "industrial_internet_not_costed")

# %%
run.finish()
