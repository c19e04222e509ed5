//! Fuzz target `comment_text`: A reader's comment, as its HTML. The check is `newsdesk::fuzzing::comment_text::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk::fuzzing::comment_text::check(data));
