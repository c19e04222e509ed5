-- People in the newsroom: profiles shown on author pages, accounts an admin can deactivate,
-- and an optional second factor (a TOTP secret, base32).
ALTER TABLE users ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN picture TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN author_slug TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
-- The last time step whose code signed in: a code is taken once (RFC 6238, 5.2).
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
-- An author page finds its person by the slug of their byline name; a byline belongs to one
-- account at most.
CREATE UNIQUE INDEX users_by_author_slug ON users (author_slug) WHERE author_slug <> '';

-- Where each session was started from, so its owner can tell their sessions apart.
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- A token belongs to a person (NULL: made for a system from the command line), may expire,
-- can be revoked, and says when it was last used.
ALTER TABLE api_tokens ADD COLUMN user_id BIGINT REFERENCES users (id);
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
-- A person's tokens are listed on their account page and revoked with the account.
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- One-time links that let an invited person set their password; kept as hashes.
CREATE TABLE account_invites (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
