-- Consultation rounds (innspillsrunder): editors publish open questions with
-- a closing date; visitors answer some or all of them anonymously.
-- Answers carry `delete_after` like other feedback.

CREATE TABLE consultation (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    intro      TEXT NOT NULL DEFAULT '',
    -- The last day answers are taken (ISO date, inclusive).
    closes_on  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE consultation_question (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    text            TEXT NOT NULL
);

CREATE INDEX consultation_question_by_round ON consultation_question (consultation_id, position);

-- One visitor's submission; its answers hang off it.
CREATE TABLE consultation_response (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultation (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    delete_after    TEXT NOT NULL
);

CREATE TABLE consultation_answer (
    response_id INTEGER NOT NULL REFERENCES consultation_response (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES consultation_question (id) ON DELETE CASCADE,
    answer      TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
) WITHOUT ROWID;

CREATE INDEX consultation_answer_by_question ON consultation_answer (question_id);
