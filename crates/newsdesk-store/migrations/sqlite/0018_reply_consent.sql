-- Reply emails go only where they were confirmed (double opt-in, issue 15): anyone can type
-- anyone's address under a comment. Consent belongs to an address and the reader (cookie) who
-- asked: replies to that reader's comments are mailed once the address confirmed them, and a
-- stranger giving a confirmed address gets nothing sent. Addresses given before this rule
-- have not confirmed, so they get no more reply emails until they ask again and confirm.
CREATE TABLE reply_consents (
    -- Lower-cased.
    email TEXT NOT NULL,
    reader_id TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    PRIMARY KEY (email, reader_id)
);

-- Per address: the day (days since 1970, UTC) of the last confirmation email, so an address
-- gets one a day at most however many readers give it; and the reply emails of the day.
CREATE TABLE reply_addresses (
    email TEXT PRIMARY KEY,
    asked_day BIGINT NOT NULL DEFAULT 0,
    day BIGINT NOT NULL DEFAULT 0,
    sent_that_day BIGINT NOT NULL DEFAULT 0
);
