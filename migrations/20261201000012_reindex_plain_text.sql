-- The search index now holds the words a reader sees in a body (link
-- targets and markup left out). Emptying it makes the server rebuild it at
-- start-up (`search::ensure_indexed` compares its row count with the
-- resources').
DELETE FROM resource_fts;
