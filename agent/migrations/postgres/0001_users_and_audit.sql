-- Users and the audit log: the seed's two core tables, with UUIDv7 ids and RFC 3339 UTC timestamps as text
-- (identical on SQLite and PostgreSQL, so the store's queries are written once).
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT,
    full_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'steward', 'admin')),
    disabled      BIGINT NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE audit_logs (
    id          TEXT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    username    TEXT,
    action      TEXT NOT NULL,
    resource    TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL,
    ip_address  TEXT,
    request_id  TEXT
);

CREATE INDEX audit_logs_occurred_at ON audit_logs (occurred_at);
CREATE INDEX audit_logs_user_id ON audit_logs (user_id, occurred_at);
CREATE INDEX audit_logs_action ON audit_logs (action, occurred_at);
