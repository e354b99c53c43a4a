"""What every benchmark of `python -m tools.bench` shares: running a command in a new process
timed with its peak memory (its whole process tree's), a new Dagster instance and warehouse
for a build, progress lines, and a synthetic province's cold build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from time import perf_counter

from pipeline.config import PROJECT_DIR
from tools.districts import write_province

YEAR = 2022
RENDERER = "embedded"  # pandoc + Typst: what the targets are set for, whether or not Quarto is installed
_PAGE = os.sysconf("SC_PAGE_SIZE")
_SAMPLE_SECONDS = 0.2


class BenchError(RuntimeError):
    """A measured step failed; the message says which and why."""


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _tree(pid: int) -> list[int]:
    """The process and its descendants now (their /proc children lists)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue  # it ended meanwhile
    return found


def _memory(pid: int) -> int:
    """The process's proportional set size (its private pages, and its share of pages shared
    with others: summed over processes, the memory they use together), else its RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _TreeMemory(threading.Thread):
    """The highest memory of a process and its descendants together, sampled while it runs:
    the executor's worker processes count with the build, pages they share with the server
    they were forked from once."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(_SAMPLE_SECONDS):
            self.peak = max(self.peak, sum(_memory(pid) for pid in _tree(self.pid)))


def run(command: list[str], log: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command in a new process; its wall seconds and peak memory in bytes: the larger of
    wait4's RSS for the process alone and the sampled memory of its process tree."""
    with log.open("wb") as sink:
        start = perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=sink, stderr=subprocess.STDOUT)
        memory = _TreeMemory(process.pid)
        memory.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = perf_counter() - start
        memory.done.set()
        memory.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip()[-3000:]
        raise BenchError(f"{' '.join(command[1:4])} exited {process.returncode}:\n{tail}")
    return seconds, max(usage.ru_maxrss * 1024, memory.peak)


def build_place(place: Path) -> dict[str, str]:
    """A new Dagster instance, warehouse and output folder under `place`; the build's environment."""
    home = place / "dagster-home"
    (home / "storage").mkdir(parents=True)
    shutil.copyfile(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    return os.environ | {
        "DAGSTER_HOME": str(home),
        "PIPELINE_DAGSTER_DIR": str(home / "storage"),
        "PIPELINE_WAREHOUSE": str(place / "warehouse.duckdb"),
    }


def build_command(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", "--raw-dir", str(raw), "--output-dir", str(out),
            "--renderer", RENDERER]


def province_build(place: Path, n: int) -> tuple[dict[str, object], dict[str, str]]:
    """A new province of n districts and its cold build; the build's result and environment."""
    raw, out = place / "raw", place / "out"
    write_province(raw, n)
    env = build_place(place)
    progress(f"cold build of {n} districts and the roll-up")
    seconds, rss = run(build_command(raw, out), place / "cold.log", env)
    progress(f"  {seconds:.1f} s, peak RSS {rss / 2**20:.0f} MiB")
    return {"districts": n, "seconds": seconds, "peak_rss_bytes": rss}, env
