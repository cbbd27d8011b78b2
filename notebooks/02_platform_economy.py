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
# # 济政办发〔2020〕2号 平台经济：扶持成本与2022年目标 · Platform economy: support costs and 2022 targets
#
# 首版次软件、博士后工作站与天使投资奖励的成本，以及2022年三项目标的进展与达成概率。
#
# The cost of the first-version software grant, post-doc station grants and angel-investment
# rewards, and where the three 2022 targets stand.

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
DOC = "济政办发〔2020〕2号"
run = NotebookRun(
    "02_platform_economy", scenario, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
)
run.header()

# %% [markdown]
# ## 扶持措施的成本 · What the support costs

# %%
# the full table (static cost, behaviour, id, fund, the rating's reason) goes to the table files;
# the page shows one line a measure, the reason folded under its rating
run.out.table(presentation.measure_costs(run.cost, run.lang, doc=DOC), "platform_measures")
HTML(presentation.measure_table_html(run.cost, run.lang, doc=DOC))

# %%
run.figure(
    charts.cost_by_measure(
        run.cost, run.lang, run.as_of, measures=presentation.doc_measures(run.cost, DOC)
    ),
    "platform_cost_by_measure",
)

# %% [markdown]
# ## 2022年目标 · The 2022 targets
#
# 平台经济2019–2022年的统计数据未公开：基期与增速均为标注的假设，状态为“无数据”，达成概率只是
# 假设推算；截止后无公开数据，结论为“无法判断”。
# No platform-economy figures for 2019–2022 are public: baselines and growth are labelled
# assumptions, so the status is "no data", P(met) only what the assumptions imply, and after the
# deadline the verdict is "cannot tell".

# %%
run.show(presentation.verdict_table(run.targets, run.lang, doc=DOC), "platform_verdicts")

# %%
run.show(presentation.target_table(run.targets, run.lang, doc=DOC), "platform_targets")

# %%
run.figure(
    charts.target_paths(
        run.targets, run.lang, run.as_of, ids=presentation.doc_targets(run.targets, DOC)
    ),
    "platform_target_paths",
)

# %%
print(run.targets.status_rule)

# %% [markdown]
# ## 未测算的措施 · Measures not costed

# %%
run.show(presentation.not_costed(run.cost, run.lang, doc=DOC), "platform_not_costed")

# %%
run.finish()
