-- A review date is a fact: "sist kontrollert" is shown only with the public
-- source the text was checked against. Both columns are set together with
-- `last_reviewed` or not at all (the importer and the editors' form check
-- it); a resource without them shows that it is not yet checked.
ALTER TABLE resource ADD COLUMN reviewed_source_label TEXT;
ALTER TABLE resource ADD COLUMN reviewed_source_url TEXT;

-- Dates written before this rule carried no source, so they are not facts
-- anyone can check: they go, and those resources show "ikke kontrollert".
UPDATE resource SET last_reviewed = NULL WHERE last_reviewed IS NOT NULL;
