"""Real services for the integration tests: a throw-away PostgreSQL server, the Dagster
webserver, a stand-in `quarto`, and a tmp Dagster home. Imported by the test modules."""

from __future__ import annotations

import atexit
import contextlib
import functools
import glob
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
import sqlalchemy.exc

from pipeline.config import ENV_DAGSTER_DIR, ENV_DAGSTER_HOME, ENV_WAREHOUSE, PROJECT_DIR
from pipeline.ops.instance import ProjectSqliteStorage

SAMPLE_RAW = PROJECT_DIR / "raw"
SAMPLE_YEAR = 2022
# What a build of raw/2022 states (README: 7 meetings, 173 dynamics, 14 information pieces, ...).
SAMPLE_HEADLINE = {
    "dynamics_total": 173,
    "info_total": 14,
    "media_articles_total": 612,
    "meetings_total": 7,
    "key_tasks_total": 64,
    "reforms_total": 44,
    "landmarks_total": 10,
}
BUNDLE_FILES = ["figures.json", "manifest.json", "progress-report.docx", "progress-report.html", "progress-report.pdf"]
# Screenshots the UI test keeps for a person to look at; git-ignored.
ARTIFACTS_DIR = PROJECT_DIR / "tests" / "artifacts"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PROJECT_INSTANCE_CONFIG = PROJECT_DIR / "dagster.yaml"


def dagster_home(folder: Path, config: Path = PROJECT_INSTANCE_CONFIG) -> Path:
    """`folder` as a DAGSTER_HOME holding a copy of `config` as dagster.yaml, with its storage
    dir; for the project's own dagster.yaml, the storage starts as a new instance leaves it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config, folder / "dagster.yaml")
    if config == PROJECT_INSTANCE_CONFIG and not (folder / "storage").exists():
        shutil.copytree(_new_instance_storage(), folder / "storage")
    (folder / "storage").mkdir(exist_ok=True)
    return folder


def build_environment(home: Path, warehouse: Path) -> dict[str, str]:
    """The environment a build reads: its Dagster home (and the storage folder dagster.yaml
    names through PIPELINE_DAGSTER_DIR) and its warehouse."""
    return {ENV_DAGSTER_HOME: str(home), ENV_DAGSTER_DIR: str(home / "storage"), ENV_WAREHOUSE: str(warehouse)}


@functools.cache
def _new_instance_storage() -> Path:
    """The SQLite storage a new instance of the project's dagster.yaml creates, made once per
    test process: creating it (Dagster's schema migrations) costs far more than copying it
    (README, Performance), and most tests start from a new instance."""
    home = Path(tempfile.mkdtemp(prefix="pipeline-test-dagster-home-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    shutil.copyfile(PROJECT_INSTANCE_CONFIG, home / "dagster.yaml")
    storage = home / "storage"
    storage.mkdir()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DAGSTER_HOME", str(home))
        env.setenv("PIPELINE_DAGSTER_DIR", str(storage))
        with dg.DagsterInstance.get() as instance:
            instance.get_runs(limit=1)
    return storage


class FullDiskStorage(ProjectSqliteStorage):
    """The project's SQLite storage on a disk that fills up: after `fail_after` events (config), every
    event write raises what SQLite raises when the disk is full (dagster.yaml: storage: custom)."""

    @classmethod
    def config_type(cls) -> dict:
        return {**super().config_type(), "fail_after": dg.Field(int, is_required=False, default_value=3)}

    @classmethod
    def from_config_value(cls, inst_data, config_value: dict) -> FullDiskStorage:  # noqa: ANN001
        storage = super().from_config_value(inst_data, {k: v for k, v in config_value.items() if k != "fail_after"})
        events, store, written = storage.event_log_storage, storage.event_log_storage.store_event, []

        def store_event(event) -> None:  # noqa: ANN001
            if len(written) >= config_value.get("fail_after", 3):
                raise sqlalchemy.exc.OperationalError("INSERT INTO event_logs", {}, sqlite3.OperationalError("database or disk is full"))
            written.append(event)
            store(event)

        events.store_event = store_event
        return storage


QUARTO_STAND_IN = """#!{python}
# A stand-in for Quarto: checks and logs its arguments, prints a version, writes outputs
# (the HTML holds the source's paragraphs, so editions built with it can be compared).
# STANDIN_SLEEP=N makes a render take N seconds (its pid goes to STANDIN_PID_FILE);
# STANDIN_PDF_BYTES=N makes the PDF N bytes long (a bundle whose copy takes a while).
import json, os, pathlib, sys, time
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:] == ["--version"]:
    print("1.6.40-standin")
    sys.exit(0)
if os.environ.get("STANDIN_SLEEP"):
    pathlib.Path(os.environ["STANDIN_PID_FILE"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ["STANDIN_SLEEP"]))
if os.environ.get("STANDIN_FAIL"):
    sys.stderr.write("ERROR: stand-in cannot render: YAMLException at line 3\\n")
    sys.exit(1)
args = sys.argv[1:]
if len(args) != 4 or args[0] != "render" or not args[1].endswith(".qmd") or args[2] != "--to" or args[3] not in ("html", "typst", "docx"):
    sys.stderr.write(f"stand-in quarto: unexpected arguments {{args}}\\n")
    sys.exit(2)
