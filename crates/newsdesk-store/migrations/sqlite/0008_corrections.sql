-- The public corrections page: stories whose log of corrections and updates is not empty,
-- most recently changed first, without reading every story.
CREATE INDEX articles_corrected ON articles (updated_at DESC, id DESC) WHERE corrections <> '[]';
