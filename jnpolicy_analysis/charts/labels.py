"""The one label table of the charts: every title, axis label, legend entry, status, fund, document,
IMF class, assumption and unit a figure shows, in Chinese and in English.

Keys are ``namespace.name``; ``label(key, lang)`` looks one up and fills ``{placeholders}``. The
labels of documents (``doc.<number>``) and funds (``fund.<name>``) are facts of the data, not words
of the charts: they come from each policy file's ``chart_label`` and ``data/baseline``'s
``fund_labels`` (``inputs.labels``), as loaded. A key that is missing raises ``KeyError`` naming
the key and where to add it (fail loudly, never print an id on a slide);
``tests/test_charts.py`` checks that every fund, document, class, status and assumption that any
scenario produces has a label. Names that come with the data — measure titles (``title_zh`` /
``title_en``), target metrics (``metric_zh`` / ``metric_en``), scenario titles — are read from the
data and are not repeated here.

Also the text helpers the charts share: width of a string as printed (a Chinese character is two
columns, a Latin letter one), shortening and wrapping to a width, and ``latin_only`` for drawing
in English where no CJK font exists.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


class L(NamedTuple):
    zh: str
    en: str


LABELS: dict[str, L] = {
    # ------------------------------------------------------------------ ex-post evaluation
    "evaluation.title": L(
        "测算与实际执行数 · 事后评估", "Costed against outturn: the ex-post view"
    ),
    "evaluation.subtitle": L(
        "测算/执行数（执行数按规则折算至济南；须线为折算区间；1＝吻合）",
        "Costed / outturn (outturns scaled to Jinan; whiskers the scaling range; 1 = match)",
    ),
    "evaluation.axis": L("测算/执行数（倍）", "Costed / outturn (times)"),
    # ------------------------------------------------------------------ foot line
    "footer.source": L(
        "济南市人民政府公报2020年第5期；jnpolicy_analysis 测算",
        "Jinan Municipal People's Government Gazette 2020 No. 5; jnpolicy_analysis estimates",
    ),
    "footer.template": L(
        "来源：{source}　情景：{scenario}　日期：{as_of}",
        "Source: {source}   Scenario: {scenario}   Date: {as_of}",
    ),
    # the same on two lines, where one would be wider than the figure
    "footer.source_line": L("来源：{source}", "Source: {source}"),
    "footer.scenario_line": L(
        "情景：{scenario}　日期：{as_of}", "Scenario: {scenario}   Date: {as_of}"
    ),
    # ------------------------------------------------------------------ titles and subtitles
    "title.cost_by_measure": L("各项措施的成本", "Cost by measure"),
    "subtitle.cost_by_measure": L(
        "中央估计（条形）与 P5–P95 区间（须线），{years}年合计",
        "Central estimate (bar) and P5–P95 range (whisker), {years} total",
    ),
    "title.monthly_by_fund": L("按资金来源的月度现金流", "Monthly cash flow by fund"),
    "subtitle.monthly_by_fund": L(
        "A类（支出与减收）中央估计，按月",
        "Class A (spending and forgone revenue), central, by month",
    ),
    "title.cost_by_document": L("按文件的成本", "Cost by document"),
    "subtitle.cost_by_document": L(
        "A类（支出与减收）中央估计与 P5–P95 区间",
        "Class A (spending and forgone revenue): central and P5–P95",
    ),
    "title.cost_by_class": L("按 IMF 财政分类的成本", "Cost by IMF fiscal class"),
    "subtitle.cost_by_class": L(
        "C类与D类单列，不计入总成本", "Classes C and D shown apart, not added to cost"
    ),
    "title.cost_fan": L("累计成本随时间的变化", "Cumulative cost over time"),
    "subtitle.cost_fan": L(
        "A类（支出与减收），中央估计与概率区间",
        "Class A (spending and forgone revenue), central and ranges",
    ),
    "title.tornado": L("影响最大的假设", "The most influential assumptions"),
    "subtitle.tornado": L(
        "各假设分别取低值与高值、其余取情景值时的A类总成本",
        "Class-A total cost with each assumption at its low and high value, the rest at the scenario's",
    ),
    "title.sobol": L("方差贡献最大的假设", "The assumptions that explain the most variance"),
    "subtitle.sobol": L(
        "{output}的 Sobol 指数：一阶（单独）与总效应（含交互），须线为95%置信区间",
        "Sobol indices of {output}: first-order (alone) and total (with interactions), 95% CI whiskers",
    ),
    "legend.sobol_total": L("总效应指数 ST", "Total index ST"),
    "legend.sobol_first": L("一阶指数 S1", "First-order index S1"),
    "axis.sobol_index": L("方差份额", "Share of variance"),
    "output.class_a": L("A类总成本", "the class-A total cost"),
    "title.comparison": L("情景比较：成本变化", "Scenario comparison: change in cost"),
    "subtitle.comparison": L("{variant} 减 {baseline}", "{variant} minus {baseline}"),
    "title.target_paths": L("目标的预测路径与所需路径", "Targets: projected against required path"),
    "subtitle.target_paths": L(
        "P5–P95 预测区间与中位数；P(达标)为截止日达标的概率",
        "P5–P95 projection and median; P(met) is the chance of meeting the target by its deadline",
    ),
    "title.consistency": L("规划的内部一致性", "Do the plans add up?"),
    "subtitle.consistency": L(
        "年度承诺、候选池对照总目标；资助的评选项目对照专项资金",
        "Yearly commitments and candidate pools against the headlines; funded selections against the fund",
    ),
    # ------------------------------------------------------------------ axis labels
    "axis.cost": L("成本", "Cost"),
    "axis.monthly_cost": L("月度成本", "Cost a month"),
    "axis.cumulative_cost": L("累计成本", "Cumulative cost"),
    "axis.total_cost": L("A类总成本", "Class-A total cost"),
    "axis.difference": L("成本变化", "Change in cost"),
    "axis.month": L("月份", "Month"),
    "axis.year": L("年份", "Year"),
    "axis.count": L("个", "number"),
    "axis.with_unit": L("{label}（{unit}）", "{label} ({unit})"),
    # ------------------------------------------------------------------ legend entries
    "legend.central": L("中央估计", "Central estimate"),
    "legend.p5_p95": L("P5–P95 区间", "P5–P95 range"),
    "legend.p25_p75": L("P25–P75 区间", "P25–P75 range"),
    "legend.class_a": L("A类：支出与减收", "Class A: spending and forgone revenue"),
    "legend.class_c": L(
        "C类：担保的预期成本（不计入总成本）", "Class C: expected cost of guarantees (not in cost)"
    ),
    "legend.class_d": L("D类：缓缴（不计入总成本）", "Class D: deferral (not in cost)"),
    "legend.other_funds": L("其他{n}项资金", "{n} other funds"),
    "legend.assumption_low": L("假设取低值", "Assumption at its low value"),
    "legend.assumption_high": L("假设取高值", "Assumption at its high value"),
    "legend.increase": L("成本增加", "Cost rises"),
    "legend.decrease": L("成本减少", "Cost falls"),
    "legend.projection_band": L("P5–P95 预测区间", "P5–P95 projection"),
    "legend.projection_median": L("预测中位数", "Projected median"),
    "legend.required": L("达标所需路径", "Path the target requires"),
    "legend.target": L("目标值", "Target"),
    "legend.observed": L("公开数据", "Published figure"),
    # ------------------------------------------------------------------ notes inside figures
    "note.not_costed": L(
        "另有{n}项措施无可计量的金额，未计算成本",
        "{n} further measures print no amount and are not costed",
    ),
    "note.others_shown_apart": L(
        "未显示的{n}项措施合计{amount}（中央估计）",
        "{n} smaller measures not shown: {amount} together (central)",
    ),
    "note.not_in_cost": L("不计入总成本", "not added to cost"),
    "note.no_difference": L(
        "两情景各项措施成本相同", "The two scenarios cost the same in every measure"
    ),
    "note.total_change": L("A类总成本变化：{amount}", "Change in class-A cost: {amount}"),
    "note.p_met": L("P(达标) = {p}", "P(met) = {p}"),
    "note.p_assumed": L("假设推算 P(达标) = {p}", "assumptions imply P(met) = {p}"),
    "note.verdict": L("截止后结论：{verdict}", "after the deadline: {verdict}"),
    "note.unchanged_measures": L("其余{n}项措施不变", "{n} other measures unchanged"),
    "note.no_path": L(
        "未绘制（无起点数据或非总目标）：{names}",
        "Not drawn (no starting figure, or not a headline): {names}",
    ),
    "list.separator": L("、", ", "),
    "note.point": L("情景取值：{amount}", "At the scenario's values: {amount}"),
    "note.no_sensitivity": L("没有可显示的假设", "No assumption to show"),
    "row.total_class_a": L("A类合计", "Class A total"),
    "footer.comparison": L("{variant}（对比{baseline}）", "{variant} (against {baseline})"),
    # ------------------------------------------------------------------ consistency table
    "column.subject": L("对象", "Subject"),
    "column.check": L("检查", "Check"),
    "column.implied": L("计划隐含", "Plans imply"),
    "column.against": L("对照", "Against"),
    "column.verdict": L("结论", "Verdict"),
    "check.sum": L("年度承诺合计 对 总目标", "Yearly commitments summed vs headline"),
    "check.pool": L("候选池 对 上级目标", "Candidate pool vs higher-level target"),
    "subject.fund": L("每年资助的评选项目", "Selections funded each year"),
    "check.fund": L(
        "资助项目数 × 典型奖励 对 专项资金", "Funded selections × typical award vs fund"
    ),
    "verdict.consistent": L("一致", "Consistent"),
    "verdict.inconsistent": L("不一致", "Inconsistent"),
    "verdict.depends on reading": L("取决于解读", "Depends on reading"),
    "verdict.cannot tell": L("无法判断", "Cannot tell"),
    # a target after its deadline (tables and charts)
    "outcome.met": L("已实现", "met"),
    "outcome.not met": L("未实现", "not met"),
    "outcome.cannot tell": L("无法判断", "cannot tell"),
    "outcome.met before the plan began": L("规划开始前已实现", "met before the plan began"),
    "outcome.consistent (different definition)": L(
        "相符（口径不同）", "consistent (different definition)"
    ),
    "year.met": L("达到", "met"),
    "year.missed": L("未达到", "missed"),
    "year.no data": L("无数据", "no data"),
    # what a target's status rests on (tables of the reports)
    "basis.observed": L("公开数据", "observed"),
    "basis.proxy": L("近似指标", "proxy"),
    "basis.assumption": L("假设", "assumption"),
    "basis.none": L("无", "none"),
    "value.none": L("—", "—"),
    "value.no_budget": L("未列预算", "no budget printed"),
    # ------------------------------------------------------------------ target status
    "status.achieved": L("已达成", "achieved"),
    "status.on track": L("进度正常", "on track"),
    "status.at risk": L("有风险", "at risk"),
    "status.off track": L("偏离轨道", "off track"),
    "status.no data": L("无数据", "no data"),
    # ------------------------------------------------------------------ IMF fiscal classes
    "class.A": L("A类：支出与减收", "A: spending and forgone revenue"),
    "class.B": L("B类：线下融资", "B: below the line"),
    "class.C": L("C类：或有负债（担保预期成本）", "C: contingent (expected cost of guarantees)"),
    "class.D": L("D类：缓缴", "D: deferral"),
    # ------------------------------------------------------------------ who pays and the funds
    "title.financing_stack": L("谁来支付：按预算与政府层级", "Who pays: by budget and level"),
    "subtitle.financing_stack": L(
        "A类（支出与减收）中央估计，各层级份额取其点值；体制外资金单列，不计入成本",
        "Class A (spending and forgone revenue), central, shares at their points; flows outside"
        " general government apart, not added to cost",
    ),
    "title.fund_balance_path": L("基金结余路径", "Fund balance paths"),
    "subtitle.fund_balance_path": L(
        "年末结余中央估计与 P5–P95 区间；虚线为警戒线（可支付月数门槛×月支出）",
        "End-of-year balance, central and P5–P95; dashed: the threshold (months of cover x"
        " monthly spending)",
    ),
    "axis.balance": L("年末结余", "End-of-year balance"),
    "legend.threshold": L("警戒线（{months}个月支出）", "Threshold ({months} months of spending)"),
    "legend.below": L("低于警戒线", "Below the threshold"),
    "level.central": L("中央", "Central"),
    "level.provincial": L("省级", "Provincial"),
    "level.municipal": L("市级", "Municipal"),
    "level.district": L("区县级", "District"),
    "budget.一般公共预算": L("一般公共预算", "General public budget"),
    "budget.政府性基金预算": L("政府性基金预算", "Government-fund budget"),
    "budget.国有资本经营预算": L("国有资本经营预算", "State-capital budget"),
    "budget.社会保险基金预算": L("社会保险基金预算", "Social-insurance fund budget"),
    "budget.outside": L("体制外（住房公积金等）", "Outside general government (housing fund)"),
    "note.outside_not_added": L("不计入成本", "not added to cost"),
    "column.funds_fund": L("基金", "Fund"),
    "column.funds_year": L("年份", "Year"),
    "column.funds_shortfall": L(
        "对统筹缺口的贡献（亿元）", "Contribution to the pool's shortfall (100 million yuan)"
    ),
    "column.funds_income": L("收入（亿元）", "Income (100 million yuan)"),
    "column.funds_spending": L("支出（亿元）", "Spending (100 million yuan)"),
    "column.funds_balance": L("年末结余（亿元）", "Balance (100 million yuan)"),
    "column.funds_months": L("可支付月数", "Months of cover"),
    "column.funds_threshold": L("门槛（月）", "Threshold (months)"),
    "column.funds_below": L("低于门槛", "Below"),
    "column.funds_below_yes": L("是", "yes"),
    # ------------------------------------------------------------------ units
    "unit.万元": L("万元", "10,000 yuan"),
    "unit.亿元": L("亿元", "100 million yuan"),
    "unit.元": L("元", "yuan"),
    "unit.%": L("%", "%"),
    "unit.个百分点": L("个百分点", "pp"),
    "unit.fraction": L("", ""),
    "unit.个": L("个", ""),
    "unit.家": L("家", "firms"),
    "unit.万家": L("万家", "10,000 firms"),
    "unit.人": L("人", "people"),
    "unit.年": L("年", "years"),
    "unit.月": L("个月", "months"),
    "unit.学时": L("学时", "class hours"),
    "unit.个/年": L("个/年", "a year"),
    "unit.项/年": L("项/年", "a year"),
    "unit.人/年": L("人/年", "people a year"),
    "unit.元/年": L("元/年", "yuan a year"),
    "unit.元/月": L("元/月", "yuan a month"),
    "unit.元/人": L("元/人", "yuan a person"),
    "unit.元/人/月": L("元/人/月", "yuan a person a month"),
    "unit.元/企业": L("元/企业", "yuan a firm"),
    "unit.元/企业/年": L("元/企业/年", "yuan a firm a year"),
    "unit.万元/项目": L("万元/项目", "10,000 yuan a project"),
    "unit.万元/产品": L("万元/产品", "10,000 yuan a product"),
    "unit.万元/基地": L("万元/基地", "10,000 yuan a base"),
    "unit.亿元/年": L("亿元/年", "100 million yuan a year"),
    # ------------------------------------------------------------------ assumptions (tornado)
    "assumption.angel_investment_median": L("天使投资单笔中位数", "Median angel investment"),
    "assumption.angel_investment_sigma": L("天使投资额离散度", "Spread of angel investments"),
    "assumption.angel_projects_per_year": L(
        "每年获奖励天使投资项目", "Angel investments rewarded a year"
    ),
    "assumption.average_wage": L("平均工资", "Average wage"),
    "assumption.budget_execution_rate": L("专项资金年度执行率", "Budget execution rate"),
    "assumption.class1_area_share": L(
        "一类最低工资地区人数占比", "Share in class-1 minimum-wage areas"
    ),
    "assumption.contribution_base_ratio": L(
        "缴费基数与平均工资之比", "Contribution base to average wage"
    ),
    "assumption.contribution_collection_rate": L("单位缴费征收率", "Contribution collection rate"),
    "assumption.distressed_firm_insured_staff": L(
        "困难企业参保职工", "Insured staff of distressed firms"
    ),
    "assumption.employee_ui_rate": L("个人失业保险费率", "Employee unemployment-insurance rate"),
    "assumption.employer_pension_rate": L("单位养老保险费率", "Employer pension rate"),
    "assumption.employer_ui_rate": L("单位失业保险费率", "Employer unemployment-insurance rate"),
    "assumption.employer_work_injury_rate": L("单位工伤保险费率", "Employer work-injury rate"),
    "assumption.extension_use_share": L("延长期实际使用比例", "Share of the extension drawn"),
    "assumption.first_version_products_per_year": L(
        "每年首版次软件产品", "First-version software products a year"
    ),
    "assumption.first_version_sales_median": L(
        "首版次产品首年销售额中位数", "Median first-year sales"
    ),
    "assumption.first_version_sales_sigma": L(
        "首版次产品销售额离散度", "Spread of first-year sales"
    ),
    "assumption.flexible_si_expiries": L(
        "灵活就业社保补贴期满人数", "Flexible-employment subsidy expiries"
    ),
    "assumption.flexible_si_subsidy_monthly": L(
        "灵活就业社保补贴月标准", "Flexible-employment subsidy a month"
    ),
    "assumption.graduate_si_extension_beneficiaries": L(
        "毕业生社保补贴延期受益人数", "Graduates gaining the extension"
    ),
    "assumption.graduate_si_extension_months": L(
        "毕业生社保补贴延期月数", "Months of graduate extension"
    ),
    "assumption.graduate_si_subsidy_monthly": L("毕业生社保补贴月标准", "Graduate subsidy a month"),
    "assumption.housing_fund_deferring_employees": L(
        "缓缴住房公积金职工", "Employees with deferred housing fund"
    ),
    "assumption.housing_fund_rate_total": L("住房公积金合计缴存比例", "Housing-fund total rate"),
    "assumption.insured_employees": L("企业参保职工", "Insured enterprise employees"),
    "assumption.interns_per_year": L("每年就业见习人数", "Interns a year"),
    "assumption.internship_months": L("见习平均月数", "Average internship length"),
    "assumption.internship_prior_share": L(
        "原见习补贴占最低工资比例", "Prior internship subsidy / min. wage"
    ),
    "assumption.job_placement_take_up": L("职业介绍补贴申领率", "Job-placement subsidy take-up"),
    "assumption.job_placements_in_window": L("期内职业介绍人数", "Placements in the window"),
    "assumption.key_supply_firm_size_sigma": L(
        "重点物资企业规模离散度", "Spread of key-supply firm size"
    ),
    "assumption.key_supply_firms": L("重点物资生产企业", "Key-supply producers"),
    "assumption.key_supply_median_workers": L(
        "重点物资企业职工中位数", "Median workers per key-supply firm"
    ),
    "assumption.key_supply_share_of_days_worked": L(
        "春节期间出勤比例", "Share of holiday days worked"
    ),
    "assumption.key_supply_take_up": L("重点物资企业申领率", "Key-supply subsidy take-up"),
    "assumption.key_supply_share_of_new_hires": L(
        "重点物资企业新招用占比", "Key-supply firms' share of new hires"
    ),
    "assumption.levy_deferral_take_up": L("残保金缓缴申请获批率", "Levy deferral take-up"),
    "assumption.levy_heavy_loss_share": L(
        "遭受重大直接经济损失企业占比", "Share with heavy direct losses"
    ),
    "assumption.levy_liable_large_firms": L(
        "应缴残保金的30人以上企业", "Firms over 30 staff liable for the levy"
    ),
    "assumption.levy_liable_small_firms": L(
        "应缴残保金的小微企业", "Small firms liable for the levy"
    ),
    "assumption.levy_per_large_firm": L(
        "30人以上企业年均残保金", "Disability levy per firm over 30 staff"
    ),
    "assumption.levy_per_small_firm": L("小微企业年均残保金", "Disability levy per small firm"),
    "assumption.living_allowance_hours": L("人均培训学时", "Class hours per trainee"),
    "assumption.living_allowance_trainees": L(
        "生活费补贴培训人数", "Trainees with living allowance"
    ),
    "assumption.medical_to_enterprise_insured_ratio": L(
        "医保与养老参保职工之比", "Medical to pension insured ratio"
    ),
    "assumption.minimum_wage_class1": L("一类地区最低工资", "Minimum wage, class-1 areas"),
    "assumption.minimum_wage_class2": L("二类地区最低工资", "Minimum wage, class-2 areas"),
    "assumption.municipal_incubators": L("市级创业孵化基地", "Municipal incubation bases"),
    "assumption.municipal_rent_waived_median": L(
        "市级基地减免租金中位数", "Median rent waived, municipal"
    ),
    "assumption.near_retirement_continuers": L("临近退休续发人数", "Near-retirement continuers"),
    "assumption.near_retirement_months": L("续发至退休月数", "Months of benefit to retirement"),
    "assumption.new_hire_grant_scope": L(
        "吸纳就业补贴适用范围（全部企业=1）", "New-hire grant scope (every firm = 1)"
    ),
    "assumption.new_hire_induced_share": L("补贴诱发的新增招用", "Hires induced by the grant"),
    "assumption.new_hire_take_up": L("吸纳就业补贴申领率", "New-hire grant take-up"),
    "assumption.new_hires_in_window": L("期内新招用人数", "New hires in the window"),
    "assumption.online_trainees_certified": L("线上培训合格人数", "Online trainees certified"),
    "assumption.postdoc_municipal_per_year": L(
        "每年新设市级博士后工作站", "New municipal post-doc stations"
    ),
    "assumption.postdoc_national_per_year": L(
        "每年新设国家级博士后工作站", "New national post-doc stations"
    ),
    "assumption.postdoc_provincial_per_year": L(
        "每年新设省级博士后工作站", "New provincial post-doc stations"
    ),
    "assumption.poverty_workshop_take_up": L("扶贫车间补助申领率", "Poverty-workshop take-up"),
    "assumption.poverty_workshop_workers": L("扶贫车间贫困劳动力", "Poverty-workshop workers"),
    "assumption.provincial_incubators": L("省级创业孵化示范基地", "Provincial incubation bases"),
    "assumption.provincial_rent_waived_median": L(
        "省级基地减免租金中位数", "Median rent waived, provincial"
    ),
    "assumption.public_welfare_job_expiries": L(
        "公益性岗位期满人数", "Public-welfare job expiries"
    ),
    "assumption.public_welfare_job_monthly_cost": L(
        "公益性岗位月人均成本", "Public-welfare job cost a month"
    ),
    "assumption.refund_counts_worker_premiums": L(
        "返还基数含个人缴费", "Refund counts workers' premiums"
    ),
    "assumption.rent_relief_take_up": L("租金减免补贴申领率", "Rent-relief subsidy take-up"),
    "assumption.rent_waived_sigma": L("减免租金离散度", "Spread of rent waived"),
    "assumption.retention_eligible_share": L(
        "符合稳岗返还条件的缴费占比", "Premiums of eligible firms"
    ),
    "assumption.retention_energy_intensive_share": L(
        "高耗能行业缴费占比", "Energy-intensive premiums share"
    ),
    "assumption.retention_key_project_share": L(
        "重点项目企业缴费占比", "Key-project firms' premiums share"
    ),
    "assumption.retention_take_up": L("稳岗返还覆盖率", "Job-retention refund take-up"),
    "assumption.return_service_stations": L("返乡创业服务站", "Returnee service stations"),
    "assumption.returnees_per_station_year": L(
        "每站每年返乡创业人数", "Returnees per station a year"
    ),
    "assumption.shutdown_base_factor": L(
        "2020年2-3月停工期缴费基数系数", "Base in the Feb-Mar 2020 shutdown"
    ),
    "assumption.sme_share_of_insured": L(
        "中小微企业参保职工占比", "SME share of insured employees"
    ),
    "assumption.startup_loan_additional_volume": L(
        "新增创业担保贷款", "Extra guaranteed start-up lending"
    ),
    "assumption.startup_loan_default_rate": L("创业担保贷款损失率", "Start-up loan loss rate"),
    "assumption.startup_loan_interest_rate": L("创业担保贷款利率", "Start-up loan interest rate"),
    "assumption.startup_loan_subsidised_share": L(
        "财政贴息占利息比例", "Share of interest subsidised"
    ),
    "assumption.startup_loan_subsidy_years": L("贴息期限", "Interest-subsidy term"),
    "assumption.training_subsidy_standard": L("职业培训补贴标准", "Training subsidy per trainee"),
    "assumption.ui_benefit_prior_share": L(
        "原失业保险金占最低工资比例", "Prior benefit / min. wage"
    ),
    "assumption.ui_benefit_recipients": L("失业保险金领取人数", "Unemployment-benefit recipients"),
    "assumption.ui_rate_cut": L("失业保险费率降幅", "Unemployment-insurance rate cut"),
    "assumption.contribution_wage_bill": L(
        "缴费工资总额（共同因子）", "Contribution wage bill (common factor)"
    ),
    "assumption.work_injury_cut_share": L("工伤保险费率降幅", "Work-injury rate cut"),
}

LANGS = ("zh", "en")


def _entry(key: str) -> L | None:
    """The entry of ``key``: in the table of generic words, else among the labels the data gives
    (documents and funds: ``inputs.labels``)."""
    from ..inputs.labels import data_label

    if key in LABELS:
        return LABELS[key]
    pair = data_label(key)
    return L(*pair) if pair is not None else None


def label(key: str, lang: str, **values: object) -> str:
    """The label of ``key`` in ``lang`` ("zh" or "en"), with ``{placeholders}`` filled."""
    from ..inputs.labels import WHERE

    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    entry = _entry(key)
    if entry is None:
        namespace = key.split(".", 1)[0]
        where = WHERE.get(namespace, "jnpolicy_analysis/charts/labels.py LABELS")
        raise KeyError(f"no chart label '{key}': add it, in Chinese and English, to {where}")
    text = getattr(entry, lang)
    return text.format(**values) if values else text


def has_label(key: str) -> bool:
    return _entry(key) is not None


def missing_labels(keys) -> list[str]:
    """The keys of ``keys`` with no entry in the table or the data, sorted."""
    return sorted({k for k in keys if _entry(k) is None})


# --------------------------------------------------------------------------- text helpers

_CJK_RANGES = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def display_width(text: str) -> int:
    """Columns the text takes when printed: a Chinese character counts two, a Latin letter one."""
    return sum(2 if is_wide(ch) else 1 for ch in text)


_OPENING = "（(“‘「『〔【《"
_CLOSING = "）)”’」』〕】》，。、：；！？,.;:!?%"
_TOKEN = re.compile(
    rf"[{_OPENING}]*"  # an opening bracket stays with what follows it
    rf"(?:[^\s\u2e80-\uffef{_OPENING}{_CLOSING}]+|[^\s{_OPENING}{_CLOSING}]|[{_CLOSING}])"
    rf"[{_CLOSING}]*\s*"  # closing punctuation stays with what precedes it
)


def _tokens(text: str) -> list[str]:
    """Break points: each wide character on its own, Latin words whole, brackets and punctuation
    kept with their neighbour, trailing spaces with the token before them."""
    return _TOKEN.findall(text)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis, at a word boundary for Latin text."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out = ""
    for token in _tokens(text):
        if display_width(out + token.rstrip()) > width - 1:
            break
        out += token
    if not out:  # one long word: cut inside it
        for ch in text:
            if display_width(out + ch) > width - 1:
                break
            out += ch
    return out.rstrip(" ,;:-–(（、，") + "…"


def shorten_all(texts: list[str], width: int) -> list[str]:
    """Each text shortened to ``width`` columns; where two would then read the same, their
    beginning and end are kept instead ("One-year extension…work-injury insurance rate")."""
    short = [shorten(t, width) for t in texts]
    counts: dict[str, int] = {}
    for s in short:
        counts[s] = counts.get(s, 0) + 1
    return [
        _head_and_tail(t, width) if counts[s] > 1 and s != " ".join(t.split()) else s
        for t, s in zip(texts, short, strict=True)
    ]


def _head_and_tail(text: str, width: int) -> str:
    tokens = _tokens(" ".join(text.split()))
    head_room = width // 3
    head = ""
    for token in tokens:
        if display_width(head + token.rstrip()) > head_room:
            break
        head += token
    tail = ""
    for token in reversed(tokens[len(_tokens(head)) :]):
        if display_width(head.rstrip() + "…" + token + tail) > width:
            break
        tail = token + tail
    return head.rstrip() + "…" + tail.strip()


def wrap(text: str, width: int, max_lines: int | None = None, balance: bool = True) -> str:
    """``text`` wrapped to lines of at most ``width`` columns (Chinese broken between characters,
    Latin between words), the lines evened out; beyond ``max_lines`` the last line is shortened
    with an ellipsis."""
    tokens = _tokens(" ".join(text.split()))
    lines: list[list[str]] = [[]]
    for token in tokens:
        current = "".join(lines[-1])
        if current and display_width(current + token.rstrip()) > width:
            lines.append([])
            token = token.lstrip()
        lines[-1].append(token)
    if balance and len(lines) > 1 and (max_lines is None or len(lines) <= max_lines):
        # even out the lines (no single character left alone on the last one)
        for narrower in range(width - 1, width // 2, -1):
            if len(wrap(text, narrower, balance=False).split("\n")) > len(lines):
                break
            width = narrower
        return wrap(text, width, balance=False)
    if max_lines is not None and len(lines) > max_lines:
        rest = "".join(t for line in lines[max_lines - 1 :] for t in line)
        lines = lines[: max_lines - 1] + [[shorten(rest, width)]]
    return "\n".join("".join(line).rstrip() for line in lines if "".join(line).strip())


def latin_only(text: str) -> str:
    """``text`` without Chinese characters, for figures drawn where no CJK font exists: a bracketed
    group holding Chinese is dropped whole, other Chinese runs are removed."""
    text = re.sub(r"\s*[(（][^()（）]*" + _CJK_RANGES.pattern + r"[^()（）]*[)）]", "", text)
    text = _CJK_RANGES.sub("", text)
    return " ".join(text.split())
