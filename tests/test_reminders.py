"""Reminders (催报) and the notice's delivery against stand-ins started here: a local HTTP server
in place of the DingTalk and WeCom robots (the JSON body and DingTalk's signature checked) and a
local SMTP server (aiosmtpd). Each unit is reminded at most once per week and channel; a failing
channel is retried, named in the log, and fails nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import shutil
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import pytest
from aiosmtpd.controller import Controller
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot
from conftest import DATA

from pipeline.defs.channels import DingTalkRobot, EmailChannel, UnitContacts, WeComRobot
from pipeline.defs.notice import weekly_notice
from pipeline.defs.reminders import notice_deliveries, reminders
from pipeline.defs.resources import project_resources
from pipeline.ops.notice import run_notice

SECRET = "SEC0123456789abcdef"
WEEK = "2023-02-06"  # 2023-W06: 西溪街道 and 仓前街道 missing


class Robot(BaseHTTPRequestHandler):
    """Answers as the robots do; `failing` paths answer 500."""

    received: list[dict] = []
    failing: set[str] = set()

    def do_POST(self) -> None:  # noqa: N802 - the http.server name
        url = urllib.parse.urlsplit(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"path": url.path, "query": urllib.parse.parse_qs(url.query), "body": body})
        status = 500 if url.path in type(self).failing else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args: object) -> None:
        pass


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local robot server; apprise's DingTalk and WeCom plugins pointed at it (a test-only patch)."""
    Robot.received, Robot.failing = [], set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(NotifyDingTalk, "notify_url", f"{base}/robot/send?access_token={{token}}")
    monkeypatch.setattr(NotifyWeComBot, "notify_url", f"{base}/cgi-bin/webhook/send?key={{key}}")
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with socket.socket() as probe:  # aiosmtpd checks its server by connecting: it needs a real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notice fixture ingested (and its notice of 2023-W06 built) once."""
    base = tmp_path_factory.mktemp("reminders")
    shutil.copytree(DATA / "notice", base / "raw")
    (base / "contacts.csv").write_text("单位,手机,邮箱\n西溪街道,13800000001,xixi@example.org\n仓前街道,13800000002,\n",
                                       encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_notice(base / "raw", base / "out", 2023, "2023-W06", warehouse=str(base / "warehouse.duckdb"),
                          renderer="embedded", instance=instance).success
    return base


def _resources(folder: Path, port: int, attempts: int = 3) -> dict[str, object]:
    fast = {"attempts": attempts, "backoff_seconds": 0.01}
    return project_resources(folder / "raw", folder / "out", folder / "warehouse.duckdb") | {
        "contacts": UnitContacts(path=str(folder / "contacts.csv")),
        "dingtalk": DingTalkRobot(url="https://oapi.dingtalk.com/robot/send?access_token=TOKEN1", secret=SECRET, **fast),
        "wecom": WeComRobot(url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY1", **fast),
        "email": EmailChannel(host="127.0.0.1", port=port, sender="office@example.org", office="leader@example.org",
                              security="insecure", **fast),
    }


def _remind(instance: dg.DagsterInstance, resources: dict[str, object]) -> dg.ExecuteInProcessResult:
    return dg.materialize([reminders], instance=instance, resources=resources, partition_key=WEEK)


def test_missing_units_are_reminded_once_on_each_channel(folder: Path, robot: str, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    with dg.DagsterInstance.ephemeral() as instance:
        first = _remind(instance, _resources(folder, port))
        assert first.success
        ding, wecom = (next(r for r in Robot.received if r["path"].startswith(p)) for p in ("/robot", "/cgi-bin"))
        assert ding["body"]["msgtype"] == "text" and ding["body"]["at"]["atMobiles"] == ["13800000001", "13800000002"]
        assert "以下单位尚未报送2023年第6周工作动态，请于2月10日（周五）17:00前报送：西溪街道、仓前街道。" in ding["body"]["text"]["content"]
        assert ding["query"]["access_token"] == ["TOKEN1"]
        timestamp = ding["query"]["timestamp"][0]
        signed = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        # apprise sends the URL-encoded signature DingTalk's documentation describes, encoded once more as a parameter
        assert urllib.parse.unquote(ding["query"]["sign"][0]) == base64.b64encode(signed).decode()
        assert wecom["query"]["key"] == ["KEY1"] and "西溪街道、仓前街道" in wecom["body"]["text"]["content"]
        # e-mail: the unit with an address only (仓前街道 has none: said in the log)
        [(to, content)] = box.messages
        mail = message_from_bytes(content)
        assert to == ["xixi@example.org"] and "催报：2023年第6周工作动态" in str(make_header(decode_header(mail["Subject"])))
        metadata = first.asset_materializations_for_node("reminders")[0].metadata
        assert metadata["sent"].value == 5 and metadata["failed_channels"].value == "none"
        assert "仓前街道" in metadata["note"].value

        Robot.received.clear()
        again = _remind(instance, _resources(folder, port))
        assert again.success and Robot.received == [] and len(box.messages) == 1
        assert again.asset_materializations_for_node("reminders")[0].metadata["sent"].value == 0


def test_a_failing_channel_is_retried_named_and_fails_nothing(folder: Path, robot: str,
                                                              mailbox: tuple[Mailbox, int]) -> None:
    _, port = mailbox
    Robot.failing = {"/cgi-bin/webhook/send"}
    with dg.DagsterInstance.ephemeral() as instance:
        result = _remind(instance, _resources(folder, port, attempts=3))
        assert result.success
        assert sum(r["path"] == "/cgi-bin/webhook/send" for r in Robot.received) == 3
        logged = [entry.user_message for entry in instance.all_logs(result.run_id) if entry.level == logging.WARNING]
        assert any("企业微信群（wecom）发送失败（已尝试3次）：催报：2023年第6周工作动态：西溪街道、仓前街道" in m for m in logged)
        assert result.asset_materializations_for_node("reminders")[0].metadata["failed_channels"].value == "wecom"
        # once the channel answers again, only what failed is sent
        Robot.failing, Robot.received = set(), []
        assert _remind(instance, _resources(folder, port)).success
        assert [r["path"] for r in Robot.received] == ["/cgi-bin/webhook/send"]


def test_the_built_notice_goes_to_the_office_once(folder: Path, robot: str, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    resources = _resources(folder, port)
    with dg.DagsterInstance.ephemeral() as instance:
        for _ in range(2):
            assert dg.materialize([weekly_notice.to_source_asset(), notice_deliveries], instance=instance,
                                  resources=resources, selection=[notice_deliveries.key], partition_key=WEEK).success
    ding = [r for r in Robot.received if r["path"].startswith("/robot")]
    assert len(ding) == 1
    assert "西湖区高质量发展建设共同富裕示范区工作动态报送情况通报（2023年第6周）" in ding[0]["body"]["text"]["content"]
    assert "应报送5个单位，已报送3个，未报送2个：西溪街道、仓前街道" in ding[0]["body"]["text"]["content"]
    [(to, content)] = box.messages
    assert to == ["leader@example.org"] and b"notice.pdf" in content


def test_a_dry_run_prints_what_would_be_sent(folder: Path, robot: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_DINGTALK_URL", "https://oapi.dingtalk.com/robot/send?access_token=TOKEN1")
    monkeypatch.setenv("PIPELINE_CONTACTS", str(folder / "contacts.csv"))
    with dg.DagsterInstance.ephemeral() as instance:
        outcome = run_notice(folder / "raw", folder / "out", 2023, "2023-W06", remind=True, dry_run=True,
                             warehouse=str(folder / "warehouse.duckdb"), renderer="embedded", instance=instance)
    assert outcome.success
    assert "将发送：钉钉群（13800000001、13800000002）：催报：2023年第6周工作动态：西溪街道、仓前街道" in outcome.lines
    assert Robot.received == []
