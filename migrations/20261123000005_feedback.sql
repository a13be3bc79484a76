-- Visitors' feedback, the editors' inbox, and "Var denne siden nyttig?".
--
-- Privacy: feedback is anonymous unless the visitor gives a name or an
-- e-mail address (the address only with consent to be contacted). Every row
-- carries `delete_after`; the server deletes expired rows automatically.
-- No IP address or user agent is stored anywhere: rate limiting keeps a
-- keyed hash in memory only.

CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY,
    -- What the visitor gets on the receipt, e.g. "TB-4K7Q-M2XD".
    reference    TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('forslag', 'feil', 'innspill', 'annet')),
    title        TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    -- Facet value keys, comma-separated (nivaa and malgruppe).
    levels       TEXT NOT NULL DEFAULT '',
    audiences    TEXT NOT NULL DEFAULT '',
    topic        TEXT NOT NULL DEFAULT '',
    page         TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    consent      INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'ny' CHECK (status IN ('ny', 'under-arbeid', 'ferdig', 'forkastet')),
    -- The draft resource made from a suggestion, if any.
    resource_id  INTEGER REFERENCES resource (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    delete_after TEXT NOT NULL
);

CREATE INDEX feedback_by_time ON feedback (created_at DESC);
CREATE INDEX feedback_by_expiry ON feedback (delete_after);

-- Notes and status changes in the inbox: who, when, what.
CREATE TABLE feedback_event (
    id          INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,
    status      TEXT,
    note        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX feedback_event_by_feedback ON feedback_event (feedback_id, id);

-- "Var denne siden nyttig?": counts per page and day, nothing per visitor.
CREATE TABLE page_helpful (
    path TEXT NOT NULL,
    day  TEXT NOT NULL,
    yes  INTEGER NOT NULL DEFAULT 0,
    no   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (path, day)
) WITHOUT ROWID;

-- The optional "Hva manglet?" after a "Nei".
CREATE TABLE page_helpful_comment (
    id           INTEGER PRIMARY KEY,
    path         TEXT NOT NULL,
    comment      TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    delete_after TEXT NOT NULL
);

CREATE INDEX page_helpful_comment_by_path ON page_helpful_comment (path, id);
