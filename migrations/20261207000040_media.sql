-- Pictures and documents editors upload (issue 29).
--
-- Kept in the database, not beside it: the nightly backup (VACUUM INTO),
-- `backup` and `restore` carry them without a second mechanism, a restore is
-- still one file, and an upload is one transaction (the file, its variants
-- and the audit entry are stored together or not at all). The cost is the
-- backup's size, which grows by what is stored (the site total is capped by
-- BLI_MEDIA_QUOTA_MB), and a little page-cache pressure in SQLite; files are
-- read by primary key and served with a year's `immutable`, so each is read
-- from the database rarely.
--
-- `hash` (the first 16 hex digits of the SHA-256 of the uploaded bytes) is
-- the public name: `/filer/<hash>-<width>.jpg`, `/filer/<hash>/<name>.pdf`.
-- The same file uploaded twice is one row.
CREATE TABLE media (
    id             INTEGER PRIMARY KEY,
    hash           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('image', 'document')),
    -- What the content is (decided from its bytes): jpeg png webp pdf docx odt xlsx.
    format         TEXT NOT NULL,
    -- The original file name, sanitised (no path, no control characters).
    name           TEXT NOT NULL,
    -- Images: the text alternative; '' only when `decorative`.
    alt            TEXT NOT NULL DEFAULT '',
    decorative     INTEGER NOT NULL DEFAULT 0 CHECK (decorative IN (0, 1)),
    -- Images: the largest stored variant's size in pixels.
    width          INTEGER,
    height         INTEGER,
    -- Bytes stored (every variant): what counts against the site's total.
    bytes          INTEGER NOT NULL,
    original_bytes INTEGER NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- The bytes served: a document once (width 0), an image once per width.
-- A rowid table: SQLite keeps large blobs in overflow pages either way, and
-- WITHOUT ROWID is meant for small rows.
CREATE TABLE media_blob (
    id           INTEGER PRIMARY KEY,
    media_id     INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width        INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL,
    UNIQUE (media_id, width)
);
