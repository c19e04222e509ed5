-- Who changed each story last, for the newsroom's list of stories ("changed by … at …").
ALTER TABLE articles ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
UPDATE articles SET updated_by = owner;
-- The newsroom's list of stories: most recently changed first.
CREATE INDEX articles_by_change ON articles (updated_at DESC, id DESC);
