-- Stories, their tags, authors and debate questions, old slugs, and API tokens (SQLite).
-- Times are milliseconds since the Unix epoch (UTC) in both backends, so one SQL text serves both.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    headline TEXT NOT NULL,
    standfirst TEXT NOT NULL,
    body TEXT NOT NULL,
    section TEXT NOT NULL,
    -- JSON copies of article_tags / article_authors, so loading a story is one row.
    tags TEXT NOT NULL,
    authors TEXT NOT NULL,
    status TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    hero TEXT,
    claims TEXT NOT NULL,
    corrections TEXT NOT NULL,
    owner TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
-- Home page and feeds: live stories newest first.
CREATE INDEX articles_by_status_time ON articles (status, published_at DESC);
-- Section pages: one section's stories newest first.
CREATE INDEX articles_by_section_time ON articles (section, published_at DESC);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
-- Tag pages: the stories of one tag.
CREATE INDEX article_tags_by_tag ON article_tags (tag, article_id);

CREATE TABLE article_authors (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    author_slug TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
-- Author pages: the stories of one author.
CREATE INDEX article_authors_by_slug ON article_authors (author_slug, article_id);

-- Debate questions have their own ids, which comments and polls will point at; an edit that
-- keeps a question's text keeps its id.
CREATE TABLE debate_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL
);
-- Loading a story's questions in order.
CREATE INDEX debate_questions_by_article ON debate_questions (article_id, position);

-- A story's former slugs, so shared links keep working after a slug is edited.
CREATE TABLE slug_redirects (
    old_slug TEXT PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- Only a SHA-256 of each token is kept: a copied database gives no working tokens.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
