-- Code labels stewards write: they win over the code lists of the documents, and survive every re-index.
CREATE TABLE catalog_codes (
    table_schema TEXT NOT NULL DEFAULT '',
    table_name   TEXT NOT NULL,
    column_name  TEXT NOT NULL,
    code         TEXT NOT NULL,
    label        TEXT NOT NULL,
    updated_by   TEXT REFERENCES users (id) ON DELETE SET NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (table_schema, table_name, column_name, code)
);
