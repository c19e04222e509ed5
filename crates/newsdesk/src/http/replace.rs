//! Replacing every copy of a marker in a page's bytes (the form stamps a kept page leaves
//! empty and a reader's answer fills in).

/// `haystack` with every `needle` replaced, or `None` when there is none.
pub(super) fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    let mut found = memchr::memmem::find_iter(haystack, needle).peekable();
    found.peek()?;
    let mut out = Vec::with_capacity(haystack.len() + with.len());
    let mut from = 0;
    for at in found {
        out.extend_from_slice(&haystack[from..at]);
        out.extend_from_slice(with);
        from = at + needle.len();
    }
    out.extend_from_slice(&haystack[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_is_replaced_and_nothing_else() {
        let out = replace_all(b"aXXbXXXXc", b"XX", b"-").unwrap();
        assert_eq!(out, b"a-b--c");
        assert_eq!(replace_all(b"XXend", b"XX", b""), Some(b"end".to_vec()));
        assert_eq!(replace_all(b"no mark here", b"XX", b"-"), None);
    }
}
