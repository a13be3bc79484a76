-- Practice examples' structured facts (issue 27, content review 2 §5, as
-- Participedia's "Start Date / Ongoing"): the years the work began and
-- ended (NULL: not known, or still going on). Status (pågående/avsluttet)
-- is the `praksisstatus` facet; the owner is the resource's organisations.
ALTER TABLE resource ADD COLUMN started INTEGER CHECK (started BETWEEN 1900 AND 2100);
ALTER TABLE resource ADD COLUMN ended INTEGER CHECK (ended BETWEEN 1900 AND 2100);

-- A resource without a region of its own is in its owners' regions, so the
-- catalogue index changes when an organisation's region does.
CREATE TRIGGER organisation_facet_ins AFTER INSERT ON organisation_facet BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER organisation_facet_del AFTER DELETE ON organisation_facet BEGIN UPDATE catalogue_version SET version = version + 1; END;
