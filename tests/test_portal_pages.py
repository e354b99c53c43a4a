"""The portal's pages against the running server: session cookies (HttpOnly, SameSite=Lax,
Secure behind TLS), CSRF tokens on every form, the lock after 10 wrong passwords, a unit kept
to its own page, and the template a unit downloads."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from portal_services import OFFICE, WEEK20_ROWS, PortalServer, filled_template, portal_server

from pipeline.portal.security import CSRF_COOKIE, SESSION_COOKIE

pytestmark = pytest.mark.timeout(120)
UNIT = "区民政局"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalServer]:
    with portal_server(tmp_path) as server:
        yield server


def _token(page: httpx.Response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text)[1]


def _signed_in(portal: PortalServer, name: str = UNIT, headers: dict | None = None) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=portal.url, headers=headers or {}, timeout=60)
    token = _token(client.get("/signin"))
    # sent by hand: behind TLS the cookie is Secure, which a client on plain http keeps to itself
    answer = client.post("/signin", data={"csrf": token, "name": name, "password": portal.auth(name)[1]},
                         headers={"cookie": f"{CSRF_COOKIE}={token}"})
    return client, answer


def _cookie_header(answer: httpx.Response, name: str) -> str:
    return next(value for value in answer.headers.get_list("set-cookie") if value.startswith(f"{name}="))


def test_signing_in_sets_an_httponly_samesite_session_cookie_secure_only_behind_tls(portal: PortalServer) -> None:
    client, answer = _signed_in(portal)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
    cookie = _cookie_header(answer, SESSION_COOKIE)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert client.get("/", follow_redirects=True).url.path == "/unit"
    # behind a TLS proxy on this machine (uvicorn trusts 127.0.0.1's X-Forwarded-Proto)
    _, behind_tls = _signed_in(portal, headers={"x-forwarded-proto": "https"})
    assert "Secure" in _cookie_header(behind_tls, SESSION_COOKIE)


def test_forms_without_their_csrf_token_are_refused(portal: PortalServer) -> None:
    client = httpx.Client(base_url=portal.url)
    client.get("/signin")
    no_token = client.post("/signin", data={"name": UNIT, "password": portal.auth(UNIT)[1]})
    assert no_token.status_code == 403 and "表单已失效" in no_token.text
    signed, _ = _signed_in(portal)
    upload = signed.post("/unit/upload", data={"csrf": "forged"}, files={"file": ("a.xlsx", filled_template(UNIT, WEEK20_ROWS))})
    assert upload.status_code == 403
    assert not (portal.raw_dir / "2022" / "dynamics" / UNIT).exists()
    stored = signed.post("/unit/upload", data={"csrf": _token(signed.get("/unit"))},
                         files={"file": ("a.xlsx", filled_template(UNIT, WEEK20_ROWS))})
    assert stored.status_code == 201 and "已接收（2022-W20）：计入3行" in stored.text
    fresh = httpx.get(f"{portal.url}/signin")
    assert "HttpOnly" in _cookie_header(fresh, CSRF_COOKIE) and "SameSite=strict" in _cookie_header(fresh, CSRF_COOKIE)


def test_the_sign_in_page_refuses_a_locked_account_with_429(portal: PortalServer) -> None:
    client = httpx.Client(base_url=portal.url)
    token = _token(client.get("/signin"))
    codes = [client.post("/signin", data={"csrf": token, "name": UNIT, "password": f"wrong-{n}"}).status_code
             for n in range(10)]
    assert codes == [401] * 9 + [429]
    locked = client.post("/signin", data={"csrf": token, "name": UNIT, "password": portal.auth(UNIT)[1]})
    assert locked.status_code == 429 and "连续输错密码次数过多，该账号暂停登录至10:15" in locked.text


def test_a_unit_cannot_open_the_office_page_and_the_office_sees_every_unit(portal: PortalServer) -> None:
    unit, _ = _signed_in(portal)
    refused = unit.get("/office")
    assert refused.status_code == 403 and "报送情况仅办公室账号可查看" in refused.text
    office, _ = _signed_in(portal, OFFICE)
    page = office.get("/office", params={"week": "2022-W19"})
    assert page.status_code == 200 and "报送情况：2022年第19周（5月9日至5月15日）" in page.text
    assert office.get("/office", params={"week": "第19周"}).status_code == 400
    signed_out = office.post("/signout", data={"csrf": _token(page)}, follow_redirects=False)
    assert signed_out.status_code == 303 and office.get("/office", follow_redirects=False).status_code == 303


def test_the_downloaded_template_has_the_columns_dropdowns_unit_and_instructions(portal: PortalServer) -> None:
    client, _ = _signed_in(portal)
    answer = client.get("/unit/template.xlsx")
    assert answer.status_code == 200
    assert "filename*=UTF-8''%E5%B7%A5%E4%BD%9C" in answer.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["工作动态", "填报说明"]
    sheet = book["工作动态"]
    assert [cell.value for cell in sheet[1]] == ["日期", "报送单位", "领域", "标题", "类别", "摘要"]
    assert sheet["B2"].value == UNIT and "B2:B201" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    validations = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert validations["C2:C201"] == ("list", "='填报说明'!$A$9:$A$15")
    assert validations["E2:E201"] == ("list", '"动态,信息"')
    assert validations["A2:A201"][0] == "date"
    guide = book["填报说明"]
    assert [guide.cell(row, 1).value for row in range(9, 16)] == [
        "经济高质量发展", "收入分配", "区域协调发展", "公共服务优质共享", "社会文化", "生态文明建设", "社会治理"]
    assert guide["A2"].value == f"本模板的报送单位：{UNIT}"
