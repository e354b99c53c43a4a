-- The intake portal's accounts file (PIPELINE_ACCOUNTS). Passwords only as salted scrypt hashes.
create table if not exists accounts (
    name text primary key, office integer not null, salt blob not null, hash blob not null,
    created text not null, changed text not null
);
-- wrong passwords in a row per name signed in with (whether or not an account has it), and
-- until when sign-in for it is refused
create table if not exists attempts (
    name text primary key, failures integer not null, locked_until real not null
);
-- a signed-in browser: the SHA-256 of its cookie's token, its account, its forms' CSRF token
create table if not exists sessions (
    token_sha256 text primary key, account text not null, csrf text not null, expires real not null
);
