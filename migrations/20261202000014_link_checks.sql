-- The link checker (issue 20): every external link of every published
-- resource and content page, what answered when it was last checked, and the
-- history of its checks; and the editors' opt-in to the e-mail digest.
--
-- Choices worth knowing:
-- * One row per distinct URL in `link`, however many places use it, so a
--   URL used by fifty resources is requested once per run. Where it is used
--   lives in `link_use`, rebuilt from the content at the start of every run
--   (the content is the truth; these rows are only an index of it).
-- * `status` is the last check's class; `broken` is the conclusion, set only
--   when the link has failed on at least two checks whose times lie the
--   configured minimum gap apart (a few hours by default), so one blip at a
--   site never alarms anyone. `first_failure_at` starts the current streak
--   of failures and is cleared by the first success.
-- * `link_check` keeps each check (history for "since when, what answered");
--   old rows are pruned by the checker.
-- * `link_check_run` records each run, and doubles as the lock that keeps
--   two runs (the timer, "Sjekk nå", the CLI) from checking at once.
-- * Times are ISO 8601 UTC text, as elsewhere.

CREATE TABLE link (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    -- host[:port], the unit of politeness: one request at a time per host.
    host             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'unchecked' CHECK (status IN (
                         'unchecked', 'ok', 'redirect', 'client-error',
                         'server-error', 'timeout', 'network')),
    http_code        INTEGER,
    -- For a permanent redirect: the target of the first permanent hop.
    final_url        TEXT,
    -- What answered, in a few words (e.g. "404 Not Found", "tidsavbrudd").
    detail           TEXT NOT NULL DEFAULT '',
    first_failure_at TEXT,
    -- Failing checks in the current streak.
    failures         INTEGER NOT NULL DEFAULT 0,
    broken           INTEGER NOT NULL DEFAULT 0 CHECK (broken IN (0, 1)),
    last_checked_at  TEXT,
    first_seen_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX link_by_status ON link (broken DESC, status);

-- Where a link is used: a resource (its body or its link list) or a content
-- page (its body). Exactly one of the two is set.
CREATE TABLE link_use (
    link_id     INTEGER NOT NULL REFERENCES link (id) ON DELETE CASCADE,
    resource_id INTEGER REFERENCES resource (id) ON DELETE CASCADE,
    page_id     INTEGER REFERENCES page (id) ON DELETE CASCADE,
    -- The link text or list label, to recognise it in the editor.
    label       TEXT NOT NULL DEFAULT '',
    CHECK ((resource_id IS NULL) <> (page_id IS NULL))
);

CREATE INDEX link_use_by_link ON link_use (link_id);
CREATE INDEX link_use_by_resource ON link_use (resource_id);

CREATE TABLE link_check (
    id         INTEGER PRIMARY KEY,
    link_id    INTEGER NOT NULL REFERENCES link (id) ON DELETE CASCADE,
    checked_at TEXT NOT NULL,
    status     TEXT NOT NULL,
    http_code  INTEGER,
    final_url  TEXT,
    detail     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX link_check_by_link ON link_check (link_id, checked_at DESC);

CREATE TABLE link_check_run (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at   TEXT,
    -- 'timer', 'editor' or 'cli'.
    trigger       TEXT NOT NULL,
    links_checked INTEGER NOT NULL DEFAULT 0
);

-- The e-mail digest is opt-in per editor: an address only an editor gives,
-- used for nothing else, and cleared when they opt out.
ALTER TABLE account ADD COLUMN digest_email TEXT;
-- When this editor's last digest period ended (a digest went out, or there
-- was nothing to report): the next digest counts what came after.
ALTER TABLE account ADD COLUMN digest_sent_at TEXT;
