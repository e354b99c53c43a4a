-- The warehouse. Every table holds all years; a build replaces one year's slice.
-- source_files: one row per file (and per sheet after a workbook's first) under the year
-- folder; `error` says why one was not used, `skipped` marks expected clutter (hidden and
-- lock files, files of no table, instruction sheets) as against a table file that failed.
create table if not exists source_files (
    year integer, dataset varchar, file varchar, sha256 varchar, encoding varchar,
    rows_read bigint, error varchar, skipped boolean
);
-- migration: warehouses made before `skipped` existed
alter table source_files add column if not exists skipped boolean;
create table if not exists rejects (
    year integer, dataset varchar, file varchar, "row" bigint, reason varchar, raw varchar
);
create table if not exists duplicates (
    year integer, dataset varchar, file varchar, "row" bigint, duplicate_of varchar
);
-- layout_rows: totals, sign-offs, notes and empty template rows: neither counted nor rejected
create table if not exists layout_rows (
    year integer, dataset varchar, file varchar, "row" bigint, kind varchar, text varchar
);
-- nil_reports: the dynamics rows that say a unit had nothing that week (零报告; a title such
-- as 本周无动态), each also a layout row of kind 零报告: they count as reporting, never as a dynamic
create table if not exists nil_reports (
    year integer, file varchar, "row" bigint, date date, unit varchar
);
create table if not exists warnings (
    year integer, dataset varchar, file varchar, "row" bigint, reason varchar
);
create table if not exists dynamics (
    year integer, file varchar, "row" bigint, date date, unit varchar, area varchar,
    title varchar, kind varchar, summary varchar
);
create table if not exists media (
    year integer, file varchar, "row" bigint, date date, outlet varchar, level varchar,
    count bigint, theme varchar
);
create table if not exists meetings (
    year integer, file varchar, "row" bigint, date date, name varchar, kind varchar
);
-- tasks: `snapshot` is the date the statuses were reported as of (截至日期, or the date in the
-- file's name); null for an undated list, which holds the current statuses
create table if not exists tasks (
    year integer, file varchar, "row" bigint, id varchar, kind varchar, area varchar,
    name varchar, lead_unit varchar, status varchar, snapshot date
);
alter table tasks add column if not exists snapshot date;
create table if not exists achievements (
    year integer, file varchar, "row" bigint, date date, name varchar, kind varchar,
    level varchar, unit varchar, area varchar
);
create table if not exists report_period (year integer, as_of date);
create table if not exists dynamics_weekly (
    year integer, week date, area varchar, kind varchar, items bigint, cumulative_kind bigint
);
create table if not exists media_monthly (year integer, month integer, level varchar, articles bigint);
create table if not exists figures (year integer, key varchar, value varchar);
