"""Family everything: the clean tables of a whole year, and the folder that holds every family's files at once."""

from __future__ import annotations

import csv

from tools.quirks.model import Cols, Fixture, csv_file
from tools.quirks.formats import family_formats
from tools.quirks.locations import family_locations
from tools.quirks.sheets import family_sheets
from tools.quirks.headers import family_headers
from tools.quirks.merged import family_merged
from tools.quirks.layout import family_layout
from tools.quirks.nil import family_nil
from tools.quirks.dates import family_dates


def family_everything_clean() -> list[Fixture]:
    """The clean meetings, tasks and achievements files the everything folder adds."""
    meet = Cols("meetings")
    task = Cols("tasks")
    ach = Cols("achievements")
    return [*_everything_clean_1(meet, task), *_everything_clean_2(ach)]


def _everything_clean_1(meet: Cols, task: Cols) -> list[Fixture]:
    """Files `meetings.csv` to `tasks.csv`, in the family's order."""
    return [
        csv_file(
            "meetings.csv",
            [
                meet.head(),
                meet.row(date="2023-02-21", name="共同富裕示范区建设一季度工作例会", kind="专题例会"),
                meet.row(date="2023-07-18", name="区共同富裕示范区建设领导小组（扩大）会议", kind="领导小组会议"),
                meet.row(date="2023-11-28", name="共同富裕“最佳实践”案例评审会", kind="评审会"),
            ],
        ),
        csv_file(
            "tasks.csv",
            [
                task.head(),
                task.row(
                    id="ZD-01",
                    kind="重点工作",
                    area="经济高质量发展",
                    name="实施数字经济“一号工程”升级版",
                    lead="区发改局",
                    status="推进中",
                ),
                task.row(
                    id="ZD-02",
                    kind="重点工作",
                    area="公共服务优质共享",
                    name="推进“15分钟公共服务圈”建设",
                    lead="区民政局",
                    status="已完成",
                ),
                task.row(
                    id="GG-01",
                    kind="重大改革",
                    area="缩小城乡差距",
                    name="深化强村富民乡村集成改革",
                    lead="区农业农村局",
                    status="推进中",
                ),
                task.row(
                    id="GG-02",
                    kind="重大改革",
                    area="精神生活共同富裕",
                    name="打造“文化润心”精神富有品牌",
                    lead="区委宣传部",
                    status="未启动",
                ),
            ],
        ),
    ]


def _everything_clean_2(ach: Cols) -> list[Fixture]:
    """Files `achievements.csv`, in the family's order."""
    return [
        csv_file(
            "achievements.csv",
            [
                ach.head(),
                ach.row(
                    date="2023-04-20",
                    name="“西湖益联”社区服务模式入选全国社区治理优秀案例",
                    kind="最佳实践",
                    level="国家级",
                    unit="区民政局",
                    area="社会治理",
                ),
                ach.row(
                    date="2023-08-15",
                    name="双浦镇入选省级未来乡村试点",
                    kind="试点",
                    level="省级",
                    unit="双浦镇",
                    area="区域协调发展",
                ),
            ],
        ),
    ]


# In everything/, the locations family's own meetings, tasks and achievements files
# (会议.xlsx, 任务/, 成果.csv) are left out: the clean meetings.csv, tasks.csv and
# achievements.csv stand for those tables, so no table has two competing sources.
EVERYTHING_LEAVES_OUT = ("会议.xlsx", "任务/重点工作.csv", "任务/重大改革.xlsx", "成果.csv")

FAMILIES = {
    "formats": (
        family_formats,
        "Every file format an office may send (dynamics, plus one media .xls); plain header in row 1.",
    ),
    "locations": (
        family_locations,
        "Where files sit: sub-folders in table folders, tables under Chinese names, a table as a folder of files, and files that are not used.",
    ),
    "sheets": (
        family_sheets,
        "Workbooks with several sheets: every visible sheet with a usable header is data; instruction, hidden and empty sheets are not.",
    ),
    "headers": (
        family_headers,
        "Headers as offices write them: below a title, on two levels, with marks, breaks, spaces, notes and synonyms in the names; and a file with no usable header.",
    ),
    "merged": (family_merged, "Merged cells over data rows: the merged value holds for every row of the merge."),
    "layout": (
        family_layout,
        "Form rows that are not data: totals and subtotals, signatures, notes and a notes block, pre-numbered empty rows, a blank spacer.",
    ),
    "dates": (family_dates, "Dates and counts in the forms offices write them; the report year is 2023."),
    "nil": (
        family_nil,
        "Nil reports (零报告): a title such as 无 or 本周无动态 says the unit reported nothing that week; "
        "it needs only its date and unit, and is never counted as a dynamic.",
    ),
}


def family_everything(built: dict[str, list[Fixture]]) -> list[Fixture]:
    fixtures = [
        f for name in FAMILIES for f in built[name] if not (name == "locations" and f.rel in EVERYTHING_LEAVES_OUT)
    ]
    return fixtures + family_everything_clean()
