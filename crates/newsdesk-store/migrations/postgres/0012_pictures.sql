-- Pictures live in the database, not in one node's folder, so every node serves every one.
-- A picture is named by the SHA-256 of what was uploaded: the same file uploaded twice is
-- kept once. The bytes kept are the cleaned picture (metadata out, camera rotation applied).
CREATE TABLE pictures (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL CHECK (format = 'jpeg' OR format = 'png' OR format = 'gif' OR format = 'webp'),
    width BIGINT NOT NULL CHECK (width > 0),
    height BIGINT NOT NULL CHECK (height > 0),
    byte_size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
-- The library lists the newest pictures first.
CREATE INDEX pictures_by_upload ON pictures (uploaded_at);

-- Resized copies, one per width and format, made after the upload answered.
CREATE TABLE picture_variants (
    name TEXT NOT NULL REFERENCES pictures (name) ON DELETE CASCADE,
    width BIGINT NOT NULL,
    format TEXT NOT NULL,
    height BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (name, width, format)
);
