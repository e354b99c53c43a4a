-- Every line of several CSV files that share their first line, as text cells, each row naming
-- its file in `filename`, in file order. No reject tables: a line DuckDB cannot split fails
-- the whole scan, and the files are then read one by one (read_csv_cells.sql).
select *
from read_csv(
    $paths,
    header = false,
    all_varchar = true,
    null_padding = true,
    filename = true
)
