-- Per dataset of one year: files and rows read, and where every row went
-- (counted in its table, rejected, dropped as a duplicate, or a layout row).
with
    -- one select per input table: warehouse/reads.py writes them from the contract
    counted as ({counted}),
    files as (
        select dataset, count(distinct file) filter (where not coalesce(skipped, false)) as files,
            sum(rows_read) as rows_read
        from source_files where year = $year group by dataset
    ),
    rejected as (select dataset, count(*) as n from rejects where year = $year group by dataset),
    repeated as (select dataset, count(*) as n from duplicates where year = $year group by dataset),
    layout as (select dataset, count(*) as n from layout_rows where year = $year group by dataset)
select
    counted.dataset,
    coalesce(files.files, 0) as files,
    coalesce(files.rows_read, 0) as rows_read,
    counted.n as counted,
    coalesce(rejected.n, 0) as rejected,
    coalesce(repeated.n, 0) as duplicates,
    coalesce(layout.n, 0) as layout
from counted
left join files using (dataset)
left join rejected using (dataset)
left join repeated using (dataset)
left join layout using (dataset)
