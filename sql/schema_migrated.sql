-- the migrations of sql/split_sheet.sql are done: they never run again
insert into schema_migrations (name) select 'sheet' where not exists (select 1 from schema_migrations where name = 'sheet');
