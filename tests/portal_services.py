"""The intake portal as its tests use it: a small raw folder with a roster, accounts, the real
server (uvicorn in a thread, on a free port) with a clock the test sets, and templates filled in
with openpyxl as a unit fills them."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import uvicorn
from services import free_port

from pipeline.contract import Program
from pipeline.portal.accounts import Accounts
from pipeline.portal.app import create_app
from pipeline.contract import SHANGHAI
from pipeline.portal.service import PortalSettings
from pipeline.portal.template import DATA_SHEET, blank_template

ROSTER = ("区民政局", "区教育局", "西溪街道")
PROGRAM_YAML = "name: 测试区共同富裕示范区\nunits: [区民政局, 区教育局, 西溪街道]\n"
OFFICE, OFFICE_PASSWORD = "办公室", "office-password-1"
PASSWORDS = {unit: f"{unit}-password" for unit in ROSTER}
# Friday of 2022-W20, before its deadline (17:00)
FRIDAY_MORNING = dt.datetime(2022, 5, 20, 10, 0, tzinfo=SHANGHAI)
# 区教育局 reported 2022-W18 and W19 by e-mail (files put in the folder by hand)
EARLIER_ROWS = "日期,报送单位,领域,标题,类别\n2022-05-04,区教育局,社会文化,书香校园建设,动态\n2022-05-10,区教育局,社会治理,家校共育,动态\n"


class Clock:
    """The server's clock, set by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class PortalServer:
    url: str
    raw_dir: Path
    accounts_file: Path
    clock: Clock

    def auth(self, unit: str) -> tuple[str, str]:
        return (unit, OFFICE_PASSWORD if unit == OFFICE else PASSWORDS[unit])


def portal_folder(base: Path) -> tuple[Path, Path]:
    """A raw folder with the roster and an earlier hand-placed file, and an accounts file with an
    office account and one account per roster unit."""
    raw_dir = base / "raw"
    (raw_dir / "2022" / "dynamics").mkdir(parents=True)
    (raw_dir / "program.yaml").write_text(PROGRAM_YAML, encoding="utf-8")
    (raw_dir / "2022" / "dynamics" / "2022-05-10.csv").write_text(EARLIER_ROWS, encoding="utf-8")
    accounts_file = base / "data" / "accounts.db"
    accounts = Accounts(accounts_file)
    accounts.add(OFFICE, True, OFFICE_PASSWORD, FRIDAY_MORNING)
    for unit, password in PASSWORDS.items():
        accounts.add(unit, False, password, FRIDAY_MORNING)
    return raw_dir, accounts_file


@contextlib.contextmanager
def portal_server(base: Path, max_upload: int = 1 << 20) -> Iterator[PortalServer]:
    """The portal on 127.0.0.1:<free port> over `portal_folder(base)`, stopped on exit."""
    raw_dir, accounts_file = portal_folder(base)
    clock = Clock(FRIDAY_MORNING)
    app = create_app(PortalSettings(raw_dir, accounts_file, max_upload, clock))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    try:
        yield PortalServer(f"http://127.0.0.1:{port}", raw_dir, accounts_file, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def filled_template(unit: str, rows: Sequence[tuple[object, str, str, str]], program: Program | None = None,
                    template: bytes | None = None) -> bytes:
    """The unit's template with `rows` of (date, 领域, 标题, 类别) typed into its first rows, as openpyxl saves it."""
    program = program or Program(name="测试区共同富裕示范区", units=ROSTER)
    book = openpyxl.load_workbook(io.BytesIO(template or blank_template(program, unit)))
    sheet = book[DATA_SHEET]
    for offset, (day, area, title, kind) in enumerate(rows):
        sheet.cell(2 + offset, 1).value = day
        sheet.cell(2 + offset, 3).value = area
        sheet.cell(2 + offset, 4).value = title
        sheet.cell(2 + offset, 5).value = kind
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WEEK20_ROWS = [(dt.date(2022, 5, 16), "社会治理", "社区议事协商", "动态"),
               (dt.date(2022, 5, 18), "收入分配", "低收入家庭帮扶", "信息"),
               (dt.date(2022, 5, 19), "公共服务优质共享", "养老服务中心开放", "动态")]
