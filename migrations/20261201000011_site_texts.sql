-- The site's own short texts (entry path introductions, the guidance under
-- each step and level, the guide's step explanations), edited by editors at
-- /redaktor/tekster. The set of keys is fixed by the pages that show them
-- (app/src/texts.rs); content/texts.toml fills in any that are missing at
-- start-up and never overwrites an edited one.
CREATE TABLE site_text (
    key        TEXT PRIMARY KEY NOT NULL,
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by TEXT
) WITHOUT ROWID;
