"""The project's Dagster instance (its storage in the raw folder's own folder), and recovery from
builds that were killed: the one module that reaches past Dagster's public API (the storage
classes dagster.yaml names, freeing a dead run's pool slots)."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import yaml
from dagster._serdes import ConfigurableClassData
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager
from dagster._core.storage.root import LocalArtifactStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage

from pipeline.config import ENV_DAGSTER_HOME, SettingError, Settings
from pipeline.locks import exclusive

# Which process ran a `build`: host, pid and the pid's start time (a pid is reused, the pair is not).
PROCESS_TAG = "pipeline/process"
_IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


def _storage_folder(config_value: dict) -> str:
    """The folder dagster.yaml names, else the configured raw folder's (config.Settings.dagster_dir:
    PIPELINE_DAGSTER_DIR, or the raw folder's state folder)."""
    return config_value.get("base_dir") or str(Settings.of().dagster_dir)


_OPTIONAL_FOLDER = {"base_dir": dg.Field(dg.StringSource, is_required=False)}


class ProjectSqliteStorage(DagsterSqliteStorage):
    """dagster.yaml's `storage`: SQLite run, event and schedule storage in the project's storage
    folder, found the same way by every process that opens the instance (the CLI, dagster dev,
    its daemon and run workers, dagster asset materialize), so none needs a variable for it."""

    @classmethod
    def config_type(cls) -> dict:
        return _OPTIONAL_FOLDER

    @classmethod
    def from_config_value(cls, inst_data, config_value: dict) -> ProjectSqliteStorage:  # noqa: ANN001
        return cls.from_local(_storage_folder(config_value), inst_data=inst_data)


class ProjectComputeLogManager(LocalComputeLogManager):
    """dagster.yaml's `compute_logs`: each step's stdout and stderr, in the project's storage folder."""

    @classmethod
    def config_type(cls) -> dict:
        return {**_OPTIONAL_FOLDER, "polling_timeout": dg.Field(float, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value: dict) -> ProjectComputeLogManager:  # noqa: ANN001
        return cls(inst_data=inst_data, **{**config_value, "base_dir": _storage_folder(config_value)})


class ProjectArtifactStorage(LocalArtifactStorage):
    """dagster.yaml's `local_artifact_storage`, in the project's storage folder."""

    @classmethod
    def config_type(cls) -> dict:
        return _OPTIONAL_FOLDER

    @classmethod
    def from_config_value(cls, inst_data, config_value: dict) -> ProjectArtifactStorage:  # noqa: ANN001
        return cls(inst_data=inst_data, base_dir=_storage_folder(config_value))


def project_instance() -> dg.DagsterInstance:
    """DAGSTER_HOME's instance. Dagster creates its SQLite tables on first use, and two processes
    doing that at once can fail ("table runs already exists", dagster-io/dagster#27390)."""
    storage = Settings.of().dagster_dir
    try:
        storage.mkdir(parents=True, exist_ok=True)
        with exclusive(storage / ".instance.lock", "正在等待另一个进程建立 Dagster 实例"):
            return dg.DagsterInstance.get()
    except dg.DagsterError as exc:
        raise SettingError(_instance_trouble(str(exc))) from None


def _instance_trouble(message: str) -> str:
    """Why DAGSTER_HOME's instance does not open: a wrong DAGSTER_HOME, or a dagster.yaml that names
    a variable that is not set, in one line."""
    home = os.environ.get(ENV_DAGSTER_HOME, "")
    unset = re.search(r'fetch the environment variable "([^"]+)"', message)
    if unset:
        return f"无法打开 Dagster 实例：{home}/dagster.yaml 用到的环境变量 {unset.group(1)} 未设置"
    return f"无法打开 Dagster 实例（DAGSTER_HOME={home}）：{message.strip().splitlines()[0]}"


@contextmanager
def instance_of(settings: Settings) -> Iterator[dg.DagsterInstance]:
    """The instance of the project `settings` describe: DAGSTER_HOME's dagster.yaml, its SQLite
    storage in the raw folder's own folder (config.state_dir). Dagster reads both from the
    environment, which is set while the instance is open and put back afterwards."""
    wanted = settings.instance_environment()
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        with project_instance() as instance:
            yield instance
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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
            instance.report_run_failed(run, "生成进程在运行结束前退出（被终止？）")
            _free_pool_slots(instance, run.run_id)
            marked.append(run.run_id)
    return marked


def _free_pool_slots(instance: dg.DagsterInstance, run_id: str) -> None:
    # Dagster's run monitoring daemon frees these for runs it launched; a killed in-process run
    # has no daemon watching it, and no public API frees its slots.
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        storage.free_concurrency_slots_for_run(run_id)


def pinned(instance: dg.DagsterInstance, log_level: str) -> dg.DagsterInstance:
    """The same instance, with its storage folder written into its configuration. A run's worker
    processes open the instance from this; they are forked from a server that keeps the
    environment it started with, which may be an earlier build's (tests build many projects
    in one process). A worker announces itself on the console at `log_level` and up only,
    unless dagster.yaml sets `python_logs`."""
    folder = str(Settings.of().dagster_dir)
    ref = instance.get_ref()
    fields = {name: _with_folder(value, folder) for name, value in ref._asdict().items()
              if isinstance(value, ConfigurableClassData)}
    settings = {"python_logs": {"python_log_level": log_level}} | dict(ref.settings)
    return dg.DagsterInstance.from_ref(ref._replace(**fields, settings=settings))


def _with_folder(data: ConfigurableClassData, folder: str) -> ConfigurableClassData:
    config = yaml.safe_load(data.config_yaml) or {}
    if data.module_name == __name__ and "base_dir" not in config:
        return data._replace(config_yaml=yaml.safe_dump({**config, "base_dir": folder}))
    if config.get("module_name") == __name__:  # a storage wrapping ours (run, event, schedule storage)
        inner = _with_folder(ConfigurableClassData(__name__, config["class_name"], config["config_yaml"]), folder)
        return data._replace(config_yaml=yaml.safe_dump({**config, "config_yaml": inner.config_yaml}))
    return data
