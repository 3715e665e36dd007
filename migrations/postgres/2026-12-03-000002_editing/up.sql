-- Editing: accounts, tokens, API keys, the article workflow, revisions and the audit log.

-- The article workflow. `status` is the state of the latest revision; `live` says the row and its
-- translations hold a published version (readers see it inside its window). Content that existed
-- before the workflow was published by the seed, so it stays published.
ALTER TABLE articles ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'in_review', 'published', 'archived'));
ALTER TABLE articles ADD COLUMN live BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE articles ADD COLUMN unpublish_at TIMESTAMP;
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE articles SET status = 'published', live = TRUE;
CREATE INDEX articles_live ON articles (live, published_at);

ALTER TABLE categories ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE categories ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE places ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE places ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE units ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE qr_codes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reviewer', 'analyst')),
    unit_id TEXT NOT NULL REFERENCES units (id),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Refresh tokens are stored as SHA-256 of the token. A family is one login; using a token twice
-- (a stolen copy) revokes the whole family.
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL UNIQUE,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);

CREATE TABLE api_key_units (
    api_key_id TEXT NOT NULL REFERENCES api_keys (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (api_key_id, unit_id)
);

-- Every save of an article, in full (content is JSON: slug, category, unit, translations).
CREATE TABLE article_revisions (
    id TEXT PRIMARY KEY NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id),
    number BIGINT NOT NULL,
    version BIGINT NOT NULL,
    author_id TEXT,
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    content TEXT NOT NULL,
    changes TEXT NOT NULL,
    restored_from BIGINT,
    UNIQUE (article_id, number)
);

-- Append-only: the triggers refuse every update and delete, whoever asks.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT,
    unit_id TEXT,
    summary TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (occurred_at, id);
CREATE INDEX audit_log_target ON audit_log (target_id, occurred_at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
