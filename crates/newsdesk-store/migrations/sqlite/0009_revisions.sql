-- Every save of a story, whole, so the newsroom can compare any two and restore one. Written
-- in the same transaction as the save; removed with the story.
CREATE TABLE article_revisions (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    saved_at BIGINT NOT NULL,
    saved_by TEXT NOT NULL,
    -- The story's fields as JSON (newsdesk_core::revision::Snapshot).
    snapshot TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
);
