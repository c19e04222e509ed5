-- Reports count people, not requests (issue 15). A report's weight is 1 when the reporter has
-- a record on the site (a comment of theirs published at least a day before, and none thrown
-- out), else 0: it still reaches the moderators, but a brigade of fresh cookies cannot hide
-- a comment. Reports made before this rule counted 1 each, and keep doing so.
ALTER TABLE comment_flags ADD COLUMN weight BIGINT NOT NULL DEFAULT 1;
-- Where the report came from (an IPv4 address or an IPv6 /64): reports from one address count
-- once toward hiding, however many readers with a record send them.
ALTER TABLE comment_flags ADD COLUMN address TEXT NOT NULL DEFAULT '';
-- What the comment's reports weigh together since a moderator last kept it; reports hide a
-- comment when this reaches the site's threshold (`flags` still counts every report).
ALTER TABLE comments ADD COLUMN flag_weight BIGINT NOT NULL DEFAULT 0;
UPDATE comments SET flag_weight = flags;
-- A reporter's record is read from their own comments at every report.
CREATE INDEX comments_by_reader ON comments (reader_id, status);

-- Form stamps used by reports, votes and poll answers: each is taken once, so one page's
-- stamp cannot be replayed as many votes. Kept until the stamp would have expired anyway.
CREATE TABLE spent_stamps (
    stamp TEXT PRIMARY KEY,
    until BIGINT NOT NULL
);
-- The sweep of stamps past their lifetime.
CREATE INDEX spent_stamps_by_until ON spent_stamps (until);
