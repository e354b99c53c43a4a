"""Family formats: encodings, separators, suffixes and workbook formats an office's file may come in."""

from __future__ import annotations

import csv

from tools.quirks.model import Cols, CsvStyle, Fixture, Sheet, book, csv_file, d


def family_formats() -> list[Fixture]:
    """Every file format an office may send: the same header, two rows each."""
    c = Cols("dynamics")
    m = Cols("media")
    return [*_formats_1(c), *_formats_2(c), *_formats_3(c), *_formats_4(c), *_formats_5(c), *_formats_6(m)]


def _formats_1(c: Cols) -> list[Fixture]:
    """Files `dynamics/a.csv` to `dynamics/b.csv`, in the family's order."""
    return [
        csv_file(
            "dynamics/a.csv",
            [
                c.head(),
                c.row(
                    date="2023-01-06",
                    unit="西溪街道",
                    area="社会治理",
                    title="西溪街道“共享社区”议事会首次开议",
                    kind="动态",
                ),
                c.row(
                    date="2023-01-06",
                    unit="区发改局",
                    area="经济高质量发展",
                    title="区发改局召开数字经济重点项目推进会",
                    kind="信息",
                    summary="梳理2023年首批重点项目",
                ),
            ],
            CsvStyle("utf-8", ",", "\n"),
            note="UTF-8 without BOM, comma, LF line ends",
        ),
        csv_file(
            "dynamics/b.csv",
            [
                c.head(),
                c.row(
                    raw={"date": "2023/1/13"},
                    date="2023-01-13",
                    unit="三墩镇",
                    area="区域协调发展",
                    title="三墩镇与淳安县签订山海协作结对协议",
                    kind="动态",
                    note='date "2023/1/13"',
                ),
                c.row(
                    raw={"date": "2023/1/13"},
                    date="2023-01-13",
                    unit="区教育局",
                    area="公共服务优质共享",
                    title="西湖区新增三所城乡教共体学校",
                    summary="覆盖学生1,200余人",
                    note='date "2023/1/13"; 类别 empty; the comma in 摘要 is text, not a separator',
                ),
            ],
            CsvStyle("utf-8-sig", ";", "\r\n"),
            note="UTF-8 with BOM, semicolon separated, CRLF",
        ),
    ]


def _formats_2(c: Cols) -> list[Fixture]:
    """Files `dynamics/c.txt` to `dynamics/d.tsv`, in the family's order."""
    return [
        csv_file(
            "dynamics/c.txt",
            [
                c.head(),
                c.row(
                    raw={"date": "2023年1月20日"},
                    date="2023-01-20",
                    unit="区民政局",
                    area="社会治理",
                    title="幸福西湖民生综合体新增两处服务点",
                    kind="动态",
                    note='date "2023年1月20日"',
                ),
                c.row(
                    date="2023-01-20",
                    unit="区人力社保局",
                    area="收入分配",
                    title="区人力社保局发布灵活就业人员参保指引",
                    kind="信息",
                ),
            ],
            CsvStyle("utf-16le-bom", "\t", "\r\n"),
            note='tab separated, UTF-16 LE with BOM, CRLF: Excel\'s "Unicode text (*.txt)"',
        ),
        csv_file(
            "dynamics/d.tsv",
            [
                c.head(),
                c.row(
                    date="2023-02-03",
                    unit="留下街道",
                    area="社会文化",
                    title="留下街道举办元宵节“我们的节日”文化活动",
                    kind="动态",
                ),
                c.row(
                    date="2023-02-03",
                    unit="区农业农村局",
                    area="区域协调发展",
                    title="区农业农村局推进强村公司提质增效",
                    kind="动态",
                ),
            ],
            CsvStyle("gb18030", "\t", "\r\n"),
            note="tab separated, GB18030, CRLF",
        ),
    ]


def _formats_3(c: Cols) -> list[Fixture]:
    """Files `dynamics/e.xlsx` to `dynamics/f.xlsm`, in the family's order."""
    return [
        book(
            "dynamics/e.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 10),
                        unit="转塘街道",
                        area="生态文明建设",
                        title="转塘街道完成象山溪生态修复一期工程",
                        kind="动态",
                        note="date is a real date cell",
                    ),
                    c.row(
                        date=d(2, 10),
                        unit="区卫健局",
                        area="公共服务优质共享",
                        title="区卫健局推出“健康大脑+智慧医疗”便民服务",
                        kind="信息",
                        note="date is a real date cell",
                    ),
                ],
            ),
        ),
        book(
            "dynamics/f.xlsm",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 17),
                        unit="蒋村街道",
                        area="社会治理",
                        title="蒋村街道上线“邻里帮”志愿服务平台",
                        kind="动态",
                        note="date is a real date cell",
                    ),
                    c.row(
                        date="2023-02-17",
                        unit="区住建局",
                        area="公共服务优质共享",
                        title="区住建局启动2023年老旧小区改造",
                        kind="动态",
                        note="date is text",
                    ),
                ],
            ),
            note="an xlsx workbook saved under the .xlsm name (no macros)",
        ),
    ]


def _formats_4(c: Cols) -> list[Fixture]:
    """Files `dynamics/g.xls`, in the family's order."""
    return [
        book(
            "dynamics/g.xls",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 24),
                        unit="文新街道",
                        area="社会文化",
                        title="文新街道开展“书香文新”全民阅读月活动",
                        kind="动态",
                        note="date is a real date cell (BIFF8, yyyy/m/d format)",
                    ),
                    c.row(
                        raw={"date": "2023/2/24"},
                        date="2023-02-24",
                        unit="区市场监管局",
                        area="经济高质量发展",
                        title="区市场监管局助企纾困专项行动启动",
                        kind="信息",
                        note='date is text "2023/2/24"',
                    ),
                ],
            ),
            fmt="xls",
            note="Excel 97-2003 workbook (BIFF8, written by xlwt)",
        ),
    ]


def _formats_5(c: Cols) -> list[Fixture]:
    """Files `dynamics/h.ods`, in the family's order."""
    return [
        book(
            "dynamics/h.ods",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(3, 3),
                        unit="翠苑街道",
                        area="收入分配",
                        title="翠苑街道开展技能培训助力居民增收",
                        kind="动态",
                        note='date is a real date cell (office:value-type="date")',
                    ),
                    c.row(
                        date="2023-03-03",
                        unit="区文广旅体局",
                        area="社会文化",
                        title="区文广旅体局推出“宋韵西湖”文化惠民季",
                        kind="动态",
                        note="date is a text cell",
                    ),
                ],
            ),
            fmt="ods",
            note="OpenDocument spreadsheet (written by odfpy)",
        ),
    ]


def _formats_6(m: Cols) -> list[Fixture]:
    """Files `media/m.xls`, in the family's order."""
    return [
        book(
            "media/m.xls",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(
                        date=d(1, 5),
                        outlet="人民日报",
                        level="中央",
                        count=1,
                        theme="杭向共富",
                        note="count is a number cell",
                    ),
                    m.row(date=d(1, 12), outlet="浙江日报", level="省级", count=4, note="count is a number cell"),
                    m.row(
                        date=d(1, 19),
                        outlet="西湖报",
                        level="区级",
                        count=6,
                        theme="共同富裕看西湖",
                        note="count is a number cell",
                    ),
                ],
            ),
            fmt="xls",
            note="media as .xls: real date cells, counts as number cells",
        ),
    ]
