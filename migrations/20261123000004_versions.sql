-- Earlier versions of resources, so editors can see and restore them.
-- Each row is a JSON snapshot of the resource as it was saved (fields,
-- facet values, organisations, links, related), written in the same
-- transaction as the change itself.

CREATE TABLE resource_version (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
    account_id  INTEGER REFERENCES account (id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (resource_id, version)
);
