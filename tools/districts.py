"""Roll-up raw folders made from the sample year (raw/2022): the three-district fixture the tests
use, and a synthetic province of N sample-size districts for `bench --districts N`.

    python -m tools.districts fixture DIR     # 西湖区, 拱墅区, 余杭区 (README: Many districts)
    python -m tools.districts province DIR N  # N copies of the sample, 区001 ... 区N
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from pipeline.config import PROJECT_DIR

SAMPLE = PROJECT_DIR / "raw"
ROLLUP_NAME = "杭州市高质量发展建设共同富裕示范区"
FIXTURE_ORDER = ("西湖区", "拱墅区", "余杭区")  # not their sorted order (余 < 拱 < 西)
BAD_ROW = "2022-13-45,仓前街道,经济高质量发展,仓前街道报送的日期有误,动态,月份写成了13。\n"


def _program(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.yaml").write_text(text, encoding="utf-8")


def _copy(sample_year: Path, target_year: Path, names: list[str]) -> None:
    for name in names:
        (target_year / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_year / name, target_year / name)


def write_fixture(target: Path, sample: Path = SAMPLE) -> Path:
    """Three districts of 2022 from the sample: 西湖区 is the sample itself; 拱墅区 has its own
    outlet level 区县级 (program.yaml) and January-February only; 余杭区 has no program.yaml, a
    resubmitted file (its rows count once) and a row with an impossible date (rejected)."""
    year = sample / "2022"
    _program(target, f"name: {ROLLUP_NAME}\ndistricts: [{', '.join(FIXTURE_ORDER)}]\n")

    xihu = target / "西湖区"
    shutil.copytree(year, xihu / "2022")
    _program(xihu, "name: 西湖区高质量发展建设共同富裕示范区\n")

    gongshu = target / "拱墅区"
    _program(gongshu, "name: 拱墅区高质量发展建设共同富裕示范区\nmedia_levels: [中央, 省级, 市级, 区县级]\n")
    early = sorted(p.name for p in (year / "dynamics").glob("2022-0[12]-*.csv"))
    _copy(year, gongshu / "2022", [f"dynamics/{n}" for n in early] + ["meetings.csv", "tasks.xlsx", "achievements.csv"])
    for month in ("2022-01.csv", "2022-02.csv"):
        text = (year / "media" / month).read_text(encoding="utf-8")
        (gongshu / "2022" / "media").mkdir(parents=True, exist_ok=True)
        (gongshu / "2022" / "media" / month).write_text(text.replace(",区级,", ",区县级,"), encoding="utf-8")

    yuhang = target / "余杭区" / "2022"
    _copy(year, yuhang, ["dynamics/2022-01-07.csv", "dynamics/2022-01-21.csv", "media/2022-01.csv", "meetings.csv",
                         "tasks.xlsx"])
    shutil.copyfile(yuhang / "dynamics" / "2022-01-21.csv", yuhang / "dynamics" / "2022-01-21-重报.csv")
    with (yuhang / "dynamics" / "2022-01-07.csv").open("a", encoding="utf-8") as handle:
        handle.write(BAD_ROW)
    return target


def province_districts(n: int) -> list[str]:
    return [f"区{i:03d}" for i in range(1, n + 1)]


def write_province(target: Path, n: int, sample: Path = SAMPLE) -> list[str]:
    """N districts, each the sample year under its own name (files hard-linked where the file
    system allows: a province of sample-size districts costs little disk)."""
    _program(target, f"name: {ROLLUP_NAME}\n")
    names = province_districts(n)
    for name in names:
        _program(target / name, f"name: {name}高质量发展建设共同富裕示范区\n")
        shutil.copytree(sample / "2022", target / name / "2022", copy_function=_link_or_copy)
    return names


def _link_or_copy(source: str, destination: str) -> None:
    try:
        Path(destination).hardlink_to(source)
    except OSError:
        shutil.copy2(source, destination)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.districts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    fixture = commands.add_parser("fixture", help="the three-district roll-up the tests use")
    fixture.add_argument("target", type=Path)
    province = commands.add_parser("province", help="N copies of the sample year as districts")
    province.add_argument("target", type=Path)
    province.add_argument("n", type=int)
    args = parser.parse_args()
    if args.command == "fixture":
        print(write_fixture(args.target))
    else:
        print(f"{len(write_province(args.target, args.n))} districts in {args.target}")


if __name__ == "__main__":
    main()
