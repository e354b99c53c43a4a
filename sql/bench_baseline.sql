-- The benchmark's baseline: DuckDB alone reading one table's CSV files into a table.
-- Headers differ between files (Chinese or English names), hence union_by_name; lines
-- with too many cells are skipped (ours keeps them as rejects). {table} comes from our code.
create table {table} as
select *
from read_csv($files, union_by_name = true, ignore_errors = true)
