//! Fuzz target `wordpress_body`: A WordPress post's HTML, as the importer converts it. The check is `newsdesk::fuzzing::wordpress_body::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk::fuzzing::wordpress_body::check(data));
