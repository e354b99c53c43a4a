-- The dynamics files a weekly notice was read from (its manifest): those of the years its span touches.
select file, sheet, dataset, sha256, encoding, rows_read, error
from source_files
where dataset = 'dynamics' and year between $first_year and $last_year
order by file, sheet nulls first
