-- An index for archives of 100,000 stories and more: live stories by time, newest first.
--
-- Lists of live stories (home page, feeds, the API) walk it from the top and stop after a
-- page instead of sorting every live story. Status in the index lets the walk skip drafts and
-- count live stories without reading rows, and the revision lets each node list every live
-- story with its revision (which its related and search indexes follow) from the index alone.
CREATE INDEX articles_by_time ON articles (published_at DESC, status, revision);
