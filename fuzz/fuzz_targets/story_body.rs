//! Fuzz target `story_body`: A story body: Markdown with promo lines, then claims' quotes after U+0001. The check is `newsdesk::fuzzing::story_body::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk::fuzzing::story_body::check(data));
