-- Reply emails go only to addresses that confirmed them (double opt-in, issue 15): anyone can
-- type anyone's address under a comment. The first ask sends one confirmation email and no
-- ask ever sends another; the day's count bounds how many reply emails one address gets.
-- Addresses given before this rule have not confirmed, so they get no more reply emails
-- until they ask again and confirm.
CREATE TABLE reply_addresses (
    -- Lower-cased.
    email TEXT PRIMARY KEY,
    asked_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    -- The day (days since 1970, UTC) `sent_that_day` counts.
    day BIGINT NOT NULL DEFAULT 0,
    sent_that_day BIGINT NOT NULL DEFAULT 0
);
