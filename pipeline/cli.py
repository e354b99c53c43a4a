"""`python -m pipeline build|check ...`: argument parsing, then Dagster or the intake; no business logic."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from pipeline import arguments
from pipeline.arguments import UsageError, output_folder
from pipeline.config import SettingError, Settings
from pipeline.contract import ProgramError, load_program, unnamed_warning
from pipeline.failures import failure_line, storage_noise_hidden
from pipeline.intake.districts import (
    district_folders,
    district_program,
    districts,
    is_rollup,
)
from pipeline.intake.inventory import year_folder_hints, year_folders
from pipeline.portal.commands import accounts, add_portal_commands, serve
from pipeline.terminal import escaped


_OUTPUT_HELP = "(default: PIPELINE_OUTPUT_DIR, else out/ in the project folder)"


def _parser() -> argparse.ArgumentParser:
    parser = arguments.Parser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="run the asset graph through Dagster and write the report bundle")
    _raw_and_year(build)
    build.add_argument("--output-dir", default=None, help=f"bundle goes to DIR/<year>/ {_OUTPUT_HELP}")
    build.add_argument("--as-of", default="", help="YYYY-MM-DD (default: the latest date in the year's inputs)")
    build.add_argument(
        "--renderer",
        choices=("auto", "quarto", "embedded"),
        default=os.getenv("PIPELINE_RENDERER", "auto"),
        help="auto: Quarto when found, else embedded pandoc + Typst (default: auto)",
    )
    build.add_argument("--force", action="store_true", help="re-run every asset even if nothing changed")

    check = commands.add_parser("check", help="validate the raw folder without building; exit 1 on any reject")
    _raw_and_year(check)

    publish = commands.add_parser(
        "publish", help="copy the current bundle into a dated, numbered edition (refused when it is not current)")
    _raw_and_year(publish)
    publish.add_argument("--output-dir", default=None, help=f"the build's output folder {_OUTPUT_HELP}")
    publish.add_argument("--accept-rejects", action="store_true", help="publish even though rows were rejected")

    explain = commands.add_parser("explain", help="the rows behind one figure of the built bundle, and their total")
    explain.add_argument("figure", help="a key of figures.json's sources, e.g. media_articles_total or media_by_level.中央")
    _raw_and_year(explain)
    explain.add_argument("--output-dir", default=None, help=f"the build's output folder {_OUTPUT_HELP}")

    notice = commands.add_parser("notice", help="the week's submission notice (报送情况通报); --remind sends reminders (催报)")
    _raw_and_year(notice)
    notice.add_argument("--week", default=None, help="YYYY-Www (default: the week of the year's latest dynamics row)")
    notice.add_argument("--output-dir", default=None, help=f"the notice goes to DIR/<year>/notices/<week>/ {_OUTPUT_HELP}")
    notice.add_argument("--remind", action="store_true", help="remind the units still missing on each configured channel")
    notice.add_argument("--dry-run", action="store_true", help="with --remind: print what would be sent, send nothing")

    diff = commands.add_parser("diff", help="changed figures, table rows and cells, and paragraphs between two editions")
    diff.add_argument("edition_a", type=Path)
    diff.add_argument("edition_b", type=Path)
    _verbose(diff)

    add_portal_commands(commands)
    return parser


def _raw_and_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw-dir", default=None,
                        help="the raw folder (default: PIPELINE_RAW_DIR, else raw/ in the project folder)")
    _verbose(parser)
    parser.add_argument("--year", type=arguments.year, default=None, help="report year (default: the latest year folder)")
    parser.add_argument("--district", default=None,
                        help="in a roll-up folder (districts as sub-folders): work on this district only")


def _verbose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--verbose", action="store_true", help="show Dagster's log and full error details")


def _resolve_district(raw_dir: Path, district: str | None) -> str | None:
    """The district asked for, checked against the roll-up folder's districts."""
    if district is None:
        return None
    if not is_rollup(raw_dir):
        raise UsageError(f"--district {district}: 原始数据文件夹 {raw_dir} 不是汇总文件夹（其下没有区县文件夹）")
    found = districts(raw_dir, load_program(raw_dir))
    if district not in found:
        raise UsageError(f"原始数据文件夹 {raw_dir} 中没有区县“{district}”（已有：{'、'.join(found)}）")
    return district


