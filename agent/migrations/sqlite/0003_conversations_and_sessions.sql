-- Conversations and their messages, kept server-side per user; revoked session tokens (logout) until they expire;
-- the minimum issue time of a user's tokens (a password change or a disable ends every earlier session).
CREATE TABLE conversations (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX conversations_user ON conversations (user_id, updated_at);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content         TEXT NOT NULL,
    sql_text        TEXT,
    row_count       BIGINT,
    tables          TEXT NOT NULL DEFAULT '[]',
    error           TEXT,
    feedback        TEXT,
    feedback_note   TEXT,
    created_at      TEXT NOT NULL
);

CREATE INDEX messages_conversation ON messages (conversation_id, created_at);

CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

ALTER TABLE users ADD COLUMN tokens_valid_after BIGINT NOT NULL DEFAULT 0;
