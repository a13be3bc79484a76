-- An organisation's version, raised by every save: a form saved from an
-- older version is refused (409) instead of overwriting someone else's
-- change (review 3, N5).
ALTER TABLE organisation ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
