-- migration of {table}: warehouses made before `sheet` existed named a workbook's other sheets
-- `file#sheet` in `file`; split once, after the first workbook suffix that a `#` follows.
update {table} set file = regexp_extract(file, '^(.*?\.(xlsx|xlsm|xls|ods))#(.+)$', 1, 'i'),
    sheet = regexp_extract(file, '^(.*?\.(xlsx|xlsm|xls|ods))#(.+)$', 3, 'i')
where sheet is null and regexp_matches(file, '^(.*?\.(xlsx|xlsm|xls|ods))#(.+)$', 'i')
    and not exists (select 1 from schema_migrations where name = 'sheet');
