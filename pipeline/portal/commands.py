"""`python -m pipeline accounts add|reset NAME` and `python -m pipeline serve`: the portal's
commands, their arguments and their Chinese one-line errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.config import SettingError, Settings, accounts_file, max_upload_bytes
from pipeline.contract import Program, ProgramError, load_program
from pipeline.intake.districts import is_rollup
from pipeline.intake.submissions import unit_folder
from pipeline.portal.clock import shanghai_now
from pipeline.reporting.duty import member_of, members
from pipeline.portal.accounts import AccountError, Accounts, check_password, new_password


def add_portal_commands(commands: argparse._SubParsersAction) -> None:
    accounts = commands.add_parser("accounts", help="the intake portal's accounts (PIPELINE_ACCOUNTS)")
    actions = accounts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create a unit account (NAME a roster unit) or, with --office, an office account")
    add.add_argument("--office", action="store_true", help="an office account: sees every unit's status and submissions")
    reset = actions.add_parser("reset", help="give an account a new password (its sessions end)")
    reset.set_defaults(office=False)
    for action in (add, reset):
        action.add_argument("name", metavar="NAME")
        action.add_argument("--password-stdin", action="store_true",
                            help="read the password from standard input instead of printing a new random one")
        action.add_argument("--raw-dir", default=None,
                            help="the raw folder whose program.yaml lists the units (default: PIPELINE_RAW_DIR, else raw/)")
        action.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)

    serve = commands.add_parser("serve", help="run the intake portal (报送平台) for the office's own network")
    serve.add_argument("--raw-dir", default=None,
                       help="the raw folder uploads are stored in (default: PIPELINE_RAW_DIR, else raw/)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    serve.add_argument("--verbose", action="store_true", help="log every request")


def accounts(args: argparse.Namespace) -> int:
    try:
        name, raw_dir = args.name.strip(), Settings.of(args.raw_dir).raw_dir
        program = load_program(raw_dir)
        if args.action == "add" and not args.office:
            _check_unit(name, program, raw_dir)
        password = _password(args.password_stdin)
        store, now = Accounts(accounts_file(raw_dir)), shanghai_now()
        if args.action == "add":
            store.add(name, args.office, password, now)
        else:
            store.reset(name, password, now)
    except (AccountError, ProgramError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    done = {"add": "已创建办公室账号" if args.office else "已创建成员单位账号", "reset": "已重置密码"}[args.action]
    print(f"{done}：{name}（账号文件 {accounts_file(Settings.of(args.raw_dir).raw_dir)}）", file=sys.stderr if args.password_stdin else sys.stdout)
    if not args.password_stdin:
        print(password)
    return 0


def _check_unit(name: str, program: Program, raw_dir: Path) -> None:
    units = members(program)
    if units is None:
        raise AccountError(f"{raw_dir}/program.yaml 没有成员单位名单（units），无法创建成员单位账号；办公室账号请加 --office")
    if member_of(program, name) != name:
        raise AccountError(f"“{name}”不在方案的成员单位名单中（{'、'.join(units)}）")
    try:
        unit_folder(name)
    except ValueError as exc:
        raise AccountError(str(exc)) from None


def _password(from_stdin: bool) -> str:
    if not from_stdin:
        return new_password()
    line = sys.stdin.readline()
    return check_password(line.rstrip("\r\n"))


def serve(args: argparse.Namespace) -> int:
    # the server, Starlette and the intake are loaded by this command only, not by every command's start
    import uvicorn

    from pipeline.portal.app import create_app
    from pipeline.portal.service import PortalSettings

    raw_dir = Settings.of(args.raw_dir).raw_dir.resolve()
    try:
        if not raw_dir.is_dir():
            raise AccountError(f"原始数据文件夹 {raw_dir} 不存在")
        if is_rollup(raw_dir):
            raise AccountError(f"{raw_dir} 是汇总文件夹：报送平台为一个区县服务，请用 --raw-dir 指定区县文件夹（如 {raw_dir}/西湖区）")
        load_program(raw_dir)
        settings = PortalSettings(raw_dir, accounts_file(raw_dir), max_upload_bytes())
        app = create_app(settings)
    except (AccountError, ProgramError, SettingError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    log = app.state.portal.log_file
    print(f"报送平台：http://{args.host}:{args.port}/ （原始数据文件夹 {raw_dir}；日志 {log}）", file=sys.stderr)
    if not app.state.portal.accounts.has_office():
        print("尚无办公室账号：请先运行 python -m pipeline accounts add 办公室 --office", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning",
                access_log=args.verbose, server_header=False)
    return 0
