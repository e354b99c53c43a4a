"""Deleting and re-creating tests/data/quirks/: every family written, copied into `everything`, read back, described."""

from __future__ import annotations

import shutil

from tools.quirks.model import Fixture, OUT, ROOT, YEAR
from tools.quirks.everything import FAMILIES, family_everything
from tools.quirks.writers import write_fixture
from tools.quirks.readback import verify
from tools.quirks.expected import write_expected


def check_unique(built: dict[str, list[Fixture]]) -> None:
    """No row identity (dynamics title, media row, meeting name, task id, achievement name)
    appears twice across the families, so no fixture dedupes anything by accident."""
    seen: dict[tuple, str] = {}
    for name, fixtures in built.items():
        if name == "everything":
            continue
        for fixture in fixtures:
            for sheet in fixture.sheets:
                for r, line in enumerate(sheet.lines, start=1):
                    if not line.key:
                        continue
                    where = f"{name}/{fixture.path}#{sheet.name}:{r}"
                    assert line.key not in seen, f"{line.key} at {where} and {seen[line.key]}"
                    seen[line.key] = where


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    built: dict[str, list[Fixture]] = {}
    for name, (build, _) in FAMILIES.items():
        built[name] = build()
        year_dir = OUT / name / YEAR
        for fixture in built[name]:
            write_fixture(fixture, year_dir)
    built["everything"] = family_everything(built)
    check_unique(built)
    everything_dir = OUT / "everything" / YEAR
    copied = {id(f): name for name in FAMILIES for f in built[name]}
    for fixture in built["everything"]:
        if id(fixture) in copied:  # copy the family's file in, byte for byte
            target = everything_dir / fixture.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(OUT / copied[id(fixture)] / YEAR / fixture.rel, target)
        else:
            write_fixture(fixture, everything_dir)
    for name, fixtures in built.items():
        for fixture in fixtures:
            verify(fixture, OUT / name / YEAR)
    totals = write_expected(built)
    files = sum(1 for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {files} files under {OUT.relative_to(ROOT)}")
    for name, t in totals.items():
        counted = {k: v for k, v in t["counted"].items() if v}
        print(
            f"  {name:<11} counted {counted}, warnings {t['warnings']}, rejected {sum(t['rejected'].values())}, "
            f"layout {sum(t['layout'].values())}, articles {t['articles']}, files skipped {len(t['files_skipped'])}, "
            f"sheets skipped {len(t['sheets_skipped'])}, unreadable {len(t['files_unreadable'])}"
        )


if __name__ == "__main__":
    main()
