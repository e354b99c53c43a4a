"""Family sheets: workbooks of several sheets, hidden sheets, instruction sheets, empty sheets."""

from __future__ import annotations

from tools.quirks.model import AREAS, Cols, Fixture, Line, NOT_READ, Sheet, book, d


def family_sheets() -> list[Fixture]:
    """Workbooks of several sheets: data sheets, an instructions sheet, a hidden list sheet, empty sheets."""
    c = Cols("dynamics")
    week1 = [
        c.head(),
        c.row(
            date=d(1, 3), unit="灵隐街道", area="社会文化", title="灵隐街道启动“运河文化进社区”系列活动", kind="动态"
        ),
        c.row(date=d(1, 4), unit="双浦镇", area="区域协调发展", title="双浦镇召开强村富民集成改革推进会", kind="动态"),
        c.row(
            date=d(1, 5),
            unit="区生态环境分局",
            area="生态文明建设",
            title="区生态环境分局发布2022年度空气质量公报",
            kind="信息",
        ),
    ]
    week2 = [
        c.head(),
        c.row(
            date=d(1, 9),
            unit="西湖街道",
            area="公共服务优质共享",
            title="西湖街道新增两家社区嵌入式托育点",
            kind="动态",
        ),
        c.row(
            date=d(1, 11), unit="区委社建委", area="社会治理", title="区委社建委部署2023年社区治理重点任务", kind="动态"
        ),
        c.row(
            date=d(1, 13), unit="区人力社保局", area="收入分配", title="区人力社保局开展春风行动专场招聘会", kind="动态"
        ),
    ]
    instructions = [
        Line(["填报说明"], NOT_READ),
        Line(["1. 日期填写报送当天日期，如2023-01-06。"], NOT_READ),
        Line(["2. 领域请从下拉选项中选择七大领域之一。"], NOT_READ),
        Line(["3. 标题不超过40字，摘要不超过200字。"], NOT_READ),
        Line(["4. 每周五17:00前报送区共富办。"], NOT_READ),
    ]
    choices = [Line(["领域"], NOT_READ)] + [Line([area], NOT_READ) for area in AREAS]
    return [
        book(
            "dynamics/周报.xlsx",
            Sheet("第1周", week1),
            Sheet("第2周", week2),
            Sheet(
                "填报说明",
                instructions,
                status="sheet skipped: instructions (5 lines of text in column A, no header naming the required columns)",
                list_rows=False,
            ),
            Sheet(
                "下拉选项",
                choices,
                hidden=True,
                status="sheet skipped: hidden sheet (the 领域 drop-down list: a header 领域 and the 7 areas)",
                list_rows=False,
            ),
            note="four sheets: two data sheets, instructions, a hidden list",
        ),
        book(
            "dynamics/空表.xlsx",
            Sheet("第3周", [c.head("header only")], status="sheet read: header only, 0 data rows (not an error)"),
            Sheet("Sheet2", [], status="sheet skipped: totally empty sheet"),
            note="a header with no rows, and an empty second sheet: contributes nothing",
        ),
    ]
