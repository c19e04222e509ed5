//! Fuzz target `story_file`: A story file, as `import stories` reads it. The check is `newsdesk::fuzzing::story_file::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk::fuzzing::story_file::check(data));
