-- Table grants by role: the name patterns (a JSON array) of the tables a role may query; no row means every table.
-- And one account per case-folded user name, even when two creations race.
CREATE TABLE role_grants (
    role       TEXT PRIMARY KEY CHECK (role IN ('analyst', 'steward')),
    tables     TEXT NOT NULL,
    updated_by TEXT,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX users_username_folded ON users (LOWER(username));
