//! What the readers of other platforms' exports share: line numbers for positions met in order
//! (each byte counted once over a file), and XML's predefined entities and character references.

/// The line (1-based) of a position, counted from the start.
pub fn line_at(bytes: &[u8], pos: u64) -> usize {
    Lines::default().at(bytes, pos)
}

/// Line numbers for positions met in order, counting each byte once over the whole file.
#[derive(Default)]
pub struct Lines {
    pos: usize,
    newlines: usize,
}

impl Lines {
    pub fn at(&mut self, bytes: &[u8], pos: u64) -> usize {
        let end = (pos as usize).min(bytes.len());
        if end < self.pos {
            *self = Lines::default();
        }
        self.newlines += bytes[self.pos..end].iter().filter(|b| **b == b'\n').count();
        self.pos = end;
        self.newlines + 1
    }
}

/// The character of a predefined entity or a character reference (`amp`, `#8217`, `#x2019`).
pub fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_once_and_entities_read() {
        let text = b"a\nb\nc\nd";
        let mut lines = Lines::default();
        assert_eq!(lines.at(text, 2), 2);
        assert_eq!(lines.at(text, 6), 4);
        assert_eq!(line_at(text, 4), 3);
        assert_eq!(entity("#8217"), Some('\u{2019}'));
        assert_eq!(entity("#x41"), Some('A'));
        assert_eq!(entity("nbsp"), None);
    }
}
