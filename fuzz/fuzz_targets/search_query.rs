//! Fuzz target `search_query`: A search query, then a text to mark with what it matched. The check is `newsdesk::fuzzing::search_query::check`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk::fuzzing::search_query::check(data));
