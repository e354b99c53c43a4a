"""The portal's JSON API end to end against the running server (httpx): 201, 401, 403, 413,
422 and 429, supersede, another unit's rows, a hostile file name, an oversized body, concurrent
uploads of one unit, the status figures with `late`, and what the next build counts."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg
import duckdb
import httpx
import pytest
from conftest import project_resources
from portal_services import OFFICE, WEEK20_ROWS, PortalServer, filled_template, portal_server

from pipeline.contract import load_program
from pipeline.defs import ingest
from pipeline.defs.raw import raw_file_hashes, year_versions
from pipeline.ops.check import check_year
from pipeline.portal.receipts import first_receipts
from pipeline.portal.security import HEADERS

pytestmark = pytest.mark.timeout(120)
UNIT = "区民政局"
FOLDER = Path("2022/dynamics/区民政局")


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    with portal_server(tmp_path) as server:
        yield server


def _post(portal: PortalServer, content: bytes, name: str = "本周动态.xlsx", unit: str = UNIT) -> httpx.Response:
    return httpx.post(f"{portal.url}/api/submissions", auth=portal.auth(unit), files={"file": (name, content)}, timeout=60)


def _stored(portal: PortalServer) -> list[str]:
    return sorted(p.relative_to(portal.raw_dir).as_posix() for p in (portal.raw_dir / FOLDER).glob("*")) \
        if (portal.raw_dir / FOLDER).is_dir() else []


def test_an_upload_is_checked_stored_under_the_units_folder_and_answered_201(portal: PortalServer) -> None:
    content = filled_template(UNIT, WEEK20_ROWS)
    answer = _post(portal, content)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert {key: body[key] for key in ("unit", "week", "file", "rows_read", "rows_counted", "rows_rejected", "problems")} == {
        "unit": UNIT, "week": "2022-W20", "file": "2022/dynamics/区民政局/2022-W20-1.xlsx",
        "rows_read": 3, "rows_counted": 3, "rows_rejected": 0, "problems": []}
    assert (portal.raw_dir / body["file"]).read_bytes() == content
    [receipt] = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]
    assert receipt["sha256"] == hashlib.sha256(content).hexdigest()
    assert (receipt["account"], receipt["address"], receipt["stored"]) == (UNIT, "127.0.0.1", True)
    assert receipt["received"] == "2022-05-20T10:00:00+08:00" and receipt["state"] == "计入"


def test_without_valid_credentials_the_api_answers_401(portal: PortalServer) -> None:
    content = filled_template(UNIT, WEEK20_ROWS)
    bare = httpx.post(f"{portal.url}/api/submissions", files={"file": ("a.xlsx", content)})
    wrong = httpx.post(f"{portal.url}/api/submissions", auth=(UNIT, "not-the-password"), files={"file": ("a.xlsx", content)})
    nobody = httpx.get(f"{portal.url}/api/submissions", auth=("没有这个账号", "whatever-1"))
    assert [r.status_code for r in (bare, wrong, nobody)] == [401, 401, 401]
    assert bare.headers["www-authenticate"].startswith("Basic")
    assert wrong.json() == {"error": "账号或密码不正确"}
    assert _stored(portal) == []


def test_the_status_is_for_office_accounts_only(portal: PortalServer) -> None:
    assert _post(portal, filled_template(UNIT, WEEK20_ROWS)).status_code == 201
    refused = httpx.get(f"{portal.url}/api/status", params={"week": "2022-W20"}, auth=portal.auth(UNIT))
    assert refused.status_code == 403 and refused.json() == {"error": "报送情况仅办公室账号可查看"}
    status = httpx.get(f"{portal.url}/api/status", params={"week": "2022-W20"}, auth=portal.auth(OFFICE), timeout=60)
    assert status.status_code == 200
    figures = status.json()
    assert (figures["week"], figures["units_expected"], figures["reported"], figures["missing"], figures["late"]) == (
        "2022-W20", ["区民政局", "区教育局", "西溪街道"], ["区民政局"], ["区教育局", "西溪街道"], [])
    assert figures["missing_streak"] == {"西溪街道": 3}  # owed since 2022-W18, the year's first row
    assert (figures["dynamics_week"], figures["info_week"]) == (2, 1)
    assert httpx.get(f"{portal.url}/api/status", params={"week": "2022-W99"}, auth=portal.auth(OFFICE)).status_code == 400


def test_an_upload_after_the_deadline_makes_the_unit_late_and_an_earlier_one_does_not(portal: PortalServer) -> None:
    assert _post(portal, filled_template(UNIT, WEEK20_ROWS)).status_code == 201
    portal.clock.now = dt.datetime(2022, 5, 21, 9, 30, tzinfo=portal.clock.now.tzinfo)  # Saturday
    assert _post(portal, filled_template(UNIT, WEEK20_ROWS[:1])).status_code == 201  # a correction: not late
    late = [(dt.date(2022, 5, 17), "社会治理", "街道议事会", "动态")]
    assert _post(portal, filled_template("西溪街道", late), unit="西溪街道").status_code == 201
    figures = httpx.get(f"{portal.url}/api/status", params={"week": "2022-W20"}, auth=portal.auth(OFFICE), timeout=60).json()
    assert figures["late"] == ["西溪街道"]
    assert figures["reported"] == ["区民政局", "西溪街道"]
    receipts = first_receipts(portal.accounts_file, 2022)
    assert receipts.rows() == [("区民政局", "2022-W20", dt.datetime(2022, 5, 20, 10, tzinfo=portal.clock.now.tzinfo)),
                               ("西溪街道", "2022-W20", dt.datetime(2022, 5, 21, 9, 30, tzinfo=portal.clock.now.tzinfo))]


def test_a_second_upload_for_the_week_supersedes_the_first_and_the_next_build_counts_the_rows_once(
        portal: PortalServer, tmp_path: Path) -> None:
    bad = [*WEEK20_ROWS[:2], (dt.date(2022, 5, 19), "不存在的领域", "养老服务中心开放", "动态")]
    first = _post(portal, filled_template(UNIT, bad)).json()
    assert (first["rows_counted"], first["rows_rejected"]) == (2, 1)
    assert first["problems"] == [{"row": 4, "reason": "领域“不存在的领域”不在方案的工作领域（经济高质量发展、收入分配、区域协调发展、"
                                                   "公共服务优质共享、社会文化、生态文明建设、社会治理）中"}]
    second = _post(portal, filled_template(UNIT, WEEK20_ROWS), name="本周动态（改）.xlsx").json()
    assert (second["file"], second["replaces"], second["problems"]) == (
        "2022/dynamics/区民政局/2022-W20-2.xlsx", "2022/dynamics/区民政局/2022-W20-1.xlsx", [])
    assert _stored(portal) == ["2022/dynamics/区民政局/2022-W20-1.xlsx", "2022/dynamics/区民政局/2022-W20-2.xlsx"]
    states = [s["state"] for s in httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]]
    assert states == ["计入", "已被2022-W20-2.xlsx替换，不计入"]
    checked = check_year(portal.raw_dir, 2022, load_program(portal.raw_dir))
    assert f"{portal.raw_dir}/2022/dynamics/区民政局/2022-W20-1.xlsx: 跳过：已被同一单位同一周后来的报送“2022-W20-2.xlsx”替换，不计入" \
        in checked.lines
    assert not checked.failed  # the rejected row went with the file it was in
    (tmp_path / "build").mkdir()
    resources = project_resources(portal.raw_dir, tmp_path / "build")
    assert dg.materialize(ingest.assets, resources=resources, partition_key="2022").success
    with duckdb.connect(resources["duckdb"].database, read_only=True) as conn:
        rows = conn.sql("select file, title from dynamics where unit = '区民政局' order by row").fetchall()
        source = conn.sql("select error from source_files where file like '%2022-W20-1.xlsx'").fetchall()
    assert rows == [("2022/dynamics/区民政局/2022-W20-2.xlsx", title) for _, _, title, _ in WEEK20_ROWS]
    assert source == [("已被同一单位同一周后来的报送“2022-W20-2.xlsx”替换，不计入",)]


def test_a_file_naming_another_roster_unit_is_refused_with_its_rows(portal: PortalServer) -> None:
    content = filled_template("区教育局", WEEK20_ROWS[:2])  # the template of another unit
    answer = _post(portal, content)
    assert answer.status_code == 422
    assert [p["row"] for p in answer.json()["problems"]] == [2, 3]
    assert answer.json()["problems"][0]["reason"] == \
        "报送单位“区教育局”是另一成员单位；本账号只能报送“区民政局”的动态，请删除该行或由该单位自行报送"
    assert answer.json()["file"] is None and _stored(portal) == []
    [receipt] = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]
    assert (receipt["stored"], receipt["state"]) == (False, "未接收")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("动态.xlsx", b"PK\x03\x04 not really a workbook", "无法作为 Excel/WPS 工作簿读取（文件已损坏，或内容与扩展名不符）"),
    ("动态.exe", b"MZ\x90\x00", "不是可读取的表格文件（.exe）；可读取的格式：.csv、.txt、.tsv、.xlsx、.xlsm、.xls、.ods"),
])
def test_a_file_that_cannot_be_read_is_refused_422_storing_nothing(portal: PortalServer, name: str, content: bytes,
                                                                     reason: str) -> None:
    answer = _post(portal, content, name=name)
    assert answer.status_code == 422
    assert answer.json()["problems"] == [{"row": None, "reason": reason if name.endswith(".exe") else f"无法读取，未计入：{reason}"}]
    assert _stored(portal) == [] and not (portal.raw_dir / "2022" / "dynamics" / UNIT).exists()


def test_a_hostile_file_name_is_kept_only_in_the_receipt(portal: PortalServer) -> None:
    hostile = "../../../etc/cron.d/\x1b[31m动态.csv"
    rows = "日期,报送单位,领域,标题\n2022-05-17,区民政局,社会治理,议事会\n"
    answer = _post(portal, rows.encode(), name=hostile)
    assert answer.status_code == 201, answer.text
    assert answer.json()["file"] == "2022/dynamics/区民政局/2022-W20-1.csv"
    assert sorted(p.name for p in portal.raw_dir.parent.iterdir()) == ["data", "raw"]
    [receipt] = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]
    assert receipt["original_name"] == hostile
    log = (portal.accounts_file.parent / "portal.log").read_text(encoding="utf-8")
    assert "原文件名=../../../etc/cron.d/\\x1b[31m动态.csv" in log and "\x1b" not in log


def test_a_body_over_the_limit_is_refused_413_while_it_is_read(tmp_path: Path) -> None:
    with portal_server(tmp_path, max_upload=64 * 1024) as portal:
        big = _post(portal, b"x" * (128 * 1024), name="big.csv")
        assert big.status_code == 413 and big.json() == {"error": "上传内容超过上限（65536字节）"}
        # chunked, no Content-Length: refused once the bytes read pass the limit, before the body ends
        with socket.create_connection(("127.0.0.1", int(portal.url.rsplit(":", 1)[1])), timeout=30) as sock:
            credentials = "Basic " + base64.b64encode(":".join(portal.auth(UNIT)).encode()).decode()
            sock.sendall(b"POST /api/submissions HTTP/1.1\r\nHost: portal\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: multipart/form-data; boundary=b\r\nAuthorization: " + credentials.encode() + b"\r\n\r\n")
            for _ in range(3):
                sock.sendall(b"8000\r\n" + b"y" * 0x8000 + b"\r\n")
            reply = sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 413")
        assert _stored(portal) == []


def test_concurrent_uploads_of_one_unit_each_get_a_name_and_the_last_counts(portal: PortalServer) -> None:
    contents = [filled_template(UNIT, WEEK20_ROWS[: n + 1]) for n in range(3)] + [filled_template(UNIT, WEEK20_ROWS)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda content: _post(portal, content), contents))
    assert [a.status_code for a in answers] == [201] * 4
    assert sorted(a.json()["file"].rsplit("/", 1)[1] for a in answers) == [f"2022-W20-{n}.xlsx" for n in (1, 2, 3, 4)]
    checked = check_year(portal.raw_dir, 2022, load_program(portal.raw_dir))
    assert sum("替换，不计入" in line for line in checked.lines) == 3
    assert len(httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]) == 4


def test_ten_wrong_passwords_lock_the_account_for_fifteen_minutes(portal: PortalServer) -> None:
    wrong = [httpx.get(f"{portal.url}/api/submissions", auth=(UNIT, f"wrong-{n}")).status_code for n in range(10)]
    assert wrong == [401] * 9 + [429]
    right = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT))
    assert right.status_code == 429 and "暂停登录" in right.json()["error"]
    assert httpx.get(f"{portal.url}/api/submissions", auth=portal.auth("区教育局")).status_code == 200  # others unaffected
    portal.clock.now += dt.timedelta(minutes=15, seconds=1)
    assert httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).status_code == 200
    log = (portal.accounts_file.parent / "portal.log").read_text(encoding="utf-8")
    assert log.count("登录失败（账号或密码不正确） 账号=区民政局 地址=127.0.0.1") == 9
    assert "登录被拒（连续输错密码，已锁定） 账号=区民政局" in log and "wrong-" not in log


def test_a_unit_sees_only_its_own_submissions_and_the_office_all(portal: PortalServer) -> None:
    assert _post(portal, filled_template(UNIT, WEEK20_ROWS)).status_code == 201
    other = [(dt.date(2022, 5, 17), "社会文化", "阅读推广", "动态")]
    assert _post(portal, filled_template("区教育局", other), unit="区教育局").status_code == 201
    mine = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(UNIT)).json()["submissions"]
    everyone = httpx.get(f"{portal.url}/api/submissions", auth=portal.auth(OFFICE)).json()["submissions"]
    assert [s["unit"] for s in mine] == [UNIT]
    assert [s["unit"] for s in everyone] == ["区教育局", UNIT]
    office_upload = _post(portal, filled_template(UNIT, WEEK20_ROWS), unit=OFFICE)
    assert office_upload.status_code == 403


def test_every_answer_carries_the_security_headers(portal: PortalServer) -> None:
    for answer in (httpx.get(f"{portal.url}/signin"), httpx.get(f"{portal.url}/api/status"),
                   httpx.get(f"{portal.url}/static/portal.css"), httpx.get(f"{portal.url}/no-such-page")):
        assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS
    assert "script-src" not in HEADERS["content-security-policy"] and "'unsafe-inline'" not in json.dumps(HEADERS)
    assert "frame-ancestors 'none'" in HEADERS["content-security-policy"]


def test_the_raw_folder_sensor_sees_a_portal_upload_as_new_data(portal: PortalServer) -> None:
    before = year_versions(raw_file_hashes(portal.raw_dir))
    assert _post(portal, filled_template(UNIT, WEEK20_ROWS)).status_code == 201
    after = year_versions(raw_file_hashes(portal.raw_dir))
    assert before["2022"] != after["2022"]
    assert "2022/dynamics/区民政局/2022-W20-1.xlsx" in raw_file_hashes(portal.raw_dir)


def test_an_upload_over_the_workbook_limits_is_refused_as_check_refuses_it(portal: PortalServer,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_MAX_SHEET_CELLS", "100")  # the template reaches 201 rows x 6 columns
    answer = _post(portal, filled_template(UNIT, WEEK20_ROWS))
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["row"] is None
    assert problem["reason"].startswith("无法读取，未计入：工作表（工作簿内的 sheet1.xml）从A1到最后一个单元格共 201 行 × 6 列，超过上限")
    assert _stored(portal) == []
