"""The developer tools regenerate what the repository holds, byte for byte."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURE_RAW, tree_digest

from pipeline.config import PROJECT_DIR
from tools.sample_data import generate


def test_sample_data_regenerates_raw_2022_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path)
    assert tree_digest(tmp_path) == tree_digest(PROJECT_DIR / "raw")


def test_quirk_fixtures_regenerate_tests_data_quirks_byte_for_byte(tmp_path: Path) -> None:
    """tools/quirk_fixtures.py (with tools/quirks/) writes tests/data/quirks; run on a copy of the repository's layout."""
    copy = tmp_path / "repo"
    (copy / "tools").mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "tools" / "__init__.py", copy / "tools" / "__init__.py")
    shutil.copy(PROJECT_DIR / "tools" / "quirk_fixtures.py", copy / "tools" / "quirk_fixtures.py")
    shutil.copytree(PROJECT_DIR / "tools" / "quirks", copy / "tools" / "quirks", ignore=shutil.ignore_patterns("__pycache__"))
    made = subprocess.run([sys.executable, "tools/quirk_fixtures.py"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    assert tree_digest(copy / "tests" / "data" / "quirks") == tree_digest(FIXTURE_RAW.parent / "quirks")


def test_reference_docx_regenerates_byte_for_byte() -> None:
    from tools.reference_docx import TARGET, build

    assert build() == TARGET.read_bytes()
