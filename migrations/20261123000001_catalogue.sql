-- The catalogue: resources, organisations and the taxonomy that classifies both.
--
-- Choices worth knowing:
-- * The taxonomy lives in two tables (`facet`, `facet_value`) instead of one
--   column or enum per facet, so editors can add, rename, reorder and retire
--   values without a migration, and the filter UI, detail pages and admin
--   forms all read the same rows. Keys are stable identifiers used in URLs;
--   labels are what people read.
-- * A resource's single "type" is an ordinary facet with `multiple = 0`; the
--   importer and the forms enforce "exactly one".
-- * Dates are ISO 8601 text (SQLite has no date type); `updated_at` changes on
--   every edit, `version` supports optimistic concurrency in the editor forms.
-- * Foreign keys cascade from a resource to its links, so deleting a resource
--   never leaves orphans behind.

CREATE TABLE facet (
    key         TEXT PRIMARY KEY NOT NULL CHECK (key GLOB '[a-z]*' AND length(key) <= 40),
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    multiple    INTEGER NOT NULL DEFAULT 1 CHECK (multiple IN (0, 1)),
    applies_to  TEXT NOT NULL CHECK (applies_to IN ('resource', 'organisation', 'both')),
    position    INTEGER NOT NULL
);

CREATE TABLE facet_value (
    id        INTEGER PRIMARY KEY,
    facet_key TEXT NOT NULL REFERENCES facet (key) ON UPDATE CASCADE,
    key       TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 60),
    label     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    -- A retired value stays linked to old resources but is offered nowhere.
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    UNIQUE (facet_key, key)
);

CREATE TABLE organisation (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT,
    website     TEXT,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE organisation_facet (
    organisation_id INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    facet_value_id  INTEGER NOT NULL REFERENCES facet_value (id) ON DELETE RESTRICT,
    PRIMARY KEY (organisation_id, facet_value_id)
) WITHOUT ROWID;

CREATE TABLE resource (
    id             INTEGER PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- Guidance that is being replaced points at its successor ("erstattes av").
    replaced_by_id INTEGER REFERENCES resource (id) ON DELETE SET NULL,
    last_reviewed  TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE INDEX resource_status_updated ON resource (status, updated_at DESC);

CREATE TABLE resource_facet (
    resource_id    INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    facet_value_id INTEGER NOT NULL REFERENCES facet_value (id) ON DELETE RESTRICT,
    PRIMARY KEY (resource_id, facet_value_id)
) WITHOUT ROWID;

-- The reverse index answers "which resources have this value" for filtering.
CREATE INDEX resource_facet_by_value ON resource_facet (facet_value_id, resource_id);

CREATE TABLE resource_organisation (
    resource_id     INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisation (id) ON DELETE RESTRICT,
    position        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, organisation_id)
) WITHOUT ROWID;

CREATE INDEX resource_organisation_by_org ON resource_organisation (organisation_id, resource_id);

CREATE TABLE resource_link (
    id          INTEGER PRIMARY KEY,
    resource_id INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,
    url         TEXT NOT NULL
);

CREATE INDEX resource_link_by_resource ON resource_link (resource_id, position);

CREATE TABLE resource_relation (
    resource_id INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    related_id  INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, related_id),
    CHECK (resource_id <> related_id)
) WITHOUT ROWID;
