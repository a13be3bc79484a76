-- Editor accounts, sessions, sign-in throttling and the audit log.
--
-- * Passwords are stored only as argon2id PHC strings.
-- * A session cookie carries a random token; the table stores only its
--   SHA-256, so a copy of the database cannot be used to sign in.
-- * `login_failure` rows are keyed by a hash (of the user name as typed, or
--   of the client address), never the raw address; old rows are pruned.
-- * The audit log is append-only from the application's side.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,  -- unix seconds
    last_seen  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX session_by_account ON session (account_id);

CREATE TABLE login_failure (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL          -- unix seconds
);

CREATE INDEX login_failure_by_key ON login_failure (key, at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,    -- the user name at the time, kept if the account goes
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    summary     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_by_time ON audit_log (at DESC);
