-- Per year: rows read from the files of one dataset, and rows accounted for
-- (counted in {table}, rejected, or dropped as duplicates).
with
    read as (
        select year, sum(rows_read) as rows_read from source_files where dataset = $dataset group by year
    ),
    counted as (select year, count(*) as n from {table} group by year),
    rejected as (select year, count(*) as n from rejects where dataset = $dataset group by year),
    repeated as (select year, count(*) as n from duplicates where dataset = $dataset group by year)
select
    read.year,
    read.rows_read,
    coalesce(counted.n, 0) + coalesce(rejected.n, 0) + coalesce(repeated.n, 0) as accounted
from read
left join counted using (year)
left join rejected using (year)
left join repeated using (year)
order by read.year
