"""The reminder channels, one Dagster resource each (settings from `dg.EnvVar`s, README: The weekly
notice): a DingTalk group robot with its signing secret, a WeCom group robot, and e-mail over
SMTP; and the unit contacts file. Messages go out through `apprise`. A send that fails is tried
again with a growing pause, and then reported as failed: it never raises."""

from __future__ import annotations

import time
import urllib.parse
from pathlib import Path

import apprise
import dagster as dg

from pipeline.reporting.reminders import Contact, Message, read_contacts

DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF_SECONDS = 5.0


class Channel(dg.ConfigurableResource):
    """What every channel shares: how often a send is tried, and the first pause between tries."""

    attempts: int = DEFAULT_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS

    def configured(self) -> bool:
        raise NotImplementedError

    def apprise_url(self, message: Message) -> str:
        raise NotImplementedError

    def send(self, message: Message) -> tuple[bool, int]:
        """Send `message`, tried up to `attempts` times (the pause doubling); (delivered, tries)."""
        for attempt in range(1, self.attempts + 1):
            notifier = apprise.Apprise()
            notifier.add(self.apprise_url(message))
            attach = apprise.AppriseAttachment(list(message.attach)) if message.attach else None
            if notifier.notify(body=message.body, title=message.title, attach=attach):
                return True, attempt
            if attempt < self.attempts:
                time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        return False, self.attempts


def _query_value(url: str, name: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get(name, [""])[0]


class DingTalkRobot(Channel):
    """钉钉群机器人: its webhook (https://oapi.dingtalk.com/robot/send?access_token=…) and the secret
    of its 加签 security setting; a reminder @-mentions the units' mobiles."""

    url: str = ""
    secret: str = ""

    def configured(self) -> bool:
        return bool(_query_value(self.url, "access_token"))

    def apprise_url(self, message: Message) -> str:
        token = urllib.parse.quote(_query_value(self.url, "access_token"), safe="")
        secret = f"{urllib.parse.quote(self.secret, safe='')}@" if self.secret else ""
        mobiles = "/".join(urllib.parse.quote(m, safe="") for m in message.to)
        return f"dingtalk://{secret}{token}/{mobiles}"


class WeComRobot(Channel):
    """企业微信群机器人: its webhook (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)."""

    url: str = ""

    def configured(self) -> bool:
        return bool(_query_value(self.url, "key"))

    def apprise_url(self, message: Message) -> str:
        return f"wecombot://{urllib.parse.quote(_query_value(self.url, 'key'), safe='')}"


class EmailChannel(Channel):
    """E-mail over SMTP: the server, its account, the sender, and the office's address (the notice
    goes there). `security`: starttls (port 587), ssl (465) or insecure (a relay on the local network)."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""
    office: str = ""
    security: str = "starttls"

    def configured(self) -> bool:
        return bool(self.host and self.sender)

    def apprise_url(self, message: Message) -> str:
        quote = lambda text: urllib.parse.quote(text, safe="")  # noqa: E731
        login = f"{quote(self.user)}:{quote(self.password)}@" if self.user else ""
        schema = "mailtos" if self.security in ("starttls", "ssl") else "mailto"
        query = urllib.parse.urlencode({"smtp": self.host, "from": self.sender, "to": ",".join(message.to),
                                        "mode": self.security})
        return f"{schema}://{login}{quote(self.host)}:{self.port}?{query}"


class UnitContacts(dg.ConfigurableResource):
    """The units' contacts (mobile to @-mention, e-mail address): a CSV named by PIPELINE_CONTACTS,
    kept outside the raw folder; only the reminders read it."""

    path: str = ""

    def read(self) -> dict[str, Contact]:
        return read_contacts(Path(self.path)) if self.path else {}


def channels_of(dingtalk: DingTalkRobot, wecom: WeComRobot, email: EmailChannel) -> dict[str, Channel]:
    """The configured channels, by name."""
    return {name: channel for name, channel in (("dingtalk", dingtalk), ("wecom", wecom), ("email", email))
            if channel.configured()}
