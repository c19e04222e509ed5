-- Site pages (About, Contact, Privacy…): plain pages at /{slug}, outside the news flow, edited
-- in the newsroom; those marked for the footer are linked from every page.
CREATE TABLE site_pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published BIGINT NOT NULL DEFAULT 1,
    in_footer BIGINT NOT NULL DEFAULT 1,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);
-- The footer's links, in their order, read on every page render (cached with the page).
CREATE INDEX site_pages_footer ON site_pages (position, id) WHERE published = 1 AND in_footer = 1;

-- What an import brought in, keyed by where it came from (a WordPress site's address, a
-- Disqus forum) and its id there, so the same file imported twice adds nothing and a newer
-- export updates only what changed (the digest is a hash of the item as last imported). An
-- item deleted here since is not brought back.
CREATE TABLE imported_items (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    local_id BIGINT NOT NULL,
    digest TEXT NOT NULL,
    -- The item as the import left it here (a story's revision, a page's change time, a
    -- comment's state): a later import changes it only while it still matches, so what the
    -- newsroom changed since is kept.
    local_stamp TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, kind, external_id)
);

-- A site's old addresses (/2026/05/14/slug/, /?p=12, /category/sport/…) and what each now
-- stands for: a story, a page or a comment by id (so a later change of slug is followed), or
-- a fixed path. Looked up only when no route answers, by the exact normalised path.
CREATE TABLE old_addresses (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    target_id BIGINT,
    target_path TEXT
);

-- A commenter's website, as WordPress and Disqus keep it; shown as a nofollow link.
ALTER TABLE comments ADD COLUMN url TEXT;
-- The comment's number on the site it was imported from, so an old #comment-123 link lands on it.
ALTER TABLE comments ADD COLUMN archive_id TEXT;
-- An old #comment-N link, followed to the imported comment of that story.
CREATE INDEX comments_by_archive_id ON comments (article_id, archive_id) WHERE archive_id IS NOT NULL;
