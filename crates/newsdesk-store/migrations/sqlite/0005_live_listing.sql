-- Indexes for archives of 100,000 stories and more.
--
-- Live stories by time, newest first. Lists of live stories (home page, feeds, the API) walk
-- it from the top and stop after a page instead of sorting every live story. Status in the
-- index lets the walk skip drafts and count live stories without reading rows, and the revision
-- lets each node list every live story with its revision (which its related and search indexes
-- follow) from the index alone.
CREATE INDEX articles_by_time ON articles (published_at DESC, status, revision);
-- One section's stories newest first, now with their status: a section page and its count,
-- and the list of sections with their story counts that every page shows, are read from the
-- index without touching a row.
DROP INDEX articles_by_section_time;
CREATE INDEX articles_by_section_time ON articles (section, published_at DESC, status);
