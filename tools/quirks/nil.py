"""Family nil: nil reports (零报告) of units with nothing to report."""

from __future__ import annotations

from tools.quirks.model import Cols, Fixture, Sheet, book, d


def family_nil() -> list[Fixture]:
    """Nil reports (零报告): a unit that had nothing this week says so in the title."""
    c = Cols("dynamics")
    nil = "nil report"
    return [
        book(
            "dynamics/零报告.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(date=d(12, 18), unit="区残联", area="公共服务优质共享", title="区残联开展无障碍设施专项排查", kind="动态",
                          note="a title with 无 in it is a dynamic: only a title that is a nil phrase is a nil report"),
                    c.layout(nil, '标题 "无", 领域 and 类别 empty: a nil report of 区司法局 for 2023-12-18',
                             {"date": d(12, 18), "unit": "区司法局", "title": "无"}),
                    c.layout(nil, '标题 "本周无动态。" (the 。 is ignored), with 领域 and 类别: still a nil report, not a dynamic',
                             {"date": d(12, 19), "unit": "区统计局", "area": "社会治理", "title": "本周无动态。", "kind": "动态"}),
                    c.layout(nil, '标题 "（暂无）" with its brackets; 领域 "无" (not an area), which a nil report does not need',
                             {"date": "2023/12/20", "unit": "区档案馆", "area": "无", "title": "（暂无）"}),
                    c.layout(nil, '标题 "无", but 领域 and 摘要 filled in: the title decides, a nil report; the row\'s text keeps the 摘要',
                             {"date": d(12, 21), "unit": "区科技局", "area": "经济高质量发展", "title": "无",
                              "summary": "走访科技型中小企业三家"}),
                    c.rejected('日期 "2023年12月": a nil report needs its date; the 领域 left empty is not a reason',
                               raw={"date": "2023年12月"}, unit="区信访局", title="本周无工作动态"),
                    c.rejected("报送单位 empty: a nil report needs its unit",
                               date=d(12, 22), title="无新增"),
                    c.rejected('日期 "2022-12-30": outside the report year',
                               raw={"date": "2022-12-30"}, unit="区民防局", title="本周无"),
                ],
            ),
            note="nil reports beside one dynamic; three of them without what a nil report needs",
        ),
    ]
