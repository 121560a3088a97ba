-- What data stewards curate: descriptions and sensitive marks layered over the warehouse dictionary (an empty
-- column_name is the table itself), and question→SQL pairs offered to the model as examples once verified.
CREATE TABLE catalog_curations (
    table_schema TEXT NOT NULL DEFAULT '',
    table_name   TEXT NOT NULL,
    column_name  TEXT NOT NULL DEFAULT '',
    description  TEXT,
    sensitive    BIGINT NOT NULL DEFAULT 0,
    updated_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (table_schema, table_name, column_name)
);

CREATE TABLE verified_pairs (
    id          TEXT PRIMARY KEY,
    question    TEXT NOT NULL,
    sql_text    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    reviewed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at TEXT
);

CREATE INDEX verified_pairs_status ON verified_pairs (status, created_at);
