-- The visitors' feedback island sends a finished submission through a server
-- function with a key the browser made for it (issue 25). A retry after a
-- dropped connection sends the same key, so the server finds the stored
-- submission and answers with its reference instead of storing it twice.
-- The key goes with its row when the row's retention runs out; submissions
-- from the plain form (no JavaScript) have none.
ALTER TABLE feedback ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX feedback_submission_key ON feedback (submission_key)
  WHERE submission_key IS NOT NULL;
