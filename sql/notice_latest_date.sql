-- The latest date of a year's dynamics rows, counted or nil reports: the notice's default week.
select max(date) as latest
from (
    select date from dynamics where year = $year
    union all select date from nil_reports where year = $year
)
