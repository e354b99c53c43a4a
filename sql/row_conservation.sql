-- One dataset of one year: rows read from its files, and rows accounted for
-- (counted in {table}, rejected, dropped as duplicates, or layout rows).
select
    (select coalesce(sum(rows_read), 0) from source_files where dataset = $dataset and year = $year) as rows_read,
    (select count(*) from {table} where year = $year)
        + (select count(*) from rejects where dataset = $dataset and year = $year)
        + (select count(*) from duplicates where dataset = $dataset and year = $year)
        + (select count(*) from layout_rows where dataset = $dataset and year = $year) as accounted
