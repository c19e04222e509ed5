-- Newsroom accounts and their sessions, and what moderators need: bans, per-scope comment
-- modes, the log of their actions, and the spam classifier's counts (SQLite).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Kept lower-case, so logging in does not depend on how the address was typed.
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Whether the user wants the moderation queue by email.
    queue_emails BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Sessions live in the database so every app node knows them. Only a hash of the cookie's
-- value is kept.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
-- Dropping a user's sessions, and expired ones.
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Failed logins per email and per address, for the growing delay.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);

-- Bans by reader cookie, email or IP range (CIDR), each with an optional expiry.
CREATE TABLE bans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
-- The bans in force: every node reloads them each second.
CREATE INDEX bans_by_expiry ON bans (expires_at);

-- How open conversations are: per site, per section, per story.
CREATE TABLE comment_modes (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    mode TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- Every moderation action, who took it and why.
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    comment_id BIGINT,
    detail TEXT NOT NULL
);
-- The log of one comment.
CREATE INDEX moderation_log_by_comment ON moderation_log (comment_id);

-- The classifier that learns from moderators: how often each word was seen in comments
-- they kept (ham) and in those they threw out (spam). Row '' holds the document counts.
CREATE TABLE spam_words (
    word TEXT PRIMARY KEY,
    spam BIGINT NOT NULL DEFAULT 0,
    ham BIGINT NOT NULL DEFAULT 0
);
INSERT INTO spam_words (word, spam, ham) VALUES ('', 0, 0);

-- Emails waiting to go out (reply notifications, queue digests); a crash does not lose them.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    unsubscribe_url TEXT,
    created_at BIGINT NOT NULL,
    claimed_at BIGINT,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
-- The sender's next batch.
CREATE INDEX outbox_pending ON outbox (sent_at, id);

-- Addresses that asked for no more reply emails.
CREATE TABLE email_optouts (
    email TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);

-- A story's published comments newest first (its comments feed), and the counts kept in
-- `threads` when they are made again after a moderation decision.
CREATE INDEX comments_by_article_status ON comments (article_id, status, id);
