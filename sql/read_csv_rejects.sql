-- Lines of the last scan that DuckDB could not split, one row per line: the number of
-- cells when the line had too many, otherwise DuckDB's own error.
select
    line::bigint as "row",
    max(column_idx) filter (where error_type = 'TOO MANY COLUMNS')::bigint as cells,
    any_value(split_part(error_message, chr(10), 1)) as error,
    any_value(csv_line) as raw
from reject_errors
group by line
order by line
