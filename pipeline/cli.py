"""`python -m pipeline build|check ...`: argument parsing, then Dagster or the intake; no business logic."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.config import DATA_DIR, PROJECT_DIR, REPORTS_DIR, default_warehouse
from pipeline.contract import Program, ProgramError, load_program, unnamed_warning
from pipeline.intake.districts import (
    district_folders,
    district_program,
    districts,
    is_rollup,
)
from pipeline.intake.inventory import near_year_folders, year_folders
from pipeline.portal.commands import accounts, add_portal_commands, serve


class UsageError(Exception):
    """A mistake in the command line or the raw folder that the user can fix."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="run the asset graph through Dagster and write the report bundle")
    _raw_and_year(build)
    build.add_argument("--output-dir", default="out", help="bundle goes to DIR/<year>/ (default: out)")
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

    publish = commands.add_parser("publish", help="copy the current bundle into a dated, numbered edition")
    _raw_and_year(publish)
    publish.add_argument("--output-dir", default="out", help="the build's output folder (default: out)")
    publish.add_argument("--accept-rejects", action="store_true", help="publish even though rows were rejected")

    explain = commands.add_parser("explain", help="the rows behind one figure of the built bundle, and their total")
    explain.add_argument("figure", help="a key of figures.json's sources, e.g. media_articles_total or media_by_level.中央")
    _raw_and_year(explain)
    explain.add_argument("--output-dir", default="out", help="the build's output folder (default: out)")

    notice = commands.add_parser("notice", help="the week's submission notice (报送情况通报); --remind sends reminders (催报)")
    _raw_and_year(notice)
    for flag, text in (("--week", "YYYY-Www (default: the week of the year's latest dynamics row)"),
                       ("--output-dir", "the notice goes to DIR/<year>/notices/<week>/ (default: out)")):
        notice.add_argument(flag, default="out" if flag == "--output-dir" else None, help=text)
    notice.add_argument("--remind", action="store_true", help="remind the units still missing on each configured channel")
    notice.add_argument("--dry-run", action="store_true", help="with --remind: print what would be sent, send nothing")

    diff = commands.add_parser("diff", help="changed figures and report paragraphs between two editions")
    diff.add_argument("edition_a", type=Path)
    diff.add_argument("edition_b", type=Path)
    _verbose(diff)

    add_portal_commands(commands)
    return parser


def _raw_and_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw-dir", default="raw", help="the raw folder (default: raw)")
    _verbose(parser)
    parser.add_argument("--year", type=int, default=None, help="report year (default: the latest year folder)")
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
    hint = "".join(f"；文件夹“{name}”的年份请用半角数字" for name in near_year_folders(raw_dir))
    if year is None:
        if not years:
            raise UsageError(f"原始数据文件夹 {raw_dir} 中没有年度文件夹（如 {raw_dir}/2022/）{hint}")
        return years[-1]
    if year not in years:
        found = "、".join(map(str, years)) or "无"
        raise UsageError(f"原始数据文件夹 {raw_dir} 中没有 {year} 年的文件夹（已有：{found}）{hint}")
    return year


def _check(args: argparse.Namespace) -> int:
    raw_dir = Path(args.raw_dir)
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    programs = _program_and_template(raw_dir)
    _warn_unnamed(raw_dir, district)
    from pipeline.ops.check import check_year

    folders = ({raw_dir: programs[None]} if None in programs else
               {raw_dir / name: program for name, program in programs.items()
                if (district is None or name == district) and (raw_dir / name / str(year)).is_dir()})
    failed = False
    for folder, program in folders.items():
        checked = check_year(folder, year, program)
        print("\n".join(checked.lines), end="\n" if checked.lines else "", flush=True)
        print(checked.summary, file=sys.stderr)
        failed = failed or checked.failed
    return 1 if failed else 0


def use_project_instance() -> None:
    """Point Dagster at the project's dagster.yaml unless the user chose another instance."""
    os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR))
    os.environ.setdefault("PIPELINE_DAGSTER_DIR", str(DATA_DIR / "dagster"))
    Path(os.environ["PIPELINE_DAGSTER_DIR"]).mkdir(parents=True, exist_ok=True)


