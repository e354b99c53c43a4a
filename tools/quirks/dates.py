"""Family dates: every way a date is written, and the ones that are rejected."""

from __future__ import annotations

import csv
import datetime as dt

from tools.quirks.model import Cols, Fixture, Sheet, book, csv_file


def family_dates() -> list[Fixture]:
    """Dates and counts as they come: text, real cells, serial numbers, Chinese and
    full-width forms, no year, no day, two-digit years, ambiguous orders; counts with units."""
    c = Cols("dynamics")
    m = Cols("media")
    dyn = [
        (
            "20231016",
            "2023-10-16",
            "西溪街道",
            "社会治理",
            "西溪街道开展消防安全进网格专项行动",
            'text "20231016" (eight digits)',
        ),
        (
            dt.datetime(2023, 10, 17, 9, 30),
            "2023-10-17",
            "三墩镇",
            "经济高质量发展",
            "三墩镇召开科创企业服务专班会议",
            "a real date-time cell 2023-10-17 09:30 (the time is dropped)",
        ),
        (
            "2023-10-18 14:05:00",
            "2023-10-18",
            "区发改局",
            "区域协调发展",
            "区发改局赴衢州对接山海协作项目",
            'text "2023-10-18 14:05:00" (the time is dropped)',
        ),
        (
            45218,
            "2023-10-19",
            "区教育局",
            "公共服务优质共享",
            "区教育局发布课后服务提质方案",
            "the number 45218 in a number cell: an Excel date serial",
        ),
        (
            "2023 年 10 月 23 日",
            "2023-10-23",
            "留下街道",
            "社会文化",
            "留下街道举办非遗展演进社区活动",
            'text "2023 年 10 月 23 日" (spaces inside)',
        ),
        (
            "2023年11月28号",
            "2023-11-28",
            "区民政局",
            "社会治理",
            "区民政局开展困难群众走访慰问",
            'text "2023年11月28号" (号 for 日)',
        ),
        (
            "２０２３－１１－２９",
            "2023-11-29",
            "区农业农村局",
            "区域协调发展",
            "区农业农村局举办农产品产销对接会",
            'text "２０２３－１１－２９" (full-width digits and dashes)',
        ),
    ]
    lines = [c.head()]
    for cell, iso, unit, area, title, note in dyn:
        lines.append(c.row(raw={"date": cell}, date=iso, unit=unit, area=area, title=title, kind="动态", note=note))
    lines.append(
        c.warned(
            '"3月5日" has no year: the report year 2023 is assumed',
            raw={"date": "3月5日"},
            date="2023-03-05",
            unit="蒋村街道",
            area="生态文明建设",
            title="蒋村街道启动春季植树护绿行动",
            kind="动态",
        )
    )
    for cell, unit, area, title, reason in [
        (
            "2023年10月",
            "转塘街道",
            "收入分配",
            "转塘街道开展新就业形态劳动者权益保障宣传",
            '日期 "2023年10月": a month without a day, not a date',
        ),
        (
            "23-11-6",
            "区卫健局",
            "公共服务优质共享",
            "区卫健局开展秋冬季流感疫苗接种",
            '日期 "23-11-6": a two-digit year, not accepted',
        ),
        (
            "11/1/2023",
            "古荡街道",
            "社会治理",
            "古荡街道召开平安建设联席会议",
            '日期 "11/1/2023": ambiguous (1 November or 11 January?), not accepted',
        ),
    ]:
        lines.append(c.rejected(reason, raw={"date": cell}, unit=unit, area=area, title=title, kind="动态"))
    lines.append(
        c.row(
            raw={"date": "2023/3/5"},
            date="2023-03-05",
            unit="灵隐街道",
            area="社会文化",
            title="灵隐街道举办学雷锋志愿服务集市",
            kind="动态",
            note='text "2023/3/5"',
        )
    )
    lines.append(
        c.row(
            raw={"date": "2023.3.5"},
            date="2023-03-05",
            unit="双浦镇",
            area="生态文明建设",
            title="双浦镇开展钱塘江沿岸环境整治",
            kind="动态",
            note='text "2023.3.5"',
        )
    )
    lines.append(
        c.rejected(
            '日期 "11/2/2023": 2 November or 11 February? the reason offers both, 2023-11-02 and 2023-02-11',
            raw={"date": "11/2/2023"},
            unit="西湖街道",
            area="公共服务优质共享",
            title="西湖街道开展冬季送温暖入户走访",
            kind="动态",
        )
    )
    return [
        book(
            "dynamics/dates.xlsx",
            Sheet("Sheet1", lines),
            note="one row per way of writing a date; all other cells plain",
        ),
        csv_file(
            "media/counts.csv",
            [
                m.head(),
                m.row(
                    raw={"count": "12篇"},
                    date="2023-11-06",
                    outlet="浙江日报",
                    level="省级",
                    count=12,
                    note='稿件数 "12篇"',
                ),
                m.row(
                    raw={"count": "12 条"},
                    date="2023-11-07",
                    outlet="杭州日报",
                    level="市级",
                    count=12,
                    note='稿件数 "12 条"',
                ),
                m.row(
                    raw={"count": "12.0"},
                    date="2023-11-08",
                    outlet="西湖报",
                    level="区级",
                    count=12,
                    note='稿件数 "12.0"',
                ),
                m.row(
                    raw={"count": "７"},
                    date="2023-11-09",
                    outlet="人民日报",
                    level="中央",
                    count=7,
                    note='稿件数 "７" (full-width)',
                ),
                m.rejected(
                    '稿件数 "3.5": not a whole number',
                    raw={"count": "3.5"},
                    date="2023-11-10",
                    outlet="钱江晚报",
                    level="省级",
                ),
                m.rejected(
                    '稿件数 "-1": negative', raw={"count": "-1"}, date="2023-11-13", outlet="都市快报", level="市级"
                ),
            ],
        ),
    ]
