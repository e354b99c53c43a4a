-- The intake portal's receipts (receipts.db beside the accounts file): one per upload, stored
-- or refused, and the weeks a stored upload's rows are dated in.
create table if not exists receipts (
    id integer primary key autoincrement,
    received text not null,          -- ISO date-time, Asia/Shanghai
    account text not null, unit text, address text not null,
    original_name text not null,     -- as the browser sent it; never used as a path
    sha256 text not null, size integer not null,
    result text not null,            -- stored | refused
    year integer, week text, file text,  -- file: relative to the raw folder, when stored
    rows_read integer not null, rows_counted integer not null, rows_rejected integer not null,
    problems text not null           -- JSON list of {row, reason}
);
create table if not exists receipt_weeks (
    receipt integer not null references receipts (id), week text not null, primary key (receipt, week)
);
