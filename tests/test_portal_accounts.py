"""`python -m pipeline accounts add|reset`: unit accounts only for roster units, passwords only
as salted scrypt hashes, a new random password alone on the last line, Chinese one-line errors."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.portal.accounts import Accounts
from pipeline.contract import SHANGHAI

NOW = dt.datetime(2022, 5, 20, 10, tzinfo=SHANGHAI)


@pytest.fixture
def accounts_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "accounts.db"
    monkeypatch.setenv("PIPELINE_ACCOUNTS", str(path))
    return path


@pytest.fixture
def roster_dir(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "2022").mkdir(parents=True)
    (raw / "program.yaml").write_text("units: [区民政局, 西溪街道]\n", encoding="utf-8")
    return raw


def test_add_prints_a_new_random_password_alone_on_its_last_line(accounts_file: Path, roster_dir: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    assert main(["accounts", "add", "区民政局", "--raw-dir", str(roster_dir)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert main(["accounts", "add", "办公室", "--office", "--raw-dir", str(roster_dir)]) == 0
    second = capsys.readouterr().out.splitlines()
    assert first[0] == f"已创建成员单位账号：区民政局（账号文件 {accounts_file}）"
    assert len(first[-1]) >= 16 and first[-1] != second[-1]
    store = Accounts(accounts_file)
    assert store.sign_in("区民政局", first[-1], NOW).account.office is False
    assert store.sign_in("办公室", second[-1], NOW).account.office is True


def test_passwords_are_stored_only_as_salted_slow_hashes(accounts_file: Path, roster_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("区民政局", "西溪街道"):
        monkeypatch.setattr("sys.stdin", io.StringIO("the-same-password\n"))
        assert main(["accounts", "add", name, "--password-stdin", "--raw-dir", str(roster_dir)]) == 0
    content = accounts_file.read_bytes() + b"".join(p.read_bytes() for p in accounts_file.parent.glob("accounts.db-*"))
    assert b"the-same-password" not in content
    with sqlite3.connect(accounts_file) as conn:
        (salt1, hash1), (salt2, hash2) = conn.execute("select salt, hash from accounts order by name").fetchall()
    assert salt1 != salt2 and hash1 != hash2 and len(hash1) == 32


def test_unit_accounts_only_for_roster_units(accounts_file: Path, roster_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture) -> None:
    assert main(["accounts", "add", "某某公司", "--raw-dir", str(roster_dir)]) == 1
    assert capsys.readouterr().err == "错误：“某某公司”不在方案的成员单位名单中（区民政局、西溪街道）\n"
    no_roster = tmp_path / "no-roster"
    no_roster.mkdir()
    assert main(["accounts", "add", "区民政局", "--raw-dir", str(no_roster)]) == 1
    assert "没有成员单位名单（units），无法创建成员单位账号；办公室账号请加 --office" in capsys.readouterr().err
    assert main(["accounts", "add", "办公室", "--office", "--raw-dir", str(no_roster)]) == 0


def test_reset_gives_a_new_password_and_ends_the_accounts_sessions(accounts_file: Path, roster_dir: Path,
                                                                   capsys: pytest.CaptureFixture,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["accounts", "add", "区民政局", "--raw-dir", str(roster_dir)]) == 0
    old = capsys.readouterr().out.splitlines()[-1]
    store = Accounts(accounts_file)
    token = store.open_session(store.account("区民政局"), NOW)
    monkeypatch.setattr("sys.stdin", io.StringIO("a-new-password\n"))
    assert main(["accounts", "reset", "区民政局", "--password-stdin", "--raw-dir", str(roster_dir)]) == 0
    assert capsys.readouterr().out == ""  # the password came from stdin: nothing printed on stdout
    assert store.sign_in("区民政局", old, NOW).account is None
    assert store.sign_in("区民政局", "a-new-password", NOW).account is not None
    assert store.session(token, NOW) is None
    assert main(["accounts", "reset", "没有的账号", "--raw-dir", str(roster_dir)]) == 1
    assert capsys.readouterr().err == "错误：没有账号“没有的账号”\n"


def test_a_second_add_and_a_short_password_are_one_line_errors(accounts_file: Path, roster_dir: Path,
                                                               capsys: pytest.CaptureFixture,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["accounts", "add", "区民政局", "--raw-dir", str(roster_dir)]) == 0
    assert main(["accounts", "add", "区民政局", "--raw-dir", str(roster_dir)]) == 1
    assert capsys.readouterr().err == "错误：账号“区民政局”已存在（改密码请用 accounts reset）\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["accounts", "add", "西溪街道", "--password-stdin", "--raw-dir", str(roster_dir)]) == 1
    assert capsys.readouterr().err == "错误：密码应为8至256个字符\n"
