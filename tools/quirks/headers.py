"""Family headers: title rows, two-level headers, synonyms, marks and notes in header cells."""

from __future__ import annotations

import csv

from tools.quirks.model import Cols, CsvStyle, Fixture, HEADER, Line, NOT_READ, Sheet, book, csv_file, d


def family_headers() -> list[Fixture]:
    """Headers as offices write them: under a title, on two levels, with marks, breaks,
    spaces and notes in the names, synonyms, and a file with no usable header."""
    c = Cols("dynamics")
    two = Cols(
        "dynamics", ["序号", "报送日期", "报送单位", None, None, None], ["no", "date", "unit", "area", "title", "kind"]
    )
    odd = Cols(
        "dynamics",
        ["报送\n日期", "报 送 单 位", "领  域", "*标题", "类别（选填）", "摘要(200字以内)"],
        ["date", "unit", "area", "title", "kind", "summary"],
    )
    mark = Cols(
        "dynamics", ["*报送日期", "报送单位（必填）", "领域", "标题【必填】"], ["date", "unit", "area", "title"]
    )
    syn = Cols("media", ["刊发日期", "媒体名称", "媒体级别", "稿件数量", "专题"])
    units = Cols("media", ["发布日期", "媒体", "级别", "稿件数（篇）"], ["date", "outlet", "level", "count"])
    return [*_headers_1(c), *_headers_2(two), *_headers_3(odd, mark), *_headers_4(syn, units)]


def _headers_1(c: Cols) -> list[Fixture]:
    """Files `dynamics/title.xlsx`, in the family's order."""
    return [
        book(
            "dynamics/title.xlsx",
            Sheet(
                "Sheet1",
                [
                    Line(
                        ["西湖区共同富裕工作动态报送表（2023年第42周）", None, None, None, None, None],
                        "layout: title",
                        "title merged over A1:F1",
                    ),
                    Line(
                        ["填报单位：西溪街道", None, None, "填报日期：2023年10月20日", None, None],
                        "layout: info",
                        "填报单位 in A2, 填报日期 in D2 (not data; the rows carry their own 报送单位)",
                    ),
                    c.head("the header is row 3"),
                    c.row(
                        date=d(10, 16),
                        unit="西溪街道",
                        area="社会治理",
                        title="西溪街道召开第四季度网格工作例会",
                        kind="动态",
                    ),
                    c.row(
                        date=d(10, 18),
                        unit="西溪街道",
                        area="公共服务优质共享",
                        title="西溪街道“助老员”上门服务覆盖全部独居老人",
                        kind="动态",
                    ),
                    c.row(
                        date=d(10, 20),
                        unit="西溪街道",
                        area="社会文化",
                        title="西溪街道举办重阳节敬老文艺汇演",
                        kind="信息",
                    ),
                ],
                merges=[(1, 1, 1, 6)],
            ),
        ),
    ]


def _headers_2(two: Cols) -> list[Fixture]:
    """Files `dynamics/twolevel.xlsx`, in the family's order."""
    return [
        book(
            "dynamics/twolevel.xlsx",
            Sheet(
                "Sheet1",
                [
                    Line(
                        ["序号", "报送日期", "报送单位", "动态信息", None, None],
                        HEADER,
                        "header, upper level: 序号 A1:A2, 报送日期 B1:B2, 报送单位 C1:C2 merged down; 动态信息 merged over D1:F1",
                    ),
                    Line(
                        [None, None, None, "领域", "标题", "类别"],
                        HEADER,
                        "header, lower level: 领域, 标题, 类别 under 动态信息 (column names: 序号, 报送日期, 报送单位, 领域, 标题, 类别)",
                    ),
                    two.row(
                        raw={"no": 1},
                        date=d(10, 23),
                        unit="三墩镇",
                        area="经济高质量发展",
                        title="三墩镇数字经济产业园新签约项目五个",
                        kind="动态",
                    ),
                    two.row(
                        raw={"no": 2},
                        date=d(10, 24),
                        unit="区教育局",
                        area="公共服务优质共享",
                        title="区教育局启动“教育共富”结对帮扶计划",
                        kind="信息",
                    ),
                    two.row(
                        raw={"no": 3},
                        date=d(10, 25),
                        unit="区农业农村局",
                        area="区域协调发展",
                        title="区农业农村局召开山区海岛县结对工作会",
                        kind="动态",
                    ),
                ],
                merges=[(1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 2, 3), (1, 4, 1, 6)],
            ),
        ),
    ]


