-- The counted dynamics a weekly notice reads: every year's rows dated in its span (a week that
-- straddles New Year reads both years), the unit as written.
select unit, date, kind
from dynamics
where date between $first and $last
order by date, unit, file, "row"
