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
# # 文件一章 · A document's chapter
#
# 一份文件的措施、成本、目标与其余数字：报告为 `data/policies` 中每份没有专章的文件各运行一次本笔记本
# （参数 `doc`）。
# One document's measures, costs, targets and other numbers: the report runs this notebook once for
# every document of `data/policies` without a chapter of its own (parameter `doc`).

# %% tags=["parameters"]
scenario = "central"
draws = None  # Monte Carlo draws; None: the scenario's own
seed = None  # random seed; None: the scenario's own
lang = "zh"  # "zh" or "en" for the charts and tables
as_of = ""  # report date YYYY-MM-DD; "" is today
data_dir = ""  # input folder; "" is the project's data/
out_dir = ""  # where figures and tables go; "" writes nothing
analysis_dir = ""  # a report run's saved analyses; "" analyses the scenario here
doc = "济政办字〔2020〕6号"  # the document's number, as its policy file writes it
chapter = "06_document"  # the name of this chapter's tables (the report gives each document one)

# %%
from IPython.display import HTML

from jnpolicy_analysis import charts
from jnpolicy_analysis.publish import presentation
from jnpolicy_analysis.publish.notebook import KNOWN, NotebookRun, check_parameters

check_parameters(globals(), KNOWN | {"doc", "chapter"})
run = NotebookRun(chapter, scenario, draws, seed, lang, as_of, data_dir, out_dir, analysis_dir)
document = run.scenario.catalog.documents[doc]
run.header()

# %%
HTML(presentation.document_heading(document, run.lang))

# %% [markdown]
# ## 措施的成本 · What the measures cost

# %%
measures = presentation.doc_measures(run.cost, doc)
run.show(presentation.measure_costs(run.cost, run.lang, doc=doc), "measures")

# %%
if measures:
    run.figure(
        charts.cost_by_measure(run.cost, run.lang, run.as_of, measures=measures),
        "cost_by_measure",
    )

# %% [markdown]
# ## 目标 · Targets

# %%
targets = presentation.doc_targets(run.targets, doc)
run.show(presentation.target_table(run.targets, run.lang, doc=doc), "targets")

# %%
if targets:
    run.figure(charts.target_paths(run.targets, run.lang, run.as_of, ids=targets), "target_paths")

# %% [markdown]
# ## 其余数字 · The document's other numbers

# %%
run.show(presentation.document_facts(document, run.lang), "facts")

# %% [markdown]
# ## 未测算的措施 · Measures not costed

# %%
run.show(presentation.not_costed(run.cost, run.lang, doc=doc), "not_costed")

# %%
run.finish()
