-- The illustrations editors choose for the home page and the two entry
-- paths (issue 29), at /redaktor/illustrasjoner: one uploaded image per
-- place, or none (no row). The places are fixed by the pages that show
-- them (`domain::media::PLACES`).
--
-- A file chosen here is in use: deleting it is refused with the place
-- named (`db::media::delete` reads `db::media::uses`), so the RESTRICT is
-- only the last guard.
CREATE TABLE site_illustration (
    place      TEXT PRIMARY KEY NOT NULL,
    media_id   INTEGER NOT NULL REFERENCES media (id) ON DELETE RESTRICT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by TEXT
) WITHOUT ROWID;

CREATE INDEX site_illustration_by_media ON site_illustration (media_id);
