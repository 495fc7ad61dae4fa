"""The charts of the overview pages (省级概况 / 全国概况), drawn by the one chart module.

Pure: an overview and a translator in, figures (SVG + data table) out. The PDF reports will build
theirs the same way from `zhijiao.adapters.reports.charts`.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from zhijiao.adapters.reports.charts import Series, bar_chart, data_table, figure
from zhijiao.domain.conversion.application import STATE_LABELS, ApplicationState
from zhijiao.domain.creditbank.model import LEARNER_TYPE_LABELS, OUTCOME_KIND_LABELS, LearnerType, OutcomeKind
from zhijiao.services.creditbank.province_overview import ProvinceOverview


def _figure(_: Callable[[str], str], title: str, description: str, category_label: str, categories: list[str],
            series: list[Series], **kw: object) -> Markup:  # fmt: skip
    chart = bar_chart(title=title, description=description, categories=categories, series=series, **kw)  # type: ignore[arg-type]
    table = data_table(caption=title, category_label=category_label, categories=categories, series=series)
    return figure(chart, table, table_summary=_("数据表"))


def overview_charts(o: ProvinceOverview, _: Callable[[str], str], colon: str = "：") -> list[Markup]:
    figures: list[Markup] = []
    where = _(o.province_name) + colon

    def _fig(*args: object, **kw: object) -> Markup:
        return _figure(*args, colon=colon, **kw)  # type: ignore[arg-type]

    # learners by cohort year and type (stacked)
    years = list(o.learners_by_year)
    if years:
        types = [t for t in LearnerType if any(str(t) in row for row in o.learners_by_year.values())]
        figures.append(_fig(
            _, _("学习者（按入学年份与类型）"),
            where + _("各入学年份的学习者人数，按学习者类型分段堆叠。"), _("入学年份"),
            [str(y) if y else _("未登记") for y in years],
            [Series(_(LEARNER_TYPE_LABELS[t]), [o.learners_by_year[y].get(str(t), 0) for y in years]) for t in types],
            stacked=True,
        ))  # fmt: skip
    # outcomes by year obtained and kind (stacked)
    years = list(o.outcomes_by_year_kind)
    if years:
        kinds = [k for k in OutcomeKind if any(k in row for row in o.outcomes_by_year_kind.values())]
        figures.append(_fig(
            _, _("学习成果（按取得年份与类型）"),
            where + _("各年取得的有效学习成果数，按成果类型分段堆叠。"), _("年度"), [str(y) for y in years],
            [Series(_(OUTCOME_KIND_LABELS[k]), [o.outcomes_by_year_kind[y].get(k, 0) for y in years]) for k in kinds],
            stacked=True,
        ))  # fmt: skip
    if o.credits_by_level:
        levels = list(o.credits_by_level)
        figures.append(_fig(
            _, _("学分（按资历框架等级）"), where + _("有效学习成果的学分合计，按资历框架等级。"),
            _("资历框架等级"), [_("第 {n} 级").format(n=n) for n in levels],
            [Series(_("学分"), [o.credits_by_level[n].credits for n in levels])], horizontal=True,
        ))  # fmt: skip
    states = [s for s in ApplicationState if o.applications_by_state.get(str(s))]
    if states:
        figures.append(_fig(
            _, _("学分兑换申请（按状态）"), where + _("学习者提交的学分兑换申请数，按当前状态。"), _("状态"),
            [_(STATE_LABELS[s]) for s in states],
            [Series(_("申请数"), [o.applications_by_state[str(s)] for s in states])], horizontal=True,
        ))  # fmt: skip
    return figures
