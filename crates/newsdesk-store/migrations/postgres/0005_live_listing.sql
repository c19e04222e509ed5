-- Indexes for an archive of 100,000 stories and more.
--
-- Each node lists every live story with its change stamp whenever the site changes (its related
-- and search indexes follow them). Status, time and stamp in one index answer that from the
-- index alone, without reading a story's row with its body.
CREATE INDEX articles_live_stamps ON articles (status, published_at, updated_at);
-- Lists of live stories newest first (home page, feeds, the API) walk this index from the top
-- and stop after a page, instead of sorting every live story; status in the index lets the
-- walk skip drafts without reading their rows.
CREATE INDEX articles_by_time ON articles (published_at DESC, status);
