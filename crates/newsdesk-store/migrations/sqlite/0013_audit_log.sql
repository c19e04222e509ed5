-- Every staff action, with who, when, what and from which address. Append-only: the store
-- has no call that updates or deletes a line, and the database refuses both (below).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL
);
-- The log is read newest first, often for one person or one kind of action.
CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_actor ON audit_log (actor, at);
CREATE INDEX audit_by_action ON audit_log (action, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- INSERT OR REPLACE would delete a line without firing the delete trigger: refused too.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
