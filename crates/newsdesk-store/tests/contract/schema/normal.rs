//! The vocabulary both databases' descriptions are written in: one line per fact, the few
//! column types, and SQL text in a normal form.

/// One column, as both databases describe it.
pub fn column(table: &str, position: usize, name: &str, kind: &str, facts: &[&str]) -> String {
    let mut line = format!("column {table}.{position:02} {name} {kind}");
    for f in facts.iter().filter(|f| !f.is_empty()) {
        line.push_str(", ");
        line.push_str(f);
    }
    line
}

pub fn sql_type(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") || t == "numeric" {
        "real"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("time") || t.contains("date") {
        "timestamp"
    } else if t == "blob" || t == "bytea" {
        "bytes"
    } else {
        "unknown type"
    }
}

/// SQL text in a form both databases' spellings of one expression share.
pub fn normal(sql: &str) -> String {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\'' => {
                out.push(c);
                while i < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                    if chars[i - 1] == '\'' {
                        break;
                    }
                }
            }
            // A cast such as `::text` or `::character varying`.
            ':' if chars.get(i) == Some(&':') => {
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
                {
                    i += 1;
                }
                for two_words in [" varying", " precision"] {
                    let rest: String = chars[i..].iter().take(two_words.len()).collect();
                    if rest.eq_ignore_ascii_case(two_words) {
                        i += two_words.len();
                    }
                }
                out.push(' ');
            }
            '(' | ')' | '"' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SQL with its `--` comments removed (string literals kept whole).
pub fn without_comments(sql: &str) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if !quoted && c == '-' && chars.peek() == Some(&'-') {
            for n in chars.by_ref() {
                if n == '\n' {
                    out.push('\n');
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// The CHECK expressions a SQLite `CREATE TABLE` declares, normalised: SQLite keeps them
/// only in the statement's text.
pub fn checks(create: &str) -> Vec<String> {
    let sql = without_comments(create);
    let upper = sql.to_ascii_uppercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let start = from + at;
        from = start + 5;
        let word_before = upper[..start]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let rest = sql[from..].trim_start();
        if word_before || !rest.starts_with('(') {
            continue;
        }
        let open = sql.len() - rest.len();
        let (mut depth, mut quoted) = (0, false);
        for (i, c) in sql[open..].char_indices() {
            match c {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        found.push(normal(&sql[open + 1..open + i]));
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}
