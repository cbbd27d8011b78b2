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
# # 济政发〔2020〕1号 稳就业措施的成本 · Employment-stabilisation measures: what they cost
#
# 济南市人民政府关于积极应对新冠肺炎疫情进一步做好稳就业工作的实施意见：每项有数字的措施的成本，
# 按月份、资金来源和政府层级，含 P5–P95 区间与不确定性评级。金额单位见各表表头（亿元或万元）。
#
# Each costed measure of the employment package, by month, fund and level of government, with its
# P5–P95 range and uncertainty rating. Amounts in the unit each table header names (亿元 or 万元).

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
from jnpolicy_analysis.publish.brief import headline_table
from jnpolicy_analysis.publish.notebook import NotebookRun, check_parameters

check_parameters(globals())
DOC = "济政发〔2020〕1号"
run = NotebookRun(
    "01_employment_costs", scenario, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir
)
run.header()

# %% [markdown]
# ## 各项措施 · Measure by measure
#
# 静态成本未计行为反应；最终成本计入领取率与无谓损失。中央估计为期望值，即蒙特卡洛抽样的均值，区间为同一抽样的 P5–P95。
# Static cost before behaviour; final cost after take-up and deadweight. The central is the expected
# cost, the mean of the Monte Carlo draws; the range is P5–P95 of the same draws.

# %%
# the full table (static cost, behaviour, id, fund, the rating's reason) goes to the table files;
# the page shows one line a measure, the reason folded under its rating
run.out.table(presentation.measure_costs(run.cost, run.lang, doc=DOC), "employment_measures")
HTML(presentation.measure_table_html(run.cost, run.lang, doc=DOC))

# %%
run.figure(
    charts.cost_by_measure(
        run.cost, run.lang, run.as_of, measures=presentation.doc_measures(run.cost, DOC)
    ),
    "employment_cost_by_measure",
)

# %% [markdown]
# ## 资金来源与时间 · Funds and timing

# %%
run.show(presentation.by_fund(run.cost, run.lang, doc=DOC), "employment_by_fund")

# %%
run.figure(charts.monthly_by_fund(run.cost, run.lang, run.as_of), "monthly_by_fund")

# %%
run.figure(charts.cost_fan(run.cost, run.lang, run.as_of), "cost_fan")

# %% [markdown]
# ## 谁来支付 · Who pays
#
# A类总额、济南自主决定部分、市级承担与体制外资金；按预算与政府层级堆叠。
# Class A gross, the part Jinan itself decided, the municipal share and the flows outside general
# government; stacked by budget and level of government.

# %%
run.show(headline_table(run.cost, run.lang), "who_pays")

# %%
run.figure(charts.financing_stack(run.cost, run.lang, run.as_of), "financing_stack")

# %% [markdown]
# ## 基金可持续性 · The funds' solvency
#
# 市级统筹基金的收入、支出、年末结余与可支付月数（低于门槛时标出）；省级统筹基金列出济南对统筹缺口的贡献。
# Income, spending, balance and months of cover of the funds pooled at Jinan's level, flagged below
# the threshold; for a fund pooled higher up, Jinan's contribution to the pool's shortfall.

# %%
run.show(charts.funds_table(run.cost, run.lang), "funds_solvency")

# %%
run.figure(charts.fund_balance_path(run.cost, run.lang, run.as_of), "fund_balance_path")

# %% [markdown]
# ## 哪些假设最重要 · Which assumptions matter most
#
# 每个假设依次取低值与高值、其余取情景值时总成本的变化。
# Each assumption at its low and high value in turn, the others at the scenario's values.

# %%
run.figure(charts.assumption_tornado(run.cost, run.lang, run.as_of), "assumption_tornado")

# %% [markdown]
# ## 未测算的条款 · Provisions not costed

# %%
run.show(presentation.not_costed(run.cost, run.lang, doc=DOC), "employment_not_costed")

# %%
run.finish()