def _build(args: argparse.Namespace) -> int:
    raw_dir = Path(args.raw_dir).resolve()
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    programs = _program_and_template(raw_dir)  # a broken program.yaml or template is reported before any row is read
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise UsageError(f"--as-of {args.as_of!r} is not a date in the form YYYY-MM-DD") from None
        if as_of.year != year:
            raise UsageError(f"--as-of {as_of} is outside the report year {year}")
    output_dir = _output_dir(Path(args.output_dir), raw_dir)
    _warn_unnamed(raw_dir, district)
    use_project_instance()
    from pipeline.ops.build import run_build, run_rollup_build

    settings = {"as_of": args.as_of, "renderer": args.renderer, "warehouse": default_warehouse(), "force": args.force,
                "log_level": "INFO" if args.verbose else "CRITICAL"}
    if None in programs or district is not None:
        outcome = run_build(raw_dir, output_dir, year, district=district, **settings)
    else:
        outcome = run_rollup_build(raw_dir, output_dir, year, **settings)
    print(outcome.summary, file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


def _program_and_template(raw_dir: Path) -> dict[str | None, Program]:
    """The programme (key None), or in a roll-up folder each district's, its report template
    checked: any broken is a ProgramError."""
    from pipeline.report.template import (
        BUILT_IN,
        TemplateError,
        check_template,
        report_template,
    )

    program = load_program(raw_dir)
    programs = ({name: district_program(raw_dir, name, program) for name in districts(raw_dir, program)}
                if is_rollup(raw_dir) else {None: program})
    for name, own in programs.items():
        try:
            template = report_template(raw_dir if name is None else raw_dir / name, REPORTS_DIR, own)
            if template != REPORTS_DIR / BUILT_IN:  # an office's own; the built-in one is checked as it renders
                check_template(template)
        except TemplateError as exc:
            raise ProgramError(str(exc)) from None
    return programs


def _warn_unnamed(raw_dir: Path, district: str | None) -> None:
    """Said before the work (a district of a roll-up is named by its folder)."""
    if district is None and (warning := unnamed_warning(raw_dir)):
        print(warning, file=sys.stderr, flush=True)


def _output_dir(folder: Path, raw_dir: Path) -> Path:
    """The output folder, refused before anything runs when a bundle could not be written there
    or when writing there could touch the raw files."""
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--output-dir {folder} is a file, not a folder")
    if folder == raw_dir or raw_dir in folder.parents or folder in raw_dir.parents:
        raise UsageError(f"--output-dir {folder} and the raw folder {raw_dir} must not contain each other")
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--output-dir {folder}: cannot write in {existing} (permission denied)")
    return folder


def _publish(args: argparse.Namespace) -> int:
    raw_dir = Path(args.raw_dir).resolve()
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    use_project_instance()
    from pipeline.defs.assets import ASSETS, DISTRICT_ASSETS
    from pipeline.defs.checks import blocking_checks
    from pipeline.ops.editions import PublishRefused, failed_blocking_checks, publish
    from pipeline.ops.instance import project_instance

    output_dir = Path(args.output_dir).resolve()
    with project_instance() as instance:
        if not is_rollup(raw_dir):
            failed = failed_blocking_checks(instance, blocking_checks(ASSETS), year)
        else:
            from pipeline.defs.rollup import year_districts
            from pipeline.defs.scope import partition_key

            # the roll-up is published on the strength of every district's checks
            names = [district] if district else year_districts(raw_dir, year)
            failed = [f"{name}: {text}" for name in names
                      for text in failed_blocking_checks(instance, blocking_checks(DISTRICT_ASSETS), partition_key(year, name))]
            if district:
                raw_dir, output_dir = raw_dir / district, output_dir / district
    try:
        published = publish(output_dir / str(year), raw_dir, year, failed, args.accept_rejects)
    except PublishRefused as exc:
        print(f"publish refused: {exc}", file=sys.stderr)
        return 1
    print(f"published {published.edition}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from pipeline.ops.explain import UnknownFigure, explain

    raw_dir = Path(args.raw_dir)
    district = _resolve_district(raw_dir, args.district)
    year = _resolve_year(raw_dir, args.year, district)
    output_dir = Path(args.output_dir)
    if district is not None:
        program = district_program(raw_dir, district)
        raw_dir, output_dir = raw_dir / district, output_dir / district
    elif is_rollup(raw_dir):
        raise UsageError("explain works on one district's bundle: name it with --district")
    else:
        program = load_program(raw_dir)
    bundle = output_dir / str(year)
    if not (bundle / "figures.json").is_file():
        raise UsageError(f"no built bundle at {bundle} (run build first)")
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
    from pipeline.report.compare import diff_editions

    for edition in (args.edition_a, args.edition_b):
        if not (edition / "figures.json").is_file():
            raise UsageError(f"{edition} is not an edition (no figures.json)")
    lines = diff_editions(args.edition_a, args.edition_b)
    print("\n".join(lines) if lines else "no differences in figures or report paragraphs")
    return 0


def _notice(args: argparse.Namespace) -> int:
    raw_dir = Path(args.raw_dir).resolve()
    year, _ = _resolve_year(raw_dir, args.year), _program_and_template(raw_dir)
    output_dir = _output_dir(Path(args.output_dir), raw_dir)
    use_project_instance()
    from pipeline.ops.notice import run_notice

    outcome = run_notice(raw_dir, output_dir, year, args.week, args.remind, args.dry_run, default_warehouse(),
                         log_level="INFO" if args.verbose else "CRITICAL")
    print("\n".join(outcome.lines), file=sys.stdout if outcome.code == 0 else sys.stderr)
    return outcome.code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = {"build": _build, "check": _check, "publish": _publish, "explain": _explain, "diff": _diff,
               "notice": _notice, "accounts": accounts, "serve": serve}[args.command]
    try:
        return command(args)
    except (UsageError, ProgramError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except OSError as exc:
        # a full disk, a read-only folder, a file that vanished: said in one line
        if args.verbose:
            raise
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where} (--verbose shows the details)", file=sys.stderr)
        return 1
