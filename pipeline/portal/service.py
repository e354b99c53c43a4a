"""What the portal does, apart from HTTP: signing in, taking an upload and recording its receipt,
listing submissions with what became of each, and a week's status; every step logged."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.contract import Program, load_program
from pipeline.intake.submissions import superseded
from pipeline.portal.clock import shanghai_now
from pipeline.portal.accounts import Account, Accounts, SignIn
from pipeline.portal.audit import log, open_log
from pipeline.portal.receipts import Receipt, Receipts, receipts_file
from pipeline.portal.status import WeekStatus
from pipeline.portal.uploads import Outcome, sha256_of, take_upload
from pipeline.contract import Week
from pipeline.reporting.duty import member_of


@dataclass(frozen=True)
class PortalSettings:
    raw_dir: Path
    accounts_file: Path
    max_upload: int
    clock: Callable[[], dt.datetime] = shanghai_now  # aware, Asia/Shanghai


class Portal:
    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self.raw_dir = settings.raw_dir
        self.accounts = Accounts(settings.accounts_file)
        self.receipts = Receipts(receipts_file(settings.accounts_file))
        self.status = WeekStatus(settings.raw_dir, settings.accounts_file)
        self.log_file = open_log(settings.accounts_file)

    def now(self) -> dt.datetime:
        return self.settings.clock()

    def program(self) -> Program:
        return load_program(self.raw_dir)

    def sign_in(self, name: str, password: str, address: str, how: str) -> SignIn:
        """`how`: 页面 or 接口, as the log says it."""
        now = self.now()
        outcome = self.accounts.sign_in(name, password, now)
        if outcome.account is not None:
            log("登录成功", now, name, address, 方式=how)
        elif outcome.locked_until is not None:
            log("登录被拒（连续输错密码，已锁定）", now, name, address, 方式=how,
                锁定至=outcome.locked_until.isoformat(timespec="seconds"))
        else:
            log("登录失败（账号或密码不正确）", now, name, address, 方式=how)
        return outcome

    def refused(self, event: str, account: str | None, address: str, **details: object) -> None:
        log(event, self.now(), account, address, **details)

    def submit(self, account: Account, staged: Path, original_name: str, address: str) -> Outcome:
        """Check and maybe store one upload of a unit account; the receipt is recorded either way."""
        now = self.now()
        program = self.program()
        if member_of(program, account.name) != account.name:
            outcome = Outcome(account.name, True, sha256_of(staged), staged.stat().st_size, problems=[
                {"row": None, "reason": f"账号“{account.name}”不在方案的成员单位名单（program.yaml 的 units）中，不能报送"}])
        else:
            outcome = take_upload(self.raw_dir, program, account.name, staged, original_name, now)
        self.receipts.record(Receipt(
            now, account.name, account.name, address, original_name, outcome.sha256, outcome.size, not outcome.refused,
            outcome.year, outcome.week, outcome.file, outcome.rows_read, outcome.rows_counted, outcome.rows_rejected,
            outcome.problems, outcome.weeks))
        log("上传被拒" if outcome.refused else "上传已接收", now, account.name, address, 原文件名=original_name,
            文件=outcome.file, 周次=outcome.week, 替换=outcome.replaces, 计入=outcome.rows_counted,
            退回=outcome.rows_rejected, sha256=outcome.sha256)
        return outcome

    def submissions(self, account: Account) -> list[dict[str, Any]]:
        """The account's receipts (an office account: everyone's), latest first, each with its state."""
        receipts = self.receipts.of(None if account.office else account.name)
        folders = {(self.raw_dir / r.file).parent for r in receipts if r.file}
        files = [path for folder in folders if folder.is_dir() for path in folder.iterdir()]
        replaced = superseded(files)
        return [asdict(r) | {"received": r.received.isoformat(timespec="seconds"),
                             "state": _state(r, self.raw_dir, replaced)} for r in receipts]

    def week_status(self, week: Week) -> tuple[dict[str, Any], str | None]:
        return self.status.figures(self.program(), week)


def _state(receipt: Receipt, raw_dir: Path, replaced: dict[Path, Path]) -> str:
    if not receipt.stored:
        return "未接收"
    path = raw_dir / receipt.file
    if not path.is_file():
        return "文件已不在原始数据文件夹中"
    if path in replaced:
        return f"已被{replaced[path].name}替换，不计入"
    return "计入"


def staged_upload(folder: Path | None = None) -> Path:
    """A new empty file for a request's upload, outside the raw folder."""
    handle, name = tempfile.mkstemp(prefix="portal-upload-", dir=folder)
    os.close(handle)
    return Path(name)