_, source, _, to = args[:4]
text = pathlib.Path(source).read_text(encoding="utf-8")
assert text.startswith("---"), "a Quarto document starts with its YAML front matter"
# The project file beside the document gives every format its options: each file it names
# must be there, as Quarto would need it (the Typst partials also read page.yaml).
import yaml
project = yaml.safe_load(pathlib.Path("_quarto.yml").read_text(encoding="utf-8"))
options = project["format"][to]
named = [*project.get("filters", []), *options.get("template-partials", []), options.get("reference-doc"), options.get("css")]
missing = [name for name in named if name and not pathlib.Path(name).is_file()]
if missing or not pathlib.Path("page.yaml").is_file():
    sys.stderr.write(f"stand-in quarto: missing {{missing or 'page.yaml'}}\\n")
    sys.exit(2)
with open({projects!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps(project, ensure_ascii=False) + "\\n")
stem = pathlib.Path(source).stem
if to == "html":
    paragraphs = [" ".join(p.split()) for p in text.split("\\n\\n") if p.strip()]
    body = "".join(f"<p>{{p}}</p>" for p in paragraphs)
    pathlib.Path(stem + ".html").write_text(f"<html><body>{{body}}</body></html>", encoding="utf-8")
elif to == "docx":
    import zipfile
    with zipfile.ZipFile(stem + ".docx", "w") as docx:
        docx.writestr(zipfile.ZipInfo("word/document.xml", (2022, 1, 1, 0, 0, 0)), "<w:document><w:tbl><w:tr><w:tc>stand-in</w:tc></w:tr></w:tbl></w:document>")
else:
    pdf = b"%PDF-1.7 stand-in pdf"
    pathlib.Path(stem + ".pdf").write_bytes(pdf.ljust(int(os.environ.get("STANDIN_PDF_BYTES") or 0), b"%"))
"""


def quarto_stand_in(folder: Path, log: Path | None = None) -> Path:
    """Write an executable `quarto` into `folder` (to be put first on PATH) that checks its
    arguments and logs each call (one JSON list per line) to `log`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "quarto"
    calls = log or folder / "quarto-calls.log"
    projects = calls.with_name(calls.stem + "-projects.log")  # each render's _quarto.yml, one JSON a line
    script.write_text(QUARTO_STAND_IN.format(python=sys.executable, log=str(calls), projects=str(projects)),
                      encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl, else the one on PATH."""
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda d: [int(part) if part.isdigit() else 0 for part in d.parent.name.split(".")],
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str  # trust auth: the server accepts any password; Dagster's config wants one
    database: str

    def connect(self) -> psycopg2.extensions.connection:
        return psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.database
        )


def _as_server_user(command: Sequence[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the tool as the `postgres` system user."""
    if os.geteuid() != 0:
        return list(command)
    return ["runuser", "-u", "postgres", "--", *command]


def _run_checked(command: Sequence[str], cwd: Path, what: str, log: Path | None = None) -> None:
    done = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        server_log = log.read_text(errors="replace") if log and log.is_file() else ""
        raise RuntimeError(
            f"{what} failed (exit {done.returncode}): {' '.join(command)}\n"
            f"{done.stdout}\n{done.stderr}\n{server_log}"
        )


@contextlib.contextmanager
def postgres_server(bin_dir: Path, database: str = "dagster") -> Iterator[Postgres]:
    """A private PostgreSQL cluster on 127.0.0.1:<free port> with trust auth and `database`;
    stopped and deleted on exit, also when starting it or the test fails."""
    # Not pytest's tmp_path: it sits in a root-only (0700) folder the postgres user cannot enter.
    folder = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")  # the Debian package creates this user
        except KeyError:
            shutil.rmtree(folder)
            raise RuntimeError("PostgreSQL will not run as root, and there is no `postgres` user to run it as") from None
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    port = free_port()
    started = False
    try:
        _run_checked(
            _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                             "--encoding=UTF8", "--no-locale", "--no-sync"]),
            folder, "initdb",
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
        _run_checked(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                             "-o", options, "start"]),
            folder, "pg_ctl start", log,
        )
        started = True
        server = Postgres("127.0.0.1", port, "postgres", "trust-auth-ignores-this", database)
        admin = psycopg2.connect(host=server.host, port=port, user=server.user, dbname="postgres")
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'create database "{database}"')  # our own constant, not user input
        admin.close()
        yield server
    finally:
        if started:
            subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                cwd=folder, capture_output=True, timeout=60, check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


# --- Dagster webserver --------------------------------------------------------------------


@dataclass
class Webserver:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.is_file() else ""


def _get(url: str, timeout: float = 5) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_for_webserver(server: Webserver, deadline_seconds: float) -> None:
    """Poll /server_info until it answers; fail with the server's output when it exits or
    the deadline passes."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited with {server.process.returncode}:\n{server.output()}")
        try:
            _get(f"{server.url}/server_info", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise RuntimeError(f"dagster-webserver did not answer /server_info within {deadline_seconds} s:\n{server.output()}")


@contextlib.contextmanager
def dagster_webserver(folder: Path, env: dict[str, str], startup_seconds: float = 90) -> Iterator[Webserver]:
    """`dagster-webserver -m pipeline.definitions` on 127.0.0.1:<free port>, output in
    folder/webserver.log; its whole process group (the code server too) is killed on exit."""
    port = free_port()
    log = folder / "webserver.log"
    command = [sys.executable, "-m", "dagster_webserver", "-m", "pipeline.definitions",
               "-h", "127.0.0.1", "-p", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env={**os.environ, **env}, stdout=sink, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    server = Webserver(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_for_webserver(server, startup_seconds)
        yield server
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM to the process's group (started with start_new_session), SIGKILL when it lingers;
    then SIGKILL to what is left of the group (a webserver's gRPC code server, a daemon)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def chromium_binary() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
