"""Family merged: merged cells in headers and data rows."""

from __future__ import annotations

from tools.quirks.model import Cols, Fixture, Sheet, book, d


def family_merged() -> list[Fixture]:
    """Merged cells over data rows: the value fills every row of the merge."""
    c = Cols(
        "dynamics",
        ["序号", "日期", "报送单位", "领域", "标题", "类别"],
        ["no", "date", "unit", "area", "title", "kind"],
    )
    m = Cols("media")
    fill = "from merged {}"
    return [*_merged_1(c, fill), *_merged_2(m, fill)]


def _merged_1(c: Cols, fill: str) -> list[Fixture]:
    """Files `dynamics/merged.xlsx`, in the family's order."""
    return [
        book(
            "dynamics/merged.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        raw={"no": 1},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="经济高质量发展",
                        title="三墩镇举办数字经济人才招聘周",
                        kind="动态",
                        note="date B2:B4 and unit C2:C6 merged; their values are in this row",
                    ),
                    c.row(
                        raw={"no": 2},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="区域协调发展",
                        title="三墩镇与松阳县共建飞地产业园",
                        note=f"date {fill.format('B2:B4')}, unit {fill.format('C2:C6')}; 类别 empty",
                    ),
                    c.row(
                        raw={"no": 3},
                        date=d(9, 4),
                        unit="三墩镇",
                        area="社会文化",
                        title="三墩镇农村文化礼堂开展秋季文艺演出",
                        kind="信息",
                        note=f"date {fill.format('B2:B4')}, unit {fill.format('C2:C6')}",
                    ),
                    c.row(
                        raw={"no": 4},
                        date=d(9, 6),
                        unit="三墩镇",
                        area="生态文明建设",
                        title="三墩镇完成紫金港河道水质提升工程",
                        kind="动态",
                        note=f"unit {fill.format('C2:C6')}; area D5:D6 merged, its value is in this row",
                    ),
                    c.row(
                        raw={"no": 5},
                        date=d(9, 8),
                        unit="三墩镇",
                        area="生态文明建设",
                        title="三墩镇推行垃圾分类“定时定点”投放",
                        kind="动态",
                        note=f"unit {fill.format('C2:C6')}, area {fill.format('D5:D6')}",
                    ),
                ],
                merges=[(2, 2, 4, 2), (2, 3, 6, 3), (5, 4, 6, 4)],
            ),
        ),
    ]


def _merged_2(m: Cols, fill: str) -> list[Fixture]:
    """Files `media/merged_level.xls`, in the family's order."""
    return [
        book(
            "media/merged_level.xls",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州日报",
                        level="市级",
                        count=2,
                        theme="亚运惠民",
                        note="date A2:A5 and level C2:C4 merged; their values are in this row",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州电视台",
                        level="市级",
                        count=1,
                        theme="亚运惠民",
                        note=f"date {fill.format('A2:A5')}, level {fill.format('C2:C4')}",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="杭州网",
                        level="市级",
                        count=3,
                        note=f"date {fill.format('A2:A5')}, level {fill.format('C2:C4')}",
                    ),
                    m.row(
                        date=d(9, 25),
                        outlet="西湖报",
                        level="区级",
                        count=4,
                        theme="亚运惠民",
                        note=f"date {fill.format('A2:A5')}; own level",
                    ),
                ],
                merges=[(2, 1, 5, 1), (2, 3, 4, 3)],
            ),
            fmt="xls",
            note="xlwt write_merge; the date is a real date cell",
        ),
    ]
