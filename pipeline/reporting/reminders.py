"""What the reminders (催报) and the notice's delivery say and to whom: a message per channel
(the group robots: one message naming the missing units, @-mentioning their mobiles; e-mail:
one per unit with an address), leaving out every (unit, channel) already sent; pure.

Unit contacts come from a file of the office's own (`read_contacts`), never from the raw folder,
and never reach a report.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.contract import Week

GROUP_CHANNELS = ("dingtalk", "wecom")
CHANNEL_NAMES = {"dingtalk": "钉钉群", "wecom": "企业微信群", "email": "邮件"}
OFFICE = "办公室"  # the recipient of the notice itself, in the records
_HEADERS = {"unit": ("unit", "单位", "报送单位"), "mobile": ("mobile", "手机", "手机号"), "email": ("email", "邮箱", "电子邮箱")}
MAX_CONTACTS_BYTES = 1 << 20


@dataclass(frozen=True)
class Contact:
    mobile: str = ""
    email: str = ""


@dataclass(frozen=True)
class Message:
    """One send: a channel, the units it reminds (or OFFICE), its addressees and its text."""

    channel: str
    units: tuple[str, ...]
    title: str
    body: str
    to: tuple[str, ...] = ()  # e-mail addresses, or the mobiles a group message @-mentions
    attach: tuple[str, ...] = field(default=())  # files sent with it (the notice's PDF)

    def line(self) -> str:
        """How `notice --remind --dry-run` prints it."""
        to = f"（{'、'.join(self.to)}）" if self.to else ""
        return f"{CHANNEL_NAMES[self.channel]}{to}：{self.title}：{'、'.join(self.units)}"


class ContactsError(ValueError):
    """The contacts file cannot be used; the message says why, in Chinese."""


def read_contacts(path: Path) -> dict[str, Contact]:
    """unit -> its contact, from a CSV (UTF-8, or as Excel saves it) with the columns 单位/unit,
    手机/mobile and 邮箱/email; the unit as the roster names it."""
    try:
        data = path.read_bytes()[:MAX_CONTACTS_BYTES + 1]
    except OSError as exc:
        raise ContactsError(f"联系人文件 {path} 无法读取（{exc.strerror or exc}）") from None
    if len(data) > MAX_CONTACTS_BYTES:
        raise ContactsError(f"联系人文件 {path} 超过 1 MiB")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return {}
    header = [unicodedata.normalize("NFKC", cell).strip().lower() for cell in rows[0]]
    columns = {key: next((i for i, cell in enumerate(header) if cell in names), None) for key, names in _HEADERS.items()}
    if columns["unit"] is None:
        raise ContactsError(f"联系人文件 {path} 的第1行没有“单位”列（应有：单位、手机、邮箱）")

    def cell(row: list[str], key: str) -> str:
        index = columns[key]
        return unicodedata.normalize("NFKC", row[index]).strip() if index is not None and index < len(row) else ""

    return {cell(row, "unit"): Contact(cell(row, "mobile"), cell(row, "email")) for row in rows[1:] if cell(row, "unit")}


def reminder_messages(figures: dict[str, Any], deadline_text: str, contacts: dict[str, Contact],
                      channels: Iterable[str], sent: set[tuple[str, str]]) -> list[Message]:
    """The reminders of the week's missing units on each configured channel, less those sent."""
    week = Week.parse(figures["week"]).label
    title = f"催报：{week}工作动态"
    messages = []
    for channel in channels:
        units = [unit for unit in figures["missing"] if (unit, channel) not in sent]
        if channel in GROUP_CHANNELS and units:
            mobiles = tuple(contacts[u].mobile for u in units if u in contacts and contacts[u].mobile)
            body = f"以下单位尚未报送{week}工作动态，请于{deadline_text}前报送：{'、'.join(units)}。"
            messages.append(Message(channel, tuple(units), title, body, mobiles))
        elif channel == "email":
            messages += [Message(channel, (unit,), title, f"{unit}：贵单位尚未报送{week}工作动态，请于{deadline_text}前报送。",
                                 (contacts[unit].email,)) for unit in units if unit in contacts and contacts[unit].email]
    return messages


def uncontactable(figures: dict[str, Any], contacts: dict[str, Contact]) -> list[str]:
    """Missing units without an e-mail address in the contacts file (said in the log)."""
    return [unit for unit in figures["missing"] if not (unit in contacts and contacts[unit].email)]


def notice_messages(title: str, figures: dict[str, Any], pdf: Path, office_email: str, channels: Iterable[str],
                    sent: set[tuple[str, str]]) -> list[Message]:
    """The notice to the office: its headline in each group, its PDF by e-mail; each channel once a week."""
    expected, missing = len(figures["units_expected"]), figures["missing"]
    body = (f"应报送{expected}个单位，已报送{expected - len(missing)}个，未报送{len(missing)}个"
            + (f"：{'、'.join(missing)}" if missing else "") + f"。本周动态{figures['dynamics_week']}条、信息{figures['info_week']}篇。")
    messages = []
    for channel in channels:
        if (OFFICE, channel) in sent:
            continue
        if channel in GROUP_CHANNELS:
            messages.append(Message(channel, (OFFICE,), title, body))
        elif channel == "email" and office_email:
            messages.append(Message(channel, (OFFICE,), title, body, (office_email,), (str(pdf),)))
    return messages
