"""Family layout: totals, sign-offs, notes blocks and blank template rows."""

from __future__ import annotations

import csv

from tools.quirks.model import Cols, CsvStyle, FIELDS, Fixture, Line, STANDARD_HEADER, Sheet, blank, book, csv_file, d


def family_layout() -> list[Fixture]:
    """Rows that are part of the form, not data: totals, signatures, notes and a notes block, pre-numbered empty rows."""
    m = Cols("media")
    c = Cols("dynamics")
    tpl = Cols("dynamics", ["序号", *STANDARD_HEADER["dynamics"]], ["no", *FIELDS["dynamics"]])
    return [*_layout_1(m), *_layout_2(c), *_layout_3(tpl), *_layout_4(c)]


def _layout_1(m: Cols) -> list[Fixture]:
    """Files `media/with_totals.xlsx` to `media/totals2.csv`, in the family's order."""
    return [
        book(
            "media/with_totals.xlsx",
            Sheet(
                "Sheet1",
                [
                    m.head(),
                    m.row(date=d(10, 9), outlet="浙江日报", level="省级", count=3, theme="共富迎亚运"),
                    m.row(date=d(10, 10), outlet="杭州日报", level="市级", count=5, theme="共富迎亚运"),
                    m.row(date=d(10, 12), outlet="西湖报", level="区级", count=12),
                    m.row(date=d(10, 13), outlet="新华社", level="中央", count=1, theme="共富迎亚运"),
                    m.layout(
                        "total",
                        '"合计" in the 媒体 column; it also carries a date, a level and 21 (the sum of rows 2-5): not counted',
                        {"date": d(10, 13), "outlet": "合计", "level": "区级", "count": 21},
                    ),
                ],
            ),
        ),
        csv_file(
            "media/totals2.csv",
            [
                m.head(),
                m.row(date="2023-12-04", outlet="浙江日报", level="省级", count=2, theme="共同富裕看浙江"),
                m.row(date="2023-12-05", outlet="杭州日报", level="市级", count=4),
                m.layout("subtotal", '"小计" in the first cell, 6 in 稿件数 (rows 2-3)', {"date": "小计", "count": 6}),
                m.row(date="2023-12-11", outlet="西湖报", level="区级", count=8),
                m.row(date="2023-12-12", outlet="新华社", level="中央", count=1, theme="共同富裕看浙江"),
                m.layout(
                    "total", '"总 计" (a space inside) in the first cell, 15 in 稿件数', {"date": "总 计", "count": 15}
                ),
            ],
        ),
    ]


def _layout_2(c: Cols) -> list[Fixture]:
    """Files `dynamics/footer.xlsx`, in the family's order."""
    return [
        book(
            "dynamics/footer.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(11, 13),
                        unit="留下街道",
                        area="区域协调发展",
                        title="留下街道与开化县签订共富结对协议",
                        kind="动态",
                    ),
                    c.row(
                        date=d(11, 15),
                        unit="区卫健局",
                        area="公共服务优质共享",
                        title="区卫健局推进基层卫生服务“一站式”改革",
                        kind="信息",
                    ),
                    c.row(
                        date=d(11, 17),
                        unit="转塘街道",
                        area="社会文化",
                        title="转塘街道举办“艺术转塘”社区美育节",
                        kind="动态",
                    ),
                    blank(6),
                    c.layout(
                        "signature",
                        '"填表人：张三" in A, "联系电话：0571-88888888" in D (the 标题 column)',
                        {"date": "填表人：张三", "title": "联系电话：0571-88888888"},
                    ),
                    c.layout("signature", '"审核人：李四" in A', {"date": "审核人：李四"}),
                    c.layout("note", '"备注：本表每周五前报送" in A', {"date": "备注：本表每周五前报送"}),
                    c.layout("note", '"注：领域按七大跑道填写" in A', {"date": "注：领域按七大跑道填写"}),
                ],
            ),
        ),
    ]


def _layout_3(tpl: Cols) -> list[Fixture]:
    """Files `dynamics/template.xlsx` to `dynamics/notes_block.xlsx`, in the family's order."""
    return [
        book(
            "dynamics/template.xlsx",
            Sheet(
                "Sheet1",
                [
                    tpl.head("序号 in column A"),
                    tpl.row(
                        raw={"no": 1},
                        date=d(11, 20),
                        unit="文新街道",
                        area="社会治理",
                        title="文新街道推广“民生议事堂”协商机制",
                        kind="动态",
                    ),
                    tpl.row(
                        raw={"no": 2},
                        date=d(11, 22),
                        unit="区住建局",
                        area="公共服务优质共享",
                        title="区住建局新开工保障性租赁住房两千套",
                        kind="信息",
                    ),
                    tpl.row(
                        raw={"no": 3},
                        date=d(11, 24),
                        unit="北山街道",
                        area="社会文化",
                        title="北山街道开展西湖诗词进社区活动",
                        kind="动态",
                    ),
                ]
                + [
                    tpl.layout("empty template row", f"only 序号 {n} (pre-numbered, never filled)", {"no": n})
                    for n in range(4, 9)
                ],
            ),
        ),
        book(
            "dynamics/notes_block.xlsx",
            Sheet("Sheet1", _notes_block_lines(tpl), merges=[(r, 1, r, 7) for r in range(6, 10)]),
            note="a 备注 block below the data: its heading and numbered lines each merged across A:G",
        ),
    ]


def _layout_4(c: Cols) -> list[Fixture]:
    """Files `dynamics/说明行.csv`, in the family's order."""
    return [
        csv_file(
            "dynamics/说明行.csv",
            [
                c.head(),
                c.row(
                    date="2023-11-27",
                    unit="古荡街道",
                    area="收入分配",
                    title="古荡街道开展“共富工坊”技能培训",
                    kind="动态",
                ),
                c.row(
                    date="2023-11-29",
                    unit="区发改局",
                    area="经济高质量发展",
                    title="区发改局召开民营企业座谈会",
                    kind="动态",
                ),
                Line(
                    ["说明：第48周其余单位无新增动态"],
                    "layout: note",
                    'a line of one cell, "说明：第48周其余单位无新增动态" (no trailing separators)',
                ),
            ],
            CsvStyle("utf-8-sig", pad=False),
        ),
    ]


def _notes_block_lines(tpl: Cols) -> list[Line]:
    """Three data rows numbered 1-3 in 序号, a blank row, then a 备注 block: the heading and
    three numbered lines, each one text merged across the row."""
    notes = [
        ("备注：", '"备注：" merged A6:G6: the block\'s heading'),
        ("1. 请于每周五下午5点前报送至区共富办邮箱。", "a numbered line merged A7:G7: one text, under the heading"),
        ("2、领域按七大跑道填写，类别填“动态”或“信息”。", "numbered 2、, merged A8:G8"),
        ("（3）无动态的单位请在标题栏填写“无”。", "numbered （3）, merged A9:G9"),
    ]
    return [
        tpl.head("序号 in column A"),
        tpl.row(raw={"no": 1}, date=d(12, 11), unit="古荡街道", area="社会治理", title="古荡街道召开年度网格员表彰会", kind="动态"),
        tpl.row(raw={"no": 2}, date=d(12, 12), unit="区文广旅体局", area="社会文化", title="区文广旅体局举办冬季全民健身赛事", kind="信息"),
        tpl.row(raw={"no": 3}, date=d(12, 13), unit="转塘街道", area="收入分配", title="转塘街道开展民宿从业人员技能提升培训", kind="动态"),
        blank(7),
        *(Line([text] * 7, "layout: note", detail) for text, detail in notes),
    ]
