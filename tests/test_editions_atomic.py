"""An edition is written whole or not at all, from one whole bundle: publish racing the bundle
swap many times, a publish killed with SIGKILL during its copy, and diff of damaged editions
(truncated, empty, not an object, binary): one line naming the file, never a traceback."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Built
from services import build_environment

from pipeline.cli import main
from pipeline.config import PROJECT_DIR
from pipeline.ops.editions import STAGING_PREFIX, copy_into_edition
from pipeline.report.bundle import BUNDLE_FILES
from pipeline.report.integrity import verify, write_manifest

ROUNDS = 150

# Rebuilds, as fast as they come: each swaps in a bundle whose every file says its round.
SWAPPER = """
import json, sys
from pathlib import Path
from pipeline.report.bundle import staged_year_folder
from pipeline.report.integrity import write_manifest
out, first, last = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
for round_ in range(first, last + 1):
    with staged_year_folder(out, 2022) as folder:
        (folder / "progress-report.html").write_text(f"<p>第{round_}轮</p>" * 2000, encoding="utf-8")
        (folder / "progress-report.pdf").write_bytes(f"%PDF {round_}".encode() * 20000)
        (folder / "progress-report.docx").write_bytes(f"PK {round_}".encode() * 20000)
        (folder / "figures.json").write_text(json.dumps({"as_of": "2022-12-23", "round": round_}), encoding="utf-8")
        write_manifest(folder, {"round": round_})
"""


def _rounds_of(edition: Path) -> set[str]:
    """The round each file of an edition was written in: one round in a whole edition."""
    figures = json.loads((edition / "figures.json").read_text(encoding="utf-8"))
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    return {str(figures["round"]), str(manifest["round"]),
            *re.findall(r"第(\d+)轮", (edition / "progress-report.html").read_text(encoding="utf-8")),
            *re.findall(r"%PDF (\d+)", (edition / "progress-report.pdf").read_text(encoding="utf-8")),
            *re.findall(r"PK (\d+)", (edition / "progress-report.docx").read_text(encoding="utf-8"))}


def _swapper(out: Path, first: int, last: int) -> list[str]:
    return [sys.executable, "-c", SWAPPER, str(out), str(first), str(last)]


def test_publish_racing_rebuilds_copies_one_whole_bundle_every_time(tmp_path: Path) -> None:
    out, raw = tmp_path / "out", tmp_path / "raw"
    raw.mkdir()
    subprocess.run(_swapper(out, 0, 0), cwd=PROJECT_DIR, check=True)  # a bundle to publish from the start
    swapper = subprocess.Popen(_swapper(out, 1, ROUNDS), cwd=PROJECT_DIR)
    editions = []
    while swapper.poll() is None:
        editions.append(copy_into_edition(out, 2022, raw).edition)
    assert swapper.returncode == 0
    rounds = [_rounds_of(edition) for edition in editions]
    assert [r for r in rounds if len(r) != 1] == []
    assert len(set.union(*rounds)) > 10  # publish really ran between many swaps
    for edition in editions:
        verify(edition)
    assert sorted(p.name for p in out.iterdir()) == [".2022.lock", "2022"]


def _published_name(stdout: str) -> str:
    return stdout.strip().rsplit("/", 1)[-1]


@pytest.mark.timeout(300)
def test_a_publish_killed_during_its_copy_leaves_no_edition_and_the_next_publish_cleans_up(
    built: Built, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A bundle with a large PDF (the stand-in quarto makes it so), so the copy takes long enough
    to be caught: the test polls the editions folder and kills publish once its staging folder
    appears."""
    monkeypatch.setenv("STANDIN_PDF_BYTES", str(96 * 2**20))
    (built.out / "2022" / "manifest.json").unlink()  # the report is re-rendered, with the large PDF
    assert built.build().success
    editions = built.out / "2022" / "editions"
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(built.warehouse))
    command = ["publish", "--raw-dir", str(built.raw), "--output-dir", str(built.out), "--accept-rejects"]
    assert main(command) == 0
    first = editions / _published_name(capsys.readouterr().out)

    env = os.environ | build_environment(Path(os.environ["DAGSTER_HOME"]), built.warehouse)
    killed = subprocess.Popen([sys.executable, "-m", "pipeline", *command], cwd=PROJECT_DIR, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(STAGING_PREFIX) for p in editions.iterdir()):
        assert killed.poll() is None and time.monotonic() < deadline, "publish ended before it was caught copying"
        time.sleep(0.001)
    os.kill(killed.pid, signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    [staging] = [p for p in editions.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert sorted(p.name for p in editions.iterdir()) == sorted([first.name, staging.name])  # no half edition

    assert main(command) == 0
    out, err = capsys.readouterr()
    second = editions / _published_name(out)
    assert err == f"已清理一次中断的发布留下的未完成副本：{staging}\n"
    assert sorted(p.name for p in editions.iterdir()) == sorted([first.name, second.name])
    verify(second)
    assert main(["diff", str(first), str(second)]) == 0
    assert capsys.readouterr() == ("", "")


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "not an object": b"[1, 2]",
                      "binary": b"\x89PNG\r\n\x1a\n\xff\xfe\x00" * 50}[how])


@pytest.mark.parametrize("how", ["truncated", "empty", "not an object", "binary"])
@pytest.mark.parametrize("name", BUNDLE_FILES)
def test_diff_of_a_damaged_edition_names_the_file_in_one_line(built: Built, name: str, how: str, capsys) -> None:
    editions = built.out / "2022" / "editions"
    good = copy_into_edition(built.out, 2022, built.raw).edition
    damaged = copy_into_edition(built.out, 2022, built.raw).edition
    _damage(damaged / name, how)
    capsys.readouterr()
    assert main(["diff", str(good), str(damaged)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"错误：无法比较，版本已损坏：{editions}/{damaged.name}/"), err
    # the manifest vouches for the other files; a damaged manifest is named itself
    assert f"/{name}：" in err or f"/manifest.json：" in err, err


def test_a_missing_file_and_a_fifo_in_an_edition_are_named(built: Built, capsys) -> None:
    good = copy_into_edition(built.out, 2022, built.raw).edition
    damaged = copy_into_edition(built.out, 2022, built.raw).edition
    (damaged / "progress-report.pdf").unlink()
    assert main(["diff", str(good), str(damaged)]) == 1
    assert capsys.readouterr().err == f"错误：无法比较，版本已损坏：{damaged}/progress-report.pdf：文件缺失\n"
    os.mkfifo(damaged / "progress-report.pdf")  # reading it would wait for a writer forever
    assert main(["diff", str(damaged), str(good)]) == 1
    assert capsys.readouterr().err == f"错误：无法比较，版本已损坏：{damaged}/progress-report.pdf：不是普通文件\n"


def test_an_edition_without_digests_whose_html_cannot_be_parsed_is_named(built: Built, capsys) -> None:
    """An edition of an earlier version records no digests: its files are still read with care."""
    good = copy_into_edition(built.out, 2022, built.raw).edition
    old = copy_into_edition(built.out, 2022, built.raw).edition
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["bundle_sha256"]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["diff", str(old), str(good)]) == 0
    (old / "progress-report.html").write_text("<p>一段</p><![foo[x]]><p>二</p>", encoding="utf-8")
    assert main(["diff", str(old), str(good)]) == 1
    assert capsys.readouterr().err.endswith(f"{old}/progress-report.html：其中有无法解析的 HTML 标记\n")
