"""Family locations: where offices put their files (sub-folders, Chinese names, clutter beside them)."""

from __future__ import annotations

import csv
import io
import zipfile

from tools.quirks.model import AREAS, Cols, CsvStyle, Fixture, HEADER, Line, NOT_READ, Sheet, ZIP_TIME, book, csv_file, d


def _lock_file() -> bytes:
    """An Office owner ("lock") file as Word/Excel leave beside an open file: 165 bytes."""
    name = b"zhangsan"
    data = bytes([len(name)]) + name.ljust(53, b" ") + bytes([len(name), 0]) + "zhangsan".encode("utf-16-le")
    data += b" \x00" * ((165 - len(data)) // 2)
    data += b"\x00" * (165 - len(data))
    assert len(data) == 165
    return data


def _ds_store() -> bytes:
    """A Finder .DS_Store: its magic, then zeros to the usual 6148 bytes."""
    data = b"\x00\x00\x00\x01Bud1" + b"\x00\x00\x10\x00\x00\x00\x08\x00\x00\x00\x10\x00"
    return data.ljust(6148, b"\x00")


def _docx(text: str) -> bytes:
    """A minimal, valid Word document (a zip, like xlsx: a reader must not take it for a workbook)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in text.split("\n"))
            + "</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), content.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def family_locations() -> list[Fixture]:
    """Where files sit: table folders with sub-folders, Chinese table names, a table as a
    folder of files, and files that must be reported as not used."""
    c = Cols("dynamics")
    m = Cols("media")
    meet = Cols("meetings")
    task = Cols("tasks")
    ach = Cols("achievements")
    return [*_locations_1(c), *_locations_2(m, meet, task), *_locations_3(task, ach), *_locations_4()]


def _locations_1(c: Cols) -> list[Fixture]:
    """Files `dynamics/第7周/办公室.xlsx` to `dynamics/街道/西溪街道/第8周.csv`, in the family's order."""
    return [
        book(
            "dynamics/第7周/办公室.xlsx",
            Sheet(
                "Sheet1",
                [
                    c.head(),
                    c.row(
                        date=d(2, 13),
                        unit="北山街道",
                        area="社会治理",
                        title="北山街道试点“一老一小”综合服务",
                        kind="动态",
                    ),
                    c.row(
                        date=d(2, 15),
                        unit="区医保分局",
                        area="公共服务优质共享",
                        title="区医保分局推进长期护理保险扩面",
                        kind="动态",
                    ),
                    c.row(
                        date=d(2, 17),
                        unit="古荡街道",
                        area="经济高质量发展",
                        title="古荡街道召开楼宇经济服务座谈会",
                        kind="信息",
                    ),
                ],
            ),
            note="in a sub-folder of dynamics/",
        ),
        csv_file(
            "dynamics/街道/西溪街道/第8周.csv",
            [
                c.head(),
                c.row(
                    date="2023-02-20",
                    unit="西溪街道",
                    area="公共服务优质共享",
                    title="西溪街道开设“家门口”老年食堂",
                    kind="动态",
                ),
                c.row(
                    date="2023-02-23", unit="西溪街道", area="社会治理", title="西溪街道推行网格“多员合一”", kind="动态"
                ),
            ],
            note="two sub-folders deep in dynamics/",
        ),
    ]


def _locations_2(m: Cols, meet: Cols, task: Cols) -> list[Fixture]:
    """Files `media/10月/稿件.csv` to `任务/重点工作.csv`, in the family's order."""
    return [
        csv_file(
            "media/10月/稿件.csv",
            [
                m.head(),
                m.row(date="2023-10-09", outlet="杭州日报", level="市级", count=3, theme="共富迎亚运"),
                m.row(date="2023-10-16", outlet="浙江在线", level="省级", count=2),
            ],
            note="in a sub-folder of media/",
        ),
        book(
            "会议.xlsx",
            Sheet(
                "Sheet1",
                [
                    meet.head(),
                    meet.row(date=d(3, 15), name="西湖区共同富裕示范区建设领导小组第一次会议", kind="领导小组会议"),
                    meet.row(date=d(6, 20), name="共同富裕示范区建设二季度工作推进会", kind="专题例会"),
                ],
            ),
            note="the meetings table under its Chinese name",
        ),
        csv_file(
            "任务/重点工作.csv",
            [
                task.head(),
                task.row(
                    id="ZD-2023-01",
                    kind="重点工作",
                    area="经济高质量发展",
                    name="打造数字经济发展高地",
                    lead="区发改局",
                    status="推进中",
                ),
                task.row(
                    id="ZD-2023-02",
                    kind="重点工作",
                    area="公共服务优质共享",
                    name="建设城乡教育共同体",
                    lead="区教育局",
                    status="已完成",
                ),
            ],
            CsvStyle("gb18030"),
            note="tasks as a folder (任务/) of two files; this one GB18030 as Excel on Chinese Windows saves CSV",
        ),
    ]


def _locations_3(task: Cols, ach: Cols) -> list[Fixture]:
    """Files `任务/重大改革.xlsx` to `dynamics/.DS_Store`, in the family's order."""
    return [
        book(
            "任务/重大改革.xlsx",
            Sheet(
                "Sheet1",
                [
                    task.head(),
                    task.row(
                        id="GG-2023-01",
                        kind="重大改革",
                        area="扩中提低",
                        name="实施“扩中提低”收入分配改革",
                        lead="区人力社保局",
                        status="推进中",
                    ),
                    task.row(
                        id="GG-2023-02",
                        kind="重大改革",
                        area="共同富裕基本单元改革",
                        name="开展未来社区建设试点",
                        lead="区住建局",
                        status="未启动",
                    ),
                ],
            ),
            note="the second file of the tasks folder",
        ),
        csv_file(
            "成果.csv",
            [
                ach.head(),
                ach.row(
                    date="2023-05-18",
                    name="“共享社区”建设入选全省共同富裕最佳实践",
                    kind="最佳实践",
                    level="省级",
                    unit="区委社建委",
                    area="社会治理",
                ),
                ach.row(
                    date="2023-09-01", name="三墩镇入选全国乡村治理示范镇", kind="荣誉", level="国家级", unit="三墩镇"
                ),
            ],
            note="the achievements table under its Chinese name",
        ),
        Fixture(
            "dynamics/.DS_Store",
            "bytes",
            status="file skipped: hidden file (name starts with '.'; macOS Finder metadata)",
            payload=_ds_store(),
        ),
    ]


def _locations_4() -> list[Fixture]:
    """Files `dynamics/第7周/~$办公室.xlsx` to `汇总表.xlsx`, in the family's order."""
    return [
        Fixture(
            "dynamics/第7周/~$办公室.xlsx",
            "bytes",
            status="file skipped: Office lock (owner) file (name starts with '~$'; 165 bytes, not a workbook)",
            payload=_lock_file(),
        ),
        Fixture(
            "说明.docx",
            "bytes",
            status="file skipped: a Word document at the year's top level (not a table file)",
            payload=_docx("报送说明\n各单位请于每周五前报送工作动态。"),
        ),
        Fixture(
            "dynamics/周报说明.docx",
            "bytes",
            status="file skipped: a Word document inside the dynamics folder (not a spreadsheet; a zip like xlsx)",
            payload=_docx("周报填报说明\n领域按七大跑道填写。"),
        ),
        book(
            "汇总表.xlsx",
            Sheet(
                "汇总",
                [Line(["领域", "动态数", "信息数"], HEADER, "")]
                + [
                    Line([area, n, n // 3], NOT_READ, "")
                    for area, n in zip(AREAS, (12, 8, 9, 15, 11, 6, 14), strict=True)
                ],
                list_rows=False,
            ),
            status="file skipped: a valid workbook whose name matches no table (a summary: 领域, 动态数, 信息数)",
        ),
    ]
