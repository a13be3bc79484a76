-- A second factor for editors and administrators (review 3, N11).
--
-- * `account.totp_secret`: the TOTP secret (RFC 6238, SHA-1, 6 digits,
--   30 s) in base32, NULL while the account has no factor. It has to be
--   readable to check a code; whoever can read this file is out of scope
--   (SECURITY.md), and such a reader also gets the sessions and hashes.
-- * `account.totp_last_step`: the last time step whose code was accepted.
--   A code is accepted only for a later step, so each code works once, and
--   the update that records it (`… AND totp_last_step < ?`) settles a race
--   between two requests with the same code.
-- * `recovery_code`: ten single-use codes per account, only their SHA-256.
--   They are 60 random bits each, not chosen by a person, so a slow hash
--   buys nothing (and whoever has this table has the secret beside it); a
--   used code is deleted.
-- * `session.stage`: `full` is a signed-in session; `code` has passed the
--   password and waits for a code; `setup` is an administrator without a
--   factor who must set one up before anything else. Only `full` sessions
--   count for `auth::session_user`. Existing sessions stay `full`
--   (administrators among them are still held back until they have a
--   factor: `session_user` checks that too).
ALTER TABLE account ADD COLUMN totp_secret TEXT;
ALTER TABLE account ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_code (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    PRIMARY KEY (account_id, code_hash)
) WITHOUT ROWID;

ALTER TABLE session ADD COLUMN stage TEXT NOT NULL DEFAULT 'full'
    CHECK (stage IN ('full', 'code', 'setup'));
