"""The build stamp that lets an unchanged `build` answer without starting Dagster."""

from pathlib import Path

import pytest
from conftest import write_csv

from pipeline.ops.stamps import build_key, is_current, record
from pipeline.report.bundle import BUNDLE_FILES


@pytest.fixture
def key_of(raw_dir: Path, tmp_path: Path):
    def _key(as_of: str = "", renderer: str = "embedded", warehouse: str = "w.duckdb") -> str:
        return build_key(raw_dir, 2022, as_of, renderer, str(tmp_path / warehouse))
    return _key


def test_key_is_stable_for_the_same_inputs_and_settings(key_of) -> None:
    assert key_of() == key_of()


@pytest.mark.parametrize(
    "change",
    ["as_of", "renderer", "warehouse", "file bytes", "new file", "program.yaml"],
)
def test_key_changes_with_any_input_or_setting(key_of, raw_dir: Path, change: str) -> None:
    before = key_of()
    if change == "as_of":
        assert key_of(as_of="2022-01-31") != before
    elif change == "renderer":
        assert key_of(renderer="quarto") != before
    elif change == "warehouse":
        assert key_of(warehouse="other.duckdb") != before
    else:
        if change == "file bytes":
            media = raw_dir / "2022" / "media" / "2022-01.csv"
            media.write_bytes(media.read_bytes().replace(b",8,", b",9,"))
        elif change == "new file":
            write_csv(raw_dir / "2022" / "meetings.xlsx", "not read: meetings.csv comes first")
        else:
            (raw_dir / "program.yaml").write_text("units: [区民政局]\n", encoding="utf-8")
        assert key_of() != before


def test_a_touched_file_keeps_the_key(key_of, raw_dir: Path) -> None:
    before = key_of()
    (raw_dir / "2022" / "tasks.csv").touch()
    assert key_of() == before


def test_stamp_counts_only_for_a_complete_bundle_built_from_that_key(tmp_path: Path) -> None:
    bundle, warehouse = tmp_path / "out" / "2022", str(tmp_path / "w.duckdb")
    bundle.mkdir(parents=True)
    for name in BUNDLE_FILES:
        (bundle / name).write_text("x")
    assert not is_current(bundle, "k1", warehouse)
    record(bundle, "k1", warehouse)
    assert is_current(bundle, "k1", warehouse)
    assert not is_current(bundle, "k2", warehouse)
    (bundle / "progress-report.pdf").unlink()
    assert not is_current(bundle, "k1", warehouse)
