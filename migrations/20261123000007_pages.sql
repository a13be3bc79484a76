-- Content pages: the site's own texts (why involve users, about, privacy,
-- accessibility …), edited by editors in the app. The set of pages is fixed
-- by the routes that show them; the seed files in content/pages/ fill in any
-- page that is missing at start-up, and never overwrite an edited one.
CREATE TABLE page (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    -- Optimistic concurrency, as for resources: a save names the version it edited.
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT
);

-- Every saved state of a page, so an editor can see what changed and go back.
CREATE TABLE page_version (
    page_id     INTEGER NOT NULL REFERENCES page (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    body        TEXT NOT NULL,
    saved_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    saved_by    TEXT,
    PRIMARY KEY (page_id, version)
) WITHOUT ROWID;
