-- The figures a build stated for one year, as (key, JSON value).
select key, value from figures where year = $year
