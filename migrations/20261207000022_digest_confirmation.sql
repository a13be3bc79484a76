-- Review 3, I-3: an editor could point the weekly digest at any address.
-- A new address now gets a confirmation e-mail first (with a random code;
-- only its SHA-256 is kept here), and digests go only to confirmed
-- addresses. Addresses given before this migration count as confirmed.
ALTER TABLE account ADD COLUMN digest_confirmed INTEGER NOT NULL DEFAULT 1
    CHECK (digest_confirmed IN (0, 1));
ALTER TABLE account ADD COLUMN digest_confirm_hash TEXT;
