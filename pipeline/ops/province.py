"""A province's stale districts built in one run of `build_province_year` on Dagster's
multiprocess executor (one worker per core, forked from a server that has the code location
loaded): the `build` command's engine when many districts of a roll-up folder must be built."""

from __future__ import annotations

import json
import os
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.definitions import defs
from pipeline.defs.partitions import DISTRICTS
from pipeline.defs.province import FAILED_DISTRICTS, build_province_year, share_key, shares_of
from pipeline.defs.raw import observe_partition
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.scope import Scope
from pipeline.locks import exclusive
from pipeline.ops.instance import pinned, process_tag

# Up to this many stale districts build in this process, one run each: a worker process's
# start costs more than the parallel build of so few districts gains (README: Many districts).
PER_PARTITION_MAX = 3
_BUILD_STEP = "district_builds"  # the mapped step: district_builds[share_1], ...


def province_job() -> dg.JobDefinition:
    """The code location's job, as the executor's worker processes load it again."""
    return defs().resolve_job_def(build_province_year.name)


def workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def province_run_config(
    year: int, districts: list[str], as_of: str, project: ProjectPaths, database: str, renderer: str,
    log_level: str = "WARNING", processes: int | None = None,
) -> dict[str, object]:
    """The run's config: the districts, the resources of this build, and the executor's workers,
    forked from a server that imported the code location once."""
    processes = processes or workers()
    return {
        "ops": {"district_shares": {"config": {"year": year, "districts": districts, "as_of": as_of,
                                               "shares": processes}}},
        "resources": {
            "duckdb": {"config": {"database": database}},
            "project": {"config": {"raw_dir": project.raw_dir, "output_dir": project.output_dir,
                                   "reports_dir": project.reports_dir}},
            "renderer": {"config": {"renderer": renderer}},
        },
        "execution": {"config": {"multiprocess": {
            "max_concurrent": processes,
            "start_method": {"forkserver": {"preload_modules": ["pipeline.definitions"]}},
        }}},
        "loggers": {"console": {"config": {"log_level": log_level}}},
    }


@dataclass(frozen=True)
class ProvinceOutcome:
    run_id: str
    failed: dict[str, str]  # district -> why


def run_province(instance: dg.DagsterInstance, scopes: dict[str, Scope], run_config: dict[str, object]) -> ProvinceOutcome:
    """One run of `build_province_year` for the districts of `scopes` (run_config's), each
    district's build lock held and its raw folder observed first, as run_build does for one."""
    instance.add_dynamic_partitions(DISTRICTS.name, list(scopes))
    with ExitStack() as locks:
        for scope in scopes.values():
            locks.enter_context(exclusive(Path(f"{scope.database}.{scope.year}.lock"),
                                          f"正在等待 {scope.partition} 的另一次生成结束"))
            observe_partition(instance, scope)
        return _run(instance, list(scopes), run_config)


def _run(instance: dg.DagsterInstance, districts: list[str], run_config: dict[str, object]) -> ProvinceOutcome:
    shares = shares_of(districts, run_config["ops"]["district_shares"]["config"]["shares"])
    members = {f"{_BUILD_STEP}[{share_key(i)}]": share for i, share in enumerate(shares)}
    log_level = run_config["loggers"]["console"]["config"]["log_level"]
    with dg.execute_job(dg.reconstructable(province_job), pinned(instance, log_level), run_config=run_config,
                        tags={"pipeline/command": "build", **process_tag()}, raise_on_error=False) as result:
        failed: dict[str, str] = {}
        for event in result.get_step_failure_events():
            data = event.step_failure_data
            recorded = data.user_failure_data.metadata.get(FAILED_DISTRICTS) if data.user_failure_data else None
            if recorded is not None:
                failed |= json.loads(recorded.value)
            else:  # the step itself broke: none of its districts is taken as built
                why = data.error.message.strip().splitlines()[0] if data.error else "步骤失败"
                failed |= dict.fromkeys(members.get(event.step_key, districts), why)
        if not result.success and not failed:
            failed = dict.fromkeys(districts, "运行失败（--verbose 显示 Dagster 的日志）")
        return ProvinceOutcome(result.run_id, failed)
