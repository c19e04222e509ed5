-- Claims still to check (unverified or disputed), counted per story on every write, so the
-- newsroom's home lists the stories that need checking without reading every story's claims.
ALTER TABLE articles ADD COLUMN open_claims BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET open_claims = 1
    WHERE claims LIKE '%"status":"unverified"%' OR claims LIKE '%"status":"disputed"%';
-- The newsroom's follow-up list: stories with claims to check, oldest first.
CREATE INDEX articles_with_open_claims ON articles (published_at, id) WHERE open_claims > 0;
