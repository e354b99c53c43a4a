-- The headline figures counted straight from the warehouse tables, to check figures.json.
with period as (select as_of from report_period where year = $year)
select
    (select count(*) from dynamics, period where year = $year and kind = '动态' and date <= as_of) as dynamics_total,
    (select count(*) from dynamics, period where year = $year and kind = '信息' and date <= as_of) as info_total,
    (select coalesce(sum(count), 0) from media, period where year = $year and date <= as_of) as media_articles_total,
    (select count(*) from meetings, period where year = $year and date <= as_of) as meetings_total,
    (select count(*) from tasks where year = $year and kind = '重点工作') as key_tasks_total,
    (select count(distinct area) from tasks where year = $year and kind = '重点工作') as key_task_areas,
    (select count(*) from tasks where year = $year and kind = '重大改革') as reforms_total,
    (select count(distinct area) from tasks where year = $year and kind = '重大改革') as reform_areas,
    (select count(*) from achievements, period where year = $year and kind = '标志性成果' and date <= as_of) as landmarks_total,
    (select count(*) from rejects where year = $year) as rows_rejected
