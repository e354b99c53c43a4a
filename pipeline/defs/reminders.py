"""Group "notice", the sending half: `reminders` (催报) reminds the units still missing a week's
dynamics before its deadline, and `notice_deliveries` sends the built notice to the office.

Every send is recorded at once as an observation of the asset for the week (unit, channel, time,
outcome, tries): Dagster's own records hold what was sent, beside the runs that sent it, so the
UI shows it per week and a unit is never reminded twice on one channel in one week, whoever
started the run. A channel that fails after its retries is named in the run's log; the step
still succeeds, and nothing downstream fails.
"""


import datetime as dt
import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.contract import SHANGHAI
from pipeline.defs.channels import Channel, DingTalkRobot, EmailChannel, UnitContacts, WeComRobot, channels_of
from pipeline.defs.notice import NOTICE, programme, read_week
from pipeline.defs.partitions import WEEKS
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.weekly import NOTICE_BUILT, REMINDERS_DUE, WEEK_TO_YEARS, week_of_partition
from pipeline.report.notice import notice_folder
from pipeline.report.notice_context import deadline_text, notice_title
from pipeline.reporting.reminders import (
    CHANNEL_NAMES,
    Message,
    notice_messages,
    reminder_messages,
    uncontactable,
)

REMINDERS = dg.AssetKey("reminders")
DELIVERIES = dg.AssetKey("notice_deliveries")
SENT = "sent"


def sent_before(instance: dg.DagsterInstance, key: dg.AssetKey, partition: str) -> set[tuple[str, str]]:
    """(unit, channel) pairs delivered for the week, from the asset's recorded observations."""
    records = instance.fetch_observations(dg.AssetRecordsFilter(asset_key=key, asset_partitions=[partition]), limit=10_000)
    found = set()
    for record in records.records:
        metadata = record.asset_observation.metadata
        if getattr(metadata.get("outcome"), "value", None) == SENT:
            found.add((metadata["unit"].value, metadata["channel"].value))
    return found


def deliver(context: dg.AssetExecutionContext, key: dg.AssetKey, messages: list[Message],
            channels: dict[str, Channel]) -> list[dict[str, object]]:
    """Send each message, recording each of its units as it goes; failures are logged, never raised."""
    outcomes = []
    for message in messages:
        delivered, tries = channels[message.channel].send(message)
        outcome = SENT if delivered else "failed"
        if not delivered:
            context.log.warning(f"{CHANNEL_NAMES[message.channel]}（{message.channel}）发送失败（已尝试{tries}次）："
                                f"{message.title}：{'、'.join(message.units)}")
        at = dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")
        for unit in message.units:
            entry = {"unit": unit, "channel": message.channel, "time": at, "outcome": outcome, "tries": tries}
            context.log_event(dg.AssetObservation(asset_key=key, partition=context.partition_key, metadata=entry))
            outcomes.append(entry)
    return outcomes


def _result(outcomes: list[dict[str, object]], note: str = "") -> dg.MaterializeResult:
    failed = sorted({str(o["channel"]) for o in outcomes if o["outcome"] != SENT})
    return dg.MaterializeResult(metadata={
        "sent": sum(o["outcome"] == SENT for o in outcomes),
        "failed_channels": ", ".join(failed) or "none",
        "sends": dg.MetadataValue.json(outcomes),
        "note": note or "none",
    })


@dg.asset(
    key=REMINDERS,
    group_name="notice",
    partitions_def=WEEKS,
    deps=[dg.AssetDep(dg.AssetKey("dynamics"), partition_mapping=WEEK_TO_YEARS)],
    automation_condition=REMINDERS_DUE,
    kinds={"dingtalk", "wecom", "email"},
)
def reminders(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, project: ProjectPaths, contacts: UnitContacts,
    dingtalk: DingTalkRobot, wecom: WeComRobot, email: EmailChannel,
) -> dg.MaterializeResult:
    """催报: the week's units still missing, reminded on each configured channel, each once a week and channel."""
    week = week_of_partition(context.partition_key)
    program = programme(project.raw_path)
    with duckdb.get_connection() as conn:
        figures = read_week(conn, program, week, project.output_path).notice.figures
    channels = channels_of(dingtalk, wecom, email)
    known = contacts.read()
    messages = reminder_messages(figures, deadline_text(program.reporting.deadline_at(week)), known, channels,
                                 sent_before(context.instance, REMINDERS, context.partition_key))
    note = ""
    if "email" in channels and (without := uncontactable(figures, known)):
        note = f"联系人文件中没有以下单位的邮箱，未发邮件：{'、'.join(without)}"
        context.log.warning(note)
    if not channels:
        note = "未配置任何发送渠道（钉钉、企业微信、邮件），未催报"
        context.log.warning(note)
    return _result(deliver(context, REMINDERS, messages, channels), note)


@dg.asset(
    key=DELIVERIES,
    group_name="notice",
    partitions_def=WEEKS,
    deps=[NOTICE],
    automation_condition=NOTICE_BUILT,
    kinds={"dingtalk", "wecom", "email"},
)
def notice_deliveries(
    context: dg.AssetExecutionContext, project: ProjectPaths,
    dingtalk: DingTalkRobot, wecom: WeComRobot, email: EmailChannel,
) -> dg.MaterializeResult:
    """The built notice sent to the office: its headline to the groups, its PDF by e-mail; each channel once a week."""
    week = week_of_partition(context.partition_key)
    folder = notice_folder(project.output_path, week)
    figures = json.loads((folder / "notice.json").read_text(encoding="utf-8"))
    program = programme(project.raw_path)
    channels = channels_of(dingtalk, wecom, email)
    messages = notice_messages(notice_title(program.name, week), figures, folder / "notice.pdf",
                               email.office, channels, sent_before(context.instance, DELIVERIES, context.partition_key))
    return _result(deliver(context, DELIVERIES, messages, channels))


assets = [reminders, notice_deliveries]