def _years(raw_dir: Path) -> list[int]:
    """Year folders of a programme, or of any district of a roll-up folder."""
    if is_rollup(raw_dir):
        return sorted({y for d in district_folders(raw_dir) for y in year_folders(raw_dir / d)})
    return year_folders(raw_dir)


def _resolve_year(raw_dir: Path, year: int | None, district: str | None = None) -> int:
    """The year to work on; a missing folder is said in Chinese, the office's own words."""
    if not raw_dir.is_dir():
        raise UsageError(f"原始数据文件夹 {raw_dir} 不存在")
    if district is not None:
        raw_dir = raw_dir / district
    years = _years(raw_dir)
    hint = "".join(f"；{why}" for why in year_folder_hints(raw_dir))
    if year is None:
        if not years:
            raise UsageError(f"原始数据文件夹 {raw_dir} 中没有年度文件夹（如 {raw_dir}/2022/）{hint}")
        return years[-1]
    if year not in years:
        found = "、".join(map(str, years)) or "无"
        raise UsageError(f"原始数据文件夹 {raw_dir} 中没有 {year} 年的文件夹（已有：{found}）{hint}")
    return year


def _raw_dir(args: argparse.Namespace) -> Path:
    """The raw folder as the user wrote it (file names are shown from it), else the setting's."""
    return Path(args.raw_dir) if args.raw_dir else Settings.of().raw_dir


def _check(args: argparse.Namespace) -> int:
    raw_dir = _raw_dir(args)
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    from pipeline.ops.check import check_year, rollup_lines
    from pipeline.ops.programmes import programmes

    programs, broken = programmes(raw_dir, Settings.of(raw_dir).reports_dir, district)
    _warn_unnamed(raw_dir, district)

    folders = ({raw_dir: programs[None]} if None in programs else
               {raw_dir / name: program for name, program in programs.items() if (raw_dir / name / str(year)).is_dir()})
    lines, failed = rollup_lines(raw_dir, broken) if district is None and None not in programs else ([], False)
    print("\n".join(lines), end="\n" if lines else "", flush=True)
    for folder, program in folders.items():
        checked = check_year(folder, year, program)
        print("\n".join(checked.lines), end="\n" if checked.lines else "", flush=True)
        print(checked.summary, file=sys.stderr)
        failed = failed or checked.failed
    return 1 if failed else 0


