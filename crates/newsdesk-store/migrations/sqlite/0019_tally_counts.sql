-- A story page shows each debate question's tally and answer count, and is made again after
-- every comment and vote on it: counting them there read every vote of the question and every
-- comment of the story, so a busy debate's page grew slower with each vote (issue 13). The
-- votes are counted as they are cast instead, in the same transaction (a vote is never taken
-- back or changed), and the answers are counted from an index that holds only answers.
ALTER TABLE debate_questions ADD COLUMN yes_votes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE debate_questions ADD COLUMN no_votes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE debate_questions ADD COLUMN not_sure_votes BIGINT NOT NULL DEFAULT 0;
UPDATE debate_questions SET
    yes_votes = (SELECT COUNT(*) FROM poll_votes v WHERE v.question_id = debate_questions.id AND v.answer = 'yes'),
    no_votes = (SELECT COUNT(*) FROM poll_votes v WHERE v.question_id = debate_questions.id AND v.answer = 'no'),
    not_sure_votes = (SELECT COUNT(*) FROM poll_votes v WHERE v.question_id = debate_questions.id AND v.answer = 'not_sure');
-- Answers to a story's questions by status, without reading its other comments.
CREATE INDEX comments_answers ON comments (article_id, question_id, status) WHERE question_id IS NOT NULL;
