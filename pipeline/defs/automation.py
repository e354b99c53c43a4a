"""Unattended runs. The raw-folder sensor records each year's new data version as an
observation of `raw_folder`; Dagster's automation sensor evaluates every asset's
`AutomationCondition` (raw.REBUILD) and starts the runs. `build_year` is for the UI's launchpad.
"""

import json

import dagster as dg

from pipeline.defs.partitions import DISTRICTS
from pipeline.defs.province import build_province_year
from pipeline.defs.raw import raw_file_hashes, raw_observation, year_versions
from pipeline.defs.resources import ProjectPaths
from pipeline.defs.rollup import ROLLUP
from pipeline.defs.weekly import weekly_notices

build_year = dg.define_asset_job(
    "build_year",
    selection=dg.AssetSelection.groups("ingest", "metrics", "report"),
    description="Ingest, metrics and report for one year partition.",
)
build_district_year = dg.define_asset_job(
    "build_district_year",
    selection=dg.AssetSelection.groups("district_ingest", "district_metrics", "district_report"),
    description="Ingest, metrics and report for one district's year (district x year partition) of a roll-up folder.",
)
build_rollup = dg.define_asset_job(
    "build_rollup",
    selection=dg.AssetSelection.assets(ROLLUP),
    description="The roll-up report of one year over every district (each district's year must be current).",
)


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records a new data version of a year's raw_folder when a file in it is added, "
    "changed or removed (an observation; the automation sensor decides what runs).",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, project: ProjectPaths) -> dg.SensorResult:
    # the cursor keeps every file's size, mtime and hash, so a tick with nothing changed only stats files
    before = json.loads(context.cursor) if context.cursor else {}
    after = raw_file_hashes(project.raw_path, before)
    old, new = year_versions(before), year_versions(after)
    changed = [year for year, version in new.items() if old.get(year) != version]
    known = set(context.instance.get_dynamic_partitions(DISTRICTS.name))
    districts = sorted({key.keys_by_dimension["district"] for key in new if isinstance(key, dg.MultiPartitionKey)} - known)
    return dg.SensorResult(
        # a district folder that appears becomes a partition, with no code change
        dynamic_partitions_requests=[DISTRICTS.build_add_request(districts)] if districts else [],
        asset_events=[raw_observation(year, new[year]) for year in changed],
        # a tick that only records observations starts no run: the UI lists it as skipped, with this
        skip_reason=f"原始数据有新版本：{'、'.join(changed)}" if changed else "原始数据文件没有变化",
        cursor=json.dumps(after, sort_keys=True),
    )


rebuild_on_new_data = dg.AutomationConditionSensorDefinition(
    "rebuild_on_new_data",
    # the notices' conditions read program.yaml's deadline: their own sensor evaluates them in the code location
    target=dg.AssetSelection.all() - dg.AssetSelection.groups("notice"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    # a tick costs the daemon real time even when nothing changed (README: Automation, its table)
    minimum_interval_seconds=300,
    description="Rebuilds a year when its raw_folder has a new data version, and nightly at "
    "02:00 Asia/Shanghai what changed since (each asset's automation condition).",
)

build_notice = dg.define_asset_job(
    "build_notice",
    selection=dg.AssetSelection.assets("weekly_notice"),
    description="The submission notice of one week (week partition, keyed by its Monday).",
)
build_rollup_notice = dg.define_asset_job(
    "build_rollup_notice",
    selection=dg.AssetSelection.assets("rollup_weekly_notice"),
    description="A roll-up folder's notices of one week: every district's and the one over all districts.",
)
send_reminders = dg.define_asset_job(
    "send_reminders",
    selection=dg.AssetSelection.assets("reminders"),
    description="催报: remind the week's units still missing on each configured channel (each once a week and channel).",
)

sensors = [raw_folder_sensor, rebuild_on_new_data, weekly_notices]
jobs = [build_year, build_district_year, build_province_year, build_rollup, build_notice, build_rollup_notice, send_reminders]
