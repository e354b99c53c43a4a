-- The latest date in a year's accepted inputs: the default as-of date.
select max(date) as latest
from (
    select date from dynamics where year = $year
    union all select date from media where year = $year
    union all select date from meetings where year = $year
    union all select date from achievements where year = $year
)
