-- What admins set at /admin/settings (site name, sharing picture, comment defaults…), one
-- row per setting, kept as text. Every node reads them; a change moves the site revision.
CREATE TABLE site_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
