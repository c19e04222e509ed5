-- Reader comments, votes, flags, debate polls and reader-proposed questions (SQLite).

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES comments (id),
    -- The thread's top-level comment (its own id for a top-level one), so a page of threads
    -- loads its replies with one indexed query.
    root_id BIGINT NOT NULL,
    depth BIGINT NOT NULL,
    question_id BIGINT,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    email TEXT,
    notify_replies BIGINT NOT NULL DEFAULT 0,
    reader_id TEXT NOT NULL,
    ip TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    upvotes BIGINT NOT NULL DEFAULT 0,
    downvotes BIGINT NOT NULL DEFAULT 0,
    -- upvotes - downvotes, kept so "best first" pages come from an index.
    score BIGINT NOT NULL DEFAULT 0,
    flags BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
-- A page of top-level comments, oldest or newest first, without scanning the whole story.
CREATE INDEX comments_roots_by_time ON comments (article_id, depth, id);
-- The same page, best first: score falling, then oldest first, both read from the index.
CREATE INDEX comments_roots_by_score ON comments (article_id, depth, score DESC, id);
-- The replies of the threads on a page.
CREATE INDEX comments_by_root ON comments (root_id, id);
-- The answers to one debate question.
CREATE INDEX comments_by_question ON comments (question_id, id);
-- The moderators' queues: held, spam, flagged. Partial indexes, so they stay small and no
-- query for a story's thread is tempted to scan the whole table through a status index.
CREATE INDEX comments_held ON comments (id) WHERE status = 'held';
CREATE INDEX comments_spam ON comments (id) WHERE status = 'spam';
CREATE INDEX comments_flagged ON comments (id) WHERE flags > 0;

-- Per story: the count readers see, the top-level comments paging needs, and when the
-- conversation last changed, which every app node polls to refresh its cached pages.
CREATE TABLE threads (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    comments BIGINT NOT NULL DEFAULT 0,
    roots BIGINT NOT NULL DEFAULT 0,
    changed_at BIGINT NOT NULL
);
-- "Which conversations changed since my last look?"
CREATE INDEX threads_by_change ON threads (changed_at);

-- One vote per reader per comment.
CREATE TABLE comment_votes (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    value BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);

-- One flag per reader per comment.
CREATE TABLE comment_flags (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);

-- One poll answer per reader per debate question.
CREATE TABLE poll_votes (
    question_id BIGINT NOT NULL REFERENCES debate_questions (id) ON DELETE CASCADE,
    reader_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, reader_id)
);

-- Questions readers propose; they wait for a moderator.
CREATE TABLE question_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    name TEXT NOT NULL,
    reader_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
-- The moderators' list of pending proposals.
CREATE INDEX question_proposals_by_status ON question_proposals (status, id);

-- Secrets every app node shares, such as the key that signs reader cookies.
CREATE TABLE site_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
