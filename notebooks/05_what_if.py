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
# # 假设分析 · What-if
#
# 选择情景与措施（或全部措施），移动滑块：成本（中央估计与 P5–P95）、按年现金流与按资金来源的
# 分布随之更新，无需重新运行。只重新测算依赖该输入的措施。“Save as scenario” 把当前设置存为
# 一个继承起始情景的新情景文件（data/scenarios/），像任何情景一样校验，不会不经确认就覆盖文件。
#
# Pick a scenario and a measure (or all measures) and move a control: the cost (central and
# P5–P95), the cash flow by year and the split by fund follow, with no re-run. Only the measures
# that read the changed input are re-costed. Amounts in 亿元 (all measures) or 万元 (one measure).
# The same panel opens in any notebook with `what_if()`.

# %% tags=["parameters"]
scenario = "central"  # the scenario to start from
draws = 2000  # Monte Carlo draws
seed = None  # random seed; None: the scenario's own
data_dir = ""  # input folder; "" is the project's data/

# %%
from jnpolicy_analysis.whatif import what_if

what_if(scenario, data_dir or None, draws=draws, seed=seed)
