-- The nil reports (零报告) a weekly notice reads: every year's, dated in its span.
select unit, date
from nil_reports
where date between $first and $last
order by date, unit, file, "row"