def _build(args: argparse.Namespace) -> int:
    settings = Settings.of(args.raw_dir, args.output_dir)
    raw_dir = settings.raw_dir.resolve()
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    from pipeline.ops.programmes import programmes

    # a broken program.yaml or template is reported before any row is read (a district's: in its own build)
    programs, _ = programmes(raw_dir, settings.reports_dir, district)
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"--as-of “{args.as_of}”不是 YYYY-MM-DD 格式的日期") from None
        if as_of.year != year:
            raise UsageError(f"--as-of {as_of} 不在报告年度 {year} 年内")
    output_dir = output_folder(settings.output_dir, raw_dir)
    _warn_unnamed(raw_dir, district)
    from pipeline.ops.build import run_build, run_rollup_build
    from pipeline.ops.instance import instance_of

    options = {"as_of": args.as_of, "renderer": args.renderer, "warehouse": str(settings.warehouse), "force": args.force,
               "log_level": "INFO" if args.verbose else "CRITICAL"}
    with instance_of(settings) as instance, (nullcontext() if args.verbose else storage_noise_hidden()):
        if None in programs or district is not None:
            outcome = run_build(raw_dir, output_dir, year, district=district, instance=instance, **options)
        else:
            outcome = run_rollup_build(raw_dir, output_dir, year, instance=instance, **options)
    print(outcome.summary, file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


def _warn_unnamed(raw_dir: Path, district: str | None) -> None:
    """Said before the work (a district of a roll-up is named by its folder)."""
    if district is None and (warning := unnamed_warning(raw_dir)):
        print(warning, file=sys.stderr, flush=True)


def _publish(args: argparse.Namespace) -> int:
    settings = Settings.of(args.raw_dir, args.output_dir)
    raw_dir = settings.raw_dir.resolve()
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    from pipeline.ops.editions import PublishRefused, publish
    from pipeline.ops.instance import instance_of

    with instance_of(settings) as instance:
        try:
            published = publish(instance, raw_dir, settings.output_dir.resolve(), year, str(settings.warehouse), district,
                                args.accept_rejects)
        except PublishRefused as exc:
            print(f"拒绝发布：{escaped(str(exc))}", file=sys.stderr)
            return 1
    for note in published.notes:
        print(escaped(note), file=sys.stderr)
    print(f"已发布 {escaped(str(published.edition))}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from pipeline.ops.explain import UnknownFigure, explain

    raw_dir = _raw_dir(args)
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    output_dir = Path(args.output_dir) if args.output_dir else Settings.of(raw_dir).output_dir
    if district is not None:
        program = district_program(raw_dir, district)
        raw_dir, output_dir = raw_dir / district, output_dir / district
    elif is_rollup(raw_dir):
        raise UsageError(f"{raw_dir} 是汇总文件夹：explain 说明一个区县的报告中的数字，请用 --district 指明区县")
    else:
        program = load_program(raw_dir)
    bundle = output_dir / str(year)
    if not (bundle / "figures.json").is_file():
        raise UsageError(f"{bundle} 中没有已生成的报告（请先运行 build）")
    try:
        explained = explain(args.figure, bundle, raw_dir, year, program)
    except UnknownFigure as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(explained.lines))
    if not explained.agrees:
        print(f"注意：合计{explained.total}与报告中的数字{explained.stated}不一致（原始数据在生成报告后有改动，请重新生成）",
              file=sys.stderr)
        return 1
    return 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.report.bundle import BUNDLE_FILES
    from pipeline.report.compare import diff_editions
    from pipeline.report.integrity import DamagedBundle

    for edition in (args.edition_a, args.edition_b):
        if not edition.is_dir() or not any(os.path.lexists(edition / name) for name in BUNDLE_FILES):
            raise UsageError(f"{escaped(str(edition))} 不是已发布的报告版本（其中没有 manifest.json、figures.json 等报告文件）")
    try:
        lines = diff_editions(args.edition_a, args.edition_b)
    except DamagedBundle as exc:
        print(f"错误：无法比较，版本已损坏：{escaped(str(exc))}", file=sys.stderr)
        return 1
    if lines:  # the same figures, tables and text: nothing printed
        print("\n".join(map(escaped, lines)))
    return 0


def _notice(args: argparse.Namespace) -> int:
    settings = Settings.of(args.raw_dir, args.output_dir)
    raw_dir = settings.raw_dir.resolve()
    year = _resolve_year(raw_dir, args.year)
    from pipeline.ops.programmes import programmes

    if broken := programmes(raw_dir, settings.reports_dir)[1]:  # the notice reads every district's programme
        raise ProgramError("；".join(broken.values()))
    output_dir = output_folder(settings.output_dir, raw_dir)
    from pipeline.ops.instance import instance_of
    from pipeline.ops.notice import run_notice

    with instance_of(settings) as instance, (nullcontext() if args.verbose else storage_noise_hidden()):
        outcome = run_notice(raw_dir, output_dir, year, args.week, args.remind, args.dry_run, str(settings.warehouse),
                             os.environ.get("PIPELINE_RENDERER") or "auto", instance,
                             log_level="INFO" if args.verbose else "CRITICAL")
    print("\n".join(outcome.lines), file=sys.stdout if outcome.code == 0 else sys.stderr)
    return outcome.code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0), or a usage error arguments.Parser has said (2)
        return exc.code if isinstance(exc.code, int) else 2
    command = {"build": _build, "check": _check, "publish": _publish, "explain": _explain, "diff": _diff,
               "notice": _notice, "accounts": accounts, "serve": serve}[args.command]
    try:
        return command(args)
    except (UsageError, SettingError, ProgramError) as exc:
        print(f"错误：{escaped(str(exc))}", file=sys.stderr)
        return 1 if isinstance(exc, ProgramError) else 2
    except Exception as exc:
        # a full disk, a read-only folder, a file that vanished, Dagster's storage that cannot be written
        line = failure_line(exc, Settings.of(getattr(args, "raw_dir", None)).dagster_dir)
        if line is None or args.verbose:
            raise
        print(f"错误：{line}（--verbose 显示详情）", file=sys.stderr)
        return 1
