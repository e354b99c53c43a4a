"""The project's Dagster instance, and recovery from builds that were killed: the one module
that reaches past Dagster's public API (freeing a dead run's pool slots)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg

from pipeline.locks import exclusive

# Which process ran a `build`: host, pid and the pid's start time (a pid is reused, the pair is not).
PROCESS_TAG = "pipeline/process"
_IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def project_instance() -> dg.DagsterInstance:
    """DAGSTER_HOME's instance. Dagster creates its SQLite tables on first use, and two processes
    doing that at once can fail ("table runs already exists", dagster-io/dagster#27390)."""
    storage = os.environ.get("PIPELINE_DAGSTER_DIR")
    if not storage:
        return dg.DagsterInstance.get()
    with exclusive(Path(storage) / ".instance.lock", "waiting for another process to set up the Dagster instance"):
        return dg.DagsterInstance.get()


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot; None when it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
    return None if fields[0] in ("Z", "X") else fields[19]


def process_tag() -> dict[str, str]:
    """The tag a build's run carries, so a later build can tell whether its process still lives."""
    return {PROCESS_TAG: f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid())}"}


def _dead(tag: str) -> bool:
    host, pid, started = tag.rsplit(":", 2)
    return host == socket.gethostname() and _start_time(int(pid)) != started


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark the runs of killed builds on this machine failed and free the pool slots they held,
    so the next build and the run queue go on. Runs the daemon launched are watched by Dagster's
    own run monitoring (dagster.yaml). Returns the run ids marked."""
    marked = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_IN_PROGRESS)):
        tag = run.tags.get(PROCESS_TAG)
        if tag and _dead(tag):
            instance.report_run_failed(run, "the build's process ended without finishing the run (killed?)")
            _free_pool_slots(instance, run.run_id)
            marked.append(run.run_id)
    return marked


def _free_pool_slots(instance: dg.DagsterInstance, run_id: str) -> None:
    # Dagster's run monitoring daemon frees these for runs it launched; a killed in-process run
    # has no daemon watching it, and no public API frees its slots.
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        storage.free_concurrency_slots_for_run(run_id)
