-- The warehouse's bookkeeping and metrics tables (the input tables' DDL is made from the contract's
-- columns: pipeline/warehouse/schema.py). Every table holds all years; a build replaces one year's slice.
-- Every table with `file` (the path from the raw folder) has `sheet` beside it: the sheet of a
-- workbook's rows, null for a text file and for a workbook's first sheet.
-- source_files: one row per file (and per sheet after a workbook's first) under the year
-- folder, and per folder or raw-folder entry that is not read; `error` says why one was not
-- used, `skipped` marks expected clutter (hidden and lock files, files of no table, links,
-- instruction sheets) as against table data that could not be used.
create table if not exists source_files (
    year integer, dataset varchar, file varchar, sheet varchar, sha256 varchar, encoding varchar,
    rows_read bigint, error varchar, skipped boolean
);
-- migration: warehouses made before `skipped` existed
alter table source_files add column if not exists skipped boolean;
create table if not exists rejects (
    year integer, dataset varchar, file varchar, sheet varchar, "row" bigint, reason varchar, raw varchar
);
create table if not exists duplicates (
    year integer, dataset varchar, file varchar, sheet varchar, "row" bigint, duplicate_of varchar
);
-- layout_rows: totals, sign-offs, notes and empty template rows: neither counted nor rejected
create table if not exists layout_rows (
    year integer, dataset varchar, file varchar, sheet varchar, "row" bigint, kind varchar, text varchar
);
-- nil_reports: the dynamics rows that say a unit had nothing that week (零报告; a title such
-- as 本周无动态), each also a layout row of kind 零报告: they count as reporting, never as a dynamic
create table if not exists nil_reports (
    year integer, file varchar, sheet varchar, "row" bigint, date date, unit varchar
);
create table if not exists warnings (
    year integer, dataset varchar, file varchar, sheet varchar, "row" bigint, reason varchar
);
-- migration: warehouses made before `sheet` existed named a workbook's other sheets
-- `file#sheet` in `file`. Those are split once (schema_migrations records it), after the first
-- workbook suffix that a `#` follows (sql/split_sheet.sql, for every table with `sheet`); since
-- then a `#` in `file` is part of a file's name.
create table if not exists schema_migrations (name varchar);
alter table source_files add column if not exists sheet varchar;
alter table rejects add column if not exists sheet varchar;
alter table duplicates add column if not exists sheet varchar;
alter table layout_rows add column if not exists sheet varchar;
alter table nil_reports add column if not exists sheet varchar;
alter table warnings add column if not exists sheet varchar;
create table if not exists report_period (year integer, as_of date);
create table if not exists dynamics_weekly (
    year integer, week date, area varchar, kind varchar, items bigint, cumulative_kind bigint
);
create table if not exists media_monthly (year integer, month integer, level varchar, articles bigint);
create table if not exists figures (year integer, key varchar, value varchar);
