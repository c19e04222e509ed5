-- The claims of each kept version readers could see, by words and status: a claim's public
-- history is read from these small rows, not from whole revisions, on every render of a story.
CREATE TABLE live_claim_states (
    article_id BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    position BIGINT NOT NULL,
    quote TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (article_id, revision, position),
    FOREIGN KEY (article_id, revision) REFERENCES article_revisions (article_id, revision) ON DELETE CASCADE
);
