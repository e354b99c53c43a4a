-- The first stored portal receipt per unit and week whose rows are dated in `year` (the notice's
-- `late`: received after the week's deadline).
select r.unit as member, w.week as week, min(r.received) as received
from receipts r join receipt_weeks w on w.receipt = r.id
where r.result = 'stored' and r.year = :year
group by r.unit, w.week
order by r.unit, w.week
