-- Documents attached to a resource as its downloads (issue 29): the
-- resource page lists them under «Nedlastinger» with their type and size.
--
-- An explicit link, chosen by an editor, rather than reading the body for
-- links to /filer/: a download list is a promise to the visitor ("this
-- resource comes with these files"), and a link in the running text is
-- already visible where it stands. Both count as a use: a file attached or
-- linked is not deleted.
--
-- Deleting a resource drops its attachments; deleting a file is refused
-- while it is attached (checked in `db::media::delete`, which names the
-- resources), so the RESTRICT is only the last guard.
CREATE TABLE resource_media (
    resource_id INTEGER NOT NULL REFERENCES resource (id) ON DELETE CASCADE,
    media_id    INTEGER NOT NULL REFERENCES media (id) ON DELETE RESTRICT,
    position    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, media_id)
) WITHOUT ROWID;

CREATE INDEX resource_media_by_media ON resource_media (media_id);
