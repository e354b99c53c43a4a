-- Articles per campaign or column (专题) up to the as-of date, largest first.
select theme, sum(count) as articles
from media
where year = $year and date <= $as_of and theme is not null and theme <> ''
group by theme
order by articles desc, theme
