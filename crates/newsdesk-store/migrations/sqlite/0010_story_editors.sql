-- Who has a story open in the newsroom's editor, so the next person to open it is told who
-- and since when. Rows of people not seen for minutes are simply ignored.
CREATE TABLE story_editors (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    who TEXT NOT NULL,
    since BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, who)
);
