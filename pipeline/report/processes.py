"""Running the renderers' tools (Quarto, pandoc) as child processes: each in a process group
of its own, stopped with whatever it started on a timeout or when the run is stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


class RenderError(RuntimeError):
    """A renderer failed; the message carries its own error output."""


def start(command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """Start a tool in the background, in a process group of its own; `finish` waits for it."""
    try:
        return subprocess.Popen(
            list(command), cwd=cwd, env={**os.environ, **env},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
    except OSError as exc:
        raise RenderError(f"cannot run {command[0]}: {exc}") from None


def stop(process: subprocess.Popen[str]) -> None:
    """Kill a tool and whatever it started (Quarto runs deno, pandoc and Typst), and reap it."""
    # the whole group, even when the tool itself has exited: what it started may live on
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def finish(process: subprocess.Popen[str], timeout: int) -> str:
    """Its stdout; a non-zero exit or a timeout is a RenderError showing its stderr."""
    command = [str(part) for part in process.args]
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException as exc:  # a timeout, or the run being stopped: the tool goes too
        stop(process)
        if not isinstance(exc, subprocess.TimeoutExpired):
            raise
        name = Path(command[0]).name
        raise RenderError(f"{name} did not finish within {timeout} s: {' '.join(command[1:])}") from None
    if process.returncode != 0:
        raise RenderError(
            f"{Path(command[0]).name} {' '.join(command[1:])} failed (exit {process.returncode}):\n"
            f"{stderr.strip() or stdout.strip()}"
        )
    return stdout


def run_tool(command: Sequence[str], cwd: Path, env: Mapping[str, str], timeout: int) -> str:
    """Run a tool to the end; a non-zero exit or a timeout is a RenderError showing its stderr."""
    return finish(start(command, cwd, env), timeout)
