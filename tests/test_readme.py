"""The README's commands, run as written, as a new user runs them: a fresh clone of this
repository (its committed state: commit first), set up by the README's own first command, then
every command of the README's `sh` blocks in order, each in a new login shell with an empty
environment and a new home, whose PATH has no uv (README: Commands)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from services import Webserver, free_port, stop_process_group, wait_for_webserver

from pipeline.config import PROJECT_DIR

pytestmark = pytest.mark.slow

# The command that runs this test is not run again inside it.
NOT_RUN_HERE = {"make test"}
# Serve until stopped: each is run until its web server answers, then stopped.
SERVES = {"make ui"}
# "# ... exits 1" after a command documents its exit status; any other command exits 0.
EXIT_NOTE = re.compile(r"#.*\bexits (\d+)\b")


def readme_commands(text: str) -> list[tuple[str, int]]:
    """Each command of the README's ```sh blocks, in order (a line ending in \\ joined to the
    next), with the exit status the README documents for it."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        for command in block.replace("\\\n", " ").splitlines():
            if command.strip() and not command.lstrip().startswith("#"):
                note = EXIT_NOTE.search(command)
                commands.append((command.strip(), int(note.group(1)) if note else 0))
    return commands


def _uv_cache() -> dict[str, str]:
    """uv's and pip's caches of this machine, so the clone's set-up installs from them instead of
    downloading again (speed only: the PATH, the home and everything else stay a new user's)."""
    uv = os.environ.get("UV") or shutil.which("uv")
    if not uv:
        return {}
    cache = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True, check=False).stdout.strip()
    # symbolic links into the cache: the clone's environment costs no copy of it
    return {"UV_CACHE_DIR": cache, "UV_LINK_MODE": "symlink"} if cache else {}


def _login_shell(command: str, clone: Path, home: Path, extra: dict[str, str] | None = None) -> list[str]:
    """`command` in the clone, in `env -i HOME=... bash -l -c`: a login shell with nothing inherited."""
    variables = [f"HOME={home}", *(f"{k}={v}" for k, v in {**_uv_cache(), **(extra or {})}.items())]
    return ["env", "-i", *variables, "bash", "-l", "-c", f"cd {clone} && {command}"]


def _served(command: str, clone: Path, home: Path, log: Path) -> str:
    """Start a command that serves the UI on a free port, wait until it answers, stop it; what
    the server said about itself."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(_login_shell(command, clone, home, {"PORT": str(port)}), stdout=sink,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_webserver(Webserver(f"http://127.0.0.1:{port}", process, log), 240)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=10) as answer:
            return answer.read().decode()
    finally:
        stop_process_group(process, timeout=30)


def test_readme_lists_its_commands_with_their_exit_status() -> None:
    commands = readme_commands((PROJECT_DIR / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == ("make report   # builds the sample 2022 report into out/2022/ (sets up everything it needs)", 0)
    assert ("make test     # runs the test suite (sets up everything it needs)", 0) in commands
    assert [c for c, status in commands if status] == [
        ".venv/bin/python -m pipeline check --raw-dir tests/data/raw   # every kind of bad input: exits 1"
    ]


def test_readme_commands_run_as_written_in_a_fresh_clone(tmp_path: Path) -> None:
    clone, home = tmp_path / "clone", tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_DIR), str(clone)], check=True, timeout=120)
    no_uv = subprocess.run(_login_shell("command -v uv", clone, home), capture_output=True, text=True)
    assert no_uv.returncode == 1, f"the login shell already finds uv: {no_uv.stdout}"
    commands = readme_commands((clone / "README.md").read_text(encoding="utf-8"))
    ran = []
    for number, (command, expected) in enumerate(commands):
        name = command.split("#")[0].strip()
        if name in NOT_RUN_HERE:
            continue
        log, started = tmp_path / f"{number:02d}.log", time.monotonic()
        if name in SERVES:
            assert '"dagster_webserver_version"' in _served(name, clone, home, log), name
            ran.append((name, 0, time.monotonic() - started))
            continue
        done = subprocess.run(_login_shell(command, clone, home), capture_output=True, text=True, timeout=1200)
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
        assert done.returncode == expected, f"{command}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        ran.append((name, done.returncode, time.monotonic() - started))
        if number == 0:  # the set-up: uv installed where make finds it, and no error block on the way
            assert "error" not in done.stderr.lower() and "externally-managed" not in done.stderr, done.stderr
            assert (home / ".local" / "bin" / "uv").is_file()
    # the README's commands, their status and how long each took (for the README's Tests section)
    print("\n".join(f"exit {code} ({seconds:.1f} s): {name}" for name, code, seconds in ran))
    assert len(ran) == len(commands) - len(NOT_RUN_HERE)
