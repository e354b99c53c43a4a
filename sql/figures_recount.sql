-- The headline figures counted straight from the warehouse tables, to check figures.json.
with
    period as (select as_of from report_period where year = $year),
    -- the task list as of the period: the latest snapshot on or before it, else the undated list
    snapshot as (select max(snapshot) as day from tasks, period where year = $year and snapshot <= as_of),
    tasks_then as (
        select tasks.* from tasks, snapshot
        where year = $year and snapshot is not distinct from snapshot.day
    )
select
    (select count(*) from dynamics, period where year = $year and kind = '动态' and date <= as_of) as dynamics_total,
    (select count(*) from dynamics, period where year = $year and kind = '信息' and date <= as_of) as info_total,
    (select coalesce(sum(count), 0) from media, period where year = $year and date <= as_of) as media_articles_total,
    (select count(*) from meetings, period where year = $year and date <= as_of) as meetings_total,
    (select count(*) from tasks_then where kind = '重点工作') as key_tasks_total,
    (select count(distinct area) from tasks_then where kind = '重点工作') as key_task_areas,
    (select count(*) from tasks_then where kind = '重大改革') as reforms_total,
    (select count(distinct area) from tasks_then where kind = '重大改革') as reform_areas,
    (select count(*) from achievements, period where year = $year and kind = '标志性成果' and date <= as_of) as landmarks_total,
    (select count(*) from rejects where year = $year) as rows_rejected
