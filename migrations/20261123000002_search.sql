-- Search and the catalogue's change counter.
--
-- * `resource_fts` holds each resource's text already analysed in Rust
--   (lower-cased, Norwegian Snowball stems, one space between tokens), so
--   FTS5 only needs to split on spaces. Doing the stemming in Rust keeps one
--   analyser for indexing, querying and highlighting. `remove_diacritics 0`
--   keeps æ, ø and å distinct letters (på is not pa).
--   rowid = resource.id. The application writes it; nothing else should.
-- * `synonym_group` is the one editable list of words that mean the same
--   in this field (brukermedvirkning ≈ brukerinvolvering …).
-- * `catalogue_version` is bumped by triggers on every change that affects
--   browsing, so the in-memory facet index (db/index.rs) knows when to
--   rebuild, even when another process (the import CLI) made the change.

CREATE VIRTUAL TABLE resource_fts USING fts5 (
    title, summary, body, organisations,
    tokenize = "unicode61 remove_diacritics 0"
);

CREATE TABLE synonym_group (
    id       INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    -- A JSON array of words or short phrases, as editors write them.
    terms    TEXT NOT NULL CHECK (json_valid(terms) AND json_type(terms) = 'array')
);

CREATE TABLE catalogue_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE TRIGGER resource_ins AFTER INSERT ON resource BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_upd AFTER UPDATE ON resource BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_del AFTER DELETE ON resource BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_facet_ins AFTER INSERT ON resource_facet BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_facet_del AFTER DELETE ON resource_facet BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_org_ins AFTER INSERT ON resource_organisation BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER resource_org_del AFTER DELETE ON resource_organisation BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER facet_upd AFTER UPDATE ON facet BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER facet_value_ins AFTER INSERT ON facet_value BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER facet_value_upd AFTER UPDATE ON facet_value BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER facet_value_del AFTER DELETE ON facet_value BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER organisation_upd AFTER UPDATE ON organisation BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER synonym_ins AFTER INSERT ON synonym_group BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER synonym_upd AFTER UPDATE ON synonym_group BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER synonym_del AFTER DELETE ON synonym_group BEGIN UPDATE catalogue_version SET version = version + 1; END;
