-- Browsers that have signed in to an account (review 3, N2). When an
-- account's hourly budget of failed sign-ins is spent, only these are let
-- in, so guessing from many addresses cannot lock its editor out.
--
-- As for sessions, the cookie carries a random token and only its SHA-256
-- is stored: the server keeps no signing key, and a row can be revoked
-- (a new password removes the account's devices: the trigger below). Rows
-- older than the cookie's 400 days go when a new device is remembered, and
-- an account keeps its 20 newest.
CREATE TABLE known_device (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL          -- unix seconds
);

CREATE INDEX known_device_by_account ON known_device (account_id, created_at);

-- A new password (set by any route) forgets the browsers the account knew.
CREATE TRIGGER known_device_forget_on_new_password
AFTER UPDATE OF password_hash ON account
WHEN NEW.password_hash IS NOT OLD.password_hash
BEGIN
    DELETE FROM known_device WHERE account_id = NEW.id;
END;
