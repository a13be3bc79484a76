-- A consultation round's version, raised by every save: a round form saved
-- from an older version is refused (409) instead of overwriting someone
-- else's change (review 3, N5).
ALTER TABLE consultation ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
