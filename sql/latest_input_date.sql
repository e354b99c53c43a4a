-- The latest date in a year's accepted inputs: the default as-of date. {dated} is one
-- `select date from <table> where year = $year` per dated input table (warehouse/reads.py).
select max(date) as latest
from ({dated})
