-- One counter that every write moves forward, so each app node can tell within a poll that its
-- cached pages are out of date, whichever node (or CLI import) made the change.
CREATE TABLE site_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO site_state (id, revision) VALUES (1, 1);