def _headers_3(odd: Cols, mark: Cols) -> list[Fixture]:
    """Files `dynamics/odd_names.csv` to `dynamics/required_mark.xlsx`, in the family's order."""
    return [
        csv_file(
            "dynamics/odd_names.csv",
            [
                odd.head(
                    'header names: "报送\\n日期" (a line break in a quoted cell), "报 送 单 位", "领  域", "*标题", '
                    '"类别（选填）", "摘要(200字以内)" -> 报送日期, 报送单位, 领域, 标题, 类别, 摘要'
                ),
                odd.row(
                    date="2023-10-26",
                    unit="区民政局",
                    area="社会治理",
                    title="区民政局发布社区社会组织培育计划",
                    kind="动态",
                    summary="年内培育社区社会组织50家",
                    note="row 2 as Excel shows it (the header's quoted line break makes it text line 3)",
                ),
                odd.row(
                    date="2023-10-27",
                    unit="翠苑街道",
                    area="收入分配",
                    title="翠苑街道开设共富工坊增加居民收入",
                    note="row 3 (text line 4); 类别, 摘要 empty",
                ),
            ],
            CsvStyle("utf-8-sig"),
            note="UTF-8 with BOM, CRLF; the header's first cell spans two text lines",
        ),
        book(
            "dynamics/required_mark.xlsx",
            Sheet(
                "Sheet1",
                [
                    mark.head(
                        '"*报送日期", "报送单位（必填）", "领域", "标题【必填】" -> 报送日期, 报送单位, 领域, 标题; no 类别 or 摘要 column'
                    ),
                    mark.row(
                        date=d(10, 30), unit="蒋村街道", area="生态文明建设", title="蒋村街道开展西溪湿地周边河道清淤"
                    ),
                    mark.row(
                        date=d(10, 31),
                        unit="区市场监管局",
                        area="经济高质量发展",
                        title="区市场监管局推进个转企助力小微企业成长",
                    ),
                ],
            ),
        ),
    ]


def _headers_4(syn: Cols, units: Cols) -> list[Fixture]:
    """Files `media/synonyms.xlsx` to `dynamics/noheader.csv`, in the family's order."""
    return [
        book(
            "media/synonyms.xlsx",
            Sheet(
                "Sheet1",
                [
                    syn.head("刊发日期 -> 日期, 媒体名称 -> 媒体, 媒体级别 -> 级别, 稿件数量 -> 稿件数"),
                    syn.row(date=d(5, 8), outlet="光明日报", level="中央", count=1, theme="共同富裕示范区建设"),
                    syn.row(date=d(5, 9), outlet="浙江卫视", level="省级", count=2),
                    syn.row(date=d(5, 10), outlet="西湖发布", level="区级", count=5, theme="共同富裕示范区建设"),
                ],
            ),
        ),
        csv_file(
            "media/units.csv",
            [
                units.head("发布日期 -> 日期; 稿件数（篇） -> 稿件数 (a unit in brackets); no 专题 column"),
                units.row(date="2023-06-05", outlet="中国新闻网", level="中央", count=1),
                units.row(date="2023-06-06", outlet="杭州日报", level="市级", count=3),
            ],
        ),
        csv_file(
            "dynamics/noheader.csv",
            [
                Line(["序号", "日期", "单位", "内容"], NOT_READ, "taken as the header: 序号, 日期, 单位, 内容"),
                Line(["1", "2023-10-09", "西溪街道", "召开共富工作例会"], NOT_READ, "file unreadable"),
                Line(["2", "2023-10-10", "三墩镇", "开展入户走访"], NOT_READ, "file unreadable"),
                Line(["3", "2023-10-11", "区发改局", "报送季度数据"], NOT_READ, "file unreadable"),
            ],
            status="file unreadable: 第1行被当作表头，找到：序号、日期、单位、内容；缺少：领域、标题 "
            "(日期 -> 日期, 单位 -> 报送单位 and 内容 -> 摘要 are synonyms the contract accepts, 序号 is ignored; "
            "the required 领域 and 标题 are named by no row in the first ten)",
        ),
    ]
