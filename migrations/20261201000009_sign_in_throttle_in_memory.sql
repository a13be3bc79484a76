-- Sign-in throttling moves into the server's memory (`app::auth::throttle`):
-- attempts are reserved under one lock before the password is checked, and
-- the keys are hashes keyed with a secret that never leaves the process.
-- The old rows were unsalted SHA-256 of client addresses and of user names
-- as typed (sometimes a password typed into the wrong field), easy to
-- reverse and kept in every backup; they go with the table.
DROP INDEX IF EXISTS login_failure_by_key;
DROP TABLE IF EXISTS login_failure;
