-- Every line of one CSV file as text cells; the header is the first row returned.
-- Rows DuckDB cannot split go to its reject tables (read by read_csv_rejects.sql).
select *
from read_csv(
    $path,
    header = false,
    all_varchar = true,
    null_padding = true,
    store_rejects = true
)
