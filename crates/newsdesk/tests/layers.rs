//! The web crate's rooms, read from its source: the three front doors (`routes/site`,
//! `routes/api`, `routes/admin`) never import each other, nothing below `routes/` imports it
//! (but `startup.rs`, which mounts the router), and no import circle runs beyond a `mod.rs`
//! and its own children. Also: no source file of the workspace grows past 500 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const DOORS: [&str; 3] = ["site", "api", "admin"];
const MAX_LINES: usize = 500;

/// One source file: its module path (`["routes", "site", "article"]`) and what it names.
struct Module {
    file: String,
    path: Vec<String>,
    is_mod_file: bool,
    refs: Vec<Vec<String>>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without comments and string literals, so neither can fake or hide an import.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'#') || b.get(i + 1) == Some(&b'"')) {
            let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            i += 2 + hashes;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if b[i] == b'\'' && char_literal_len(&b[i..]) > 0 {
            i += char_literal_len(&b[i..]);
            out.push_str("' '");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// The length of a char literal starting here (`'x'`, `'"'`, `'\''`, `'\u{1F600}'`, `'é'`),
/// or 0 for a lifetime (`'a`).
fn char_literal_len(b: &[u8]) -> usize {
    if b.get(1) == Some(&b'\\') {
        return b[2..].iter().position(|c| *c == b'\'').map_or(0, |p| p + 3);
    }
    // One character of up to four bytes, then the closing quote.
    (2..=5)
        .find(|&n| {
            b.get(n) == Some(&b'\'')
                && std::str::from_utf8(&b[1..n]).is_ok_and(|c| c.chars().count() == 1)
        })
        .map_or(0, |n| n + 1)
}

/// Expands a `use` tree (`crate::a::{b, c::{d, e}}`) into whole paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len() - 1];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand_use(&format!("{prefix}{p}")))
        .collect()
}

/// Every path the code names that starts at `crate` or `super`, resolved to whole segments.
fn references(code: &str, here: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let mut raw: Vec<String> = Vec::new();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // Every `use` tree, wherever it stands: at the top, in a function, after an attribute.
    let mut from = 0;
    while let Some(at) = code[from..].find("use ") {
        let at = from + at;
        from = at + 4;
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| word(c) || c == ':') {
            continue;
        }
        let end = code[at..].find(';').map_or(code.len(), |e| at + e);
        raw.extend(expand_use(code[at + 4..end].trim()));
    }
    let mut i = 0;
    let bytes = code.as_bytes();
    while i < code.len() {
        let rest = &code[i..];
        let at_start = i == 0 || !word(bytes[i - 1] as char) && bytes[i - 1] != b':';
        if at_start && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let end = rest
                .find(|c: char| !(word(c) || c == ':'))
                .unwrap_or(rest.len());
            // `crate::a::{…}` is a use tree, already expanded above.
            if !rest[end..].starts_with('{') {
                raw.push(rest[..end].trim_end_matches(':').to_string());
            }
            i += end;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    raw.into_iter()
        .filter_map(|p| {
            let segs: Vec<&str> = p.split("::").collect();
            let mut base: Vec<String> = match segs[0] {
                "crate" => Vec::new(),
                "super" => {
                    // `super` of a `mod.rs` is its folder's parent; of `a/b.rs`, the folder `a`.
                    let mut b = here.to_vec();
                    if !is_mod_file || !b.is_empty() {
                        b.pop();
                    }
                    b
                }
                _ => return None,
            };
            for s in &segs[1..] {
                if *s == "super" {
                    base.pop();
                } else if *s == "self" {
                } else {
                    base.push((*s).to_string());
                }
            }
            Some(base)
        })
        .collect()
}

/// The texts of the templates a file renders (`#[template(path = "…")]`), with every template
/// they extend, import or include.
fn templates_of(text: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let quoted_after = |t: &str, key: &str| -> Vec<String> {
        t.match_indices(key)
            .filter_map(|(at, _)| {
                let rest = &t[at + key.len()..];
                let start = rest.find('"')? + 1;
                let len = rest[start..].find('"')?;
                Some(rest[start..start + len].to_string())
            })
            .collect()
    };
    let mut todo = quoted_after(text, "#[template(path =");
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Ok(t) = std::fs::read_to_string(dir.join(&name)) else {
            continue;
        };
        for key in ["{% extends", "{% import", "{% include"] {
            todo.extend(quoted_after(&t, key));
        }
        out.push(t);
    }
    out
}

/// The code without its `#[cfg(test)] mod … { … }` blocks.
fn without_test_modules(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let Some(open) = out[at..].find('{').map(|o| at + o) else {
            break;
        };
        let mut depth = 0;
        let mut close = out.len();
        for (i, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..close, "");
    }
    out
}

/// Inline modules (`mod x { … }`) outside unit tests: their `super` is not the file's, so the
/// checker refuses them rather than misread them.
fn inline_modules(code: &str) -> Vec<String> {
    code.lines()
        .map(str::trim)
        .filter(|l| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.starts_with("mod ") && l.ends_with('{')
        })
        .map(String::from)
        .collect()
}

fn modules() -> Vec<Module> {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "main.rs"))
        .map(|f| {
            let rel = f
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let is_mod_file = rel == "lib.rs" || rel.ends_with("/mod.rs");
            let mut path: Vec<String> = rel
                .trim_end_matches(".rs")
                .split('/')
                .map(String::from)
                .collect();
            if is_mod_file {
                path.pop();
            }
            let text = std::fs::read_to_string(&f).unwrap();
            // Unit tests are left out: their `super` is the file itself.
            let code = without_test_modules(&code_only(&text));
            let mut refs = references(&code, &path, is_mod_file);
            // What its templates name (`{{ crate::services::links::… }}`) counts as its own.
            for template in templates_of(&text) {
                let code = code_only(&template);
                refs.extend(references(&code, &path, is_mod_file));
            }
            // A `mod x;` line is an edge to the child module too.
            for line in code.lines() {
                let t = line.trim();
                let t = t.strip_prefix("pub ").unwrap_or(t);
                if let Some(name) = t.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                    let mut child = path.clone();
                    child.push(name.trim().to_string());
                    refs.push(child);
                }
            }
            Module {
                file: rel,
                path,
                is_mod_file,
                refs,
            }
        })
        .collect()
}

/// The file a path lands in: the longest leading run of segments that is a module.
fn resolve<'a>(by_path: &'a BTreeMap<Vec<String>, String>, path: &[String]) -> &'a str {
    (0..=path.len())
        .rev()
        .find_map(|n| by_path.get(&path[..n]))
        .map(String::as_str)
        .unwrap_or("lib.rs")
}

fn edges() -> (Vec<Module>, BTreeMap<String, BTreeSet<String>>) {
    let mods = modules();
    let by_path: BTreeMap<Vec<String>, String> = mods
        .iter()
        .map(|m| (m.path.clone(), m.file.clone()))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &mods {
        let targets = graph.entry(m.file.clone()).or_default();
        for r in &m.refs {
            let to = resolve(&by_path, r);
            if to != m.file {
                targets.insert(to.to_string());
            }
        }
    }
    (mods, graph)
}

fn door_of(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("routes/")?;
    DOORS
        .iter()
        .copied()
        .find(|d| rest.starts_with(&format!("{d}/")))
}

#[test]
fn the_front_doors_never_import_each_other_and_nothing_below_imports_routes() {
    let (_, graph) = edges();
    let mut wrong = Vec::new();
    for (from, tos) in &graph {
        for to in tos {
            let into_routes = to.starts_with("routes/");
            let bad = match door_of(from) {
                Some(door) => into_routes && door_of(to) != Some(door),
                None if from.starts_with("routes/") => {
                    into_routes && from != "routes/mod.rs" && to != from
                }
                // `startup.rs` mounts the router; `lib.rs` only declares `mod routes`.
                None => {
                    into_routes
                        && from != "startup.rs"
                        && !(from == "lib.rs" && to == "routes/mod.rs")
                }
            };
            if bad {
                wrong.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports across rooms:\n{}",
        wrong.join("\n")
    );
}

/// Tarjan's strongly connected components over the file graph.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_import_circle_runs_beyond_a_mod_file_and_its_children() {
    let (mods, graph) = edges();
    let info: BTreeMap<&str, &Module> = mods.iter().map(|m| (m.file.as_str(), m)).collect();
    let wrong: Vec<String> = circles(&graph)
        .into_iter()
        .filter(|c| {
            // Allowed: one mod.rs with some of its direct children, nothing else.
            !c.iter().any(|p| {
                let parent = info[p.as_str()];
                parent.is_mod_file
                    && c.iter().filter(|f| *f != p).all(|f| {
                        let m = info[f.as_str()];
                        m.path.len() == parent.path.len() + 1 && m.path.starts_with(&parent.path)
                    })
            })
        })
        .map(|c| {
            let inside: Vec<String> = c
                .iter()
                .flat_map(|f| {
                    graph[f]
                        .iter()
                        .filter(|t| c.contains(t))
                        .map(move |t| format!("  {f} -> {t}"))
                })
                .collect();
            format!("{}\n{}", c.join(" <-> "), inside.join("\n"))
        })
        .collect();
    assert!(wrong.is_empty(), "import circles:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_is_written_inline_outside_unit_tests() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let inline: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let code = without_test_modules(&code_only(&std::fs::read_to_string(f).unwrap()));
            inline_modules(&code)
                .into_iter()
                .map(move |m| format!("{}: {m}", f.display()))
        })
        .collect();
    assert!(inline.is_empty(), "inline modules:\n{}", inline.join("\n"));
}

#[test]
fn the_checker_sees_a_door_reaching_into_another() {
    let here = vec!["routes".to_string(), "api".into(), "x".into()];
    let refs = references(
        &code_only("use crate::routes::{site::forms::gate, api::json};\nfn f() { super::super::admin::g(); } // crate::routes::admin\n"),
        &here,
        false,
    );
    assert!(refs.contains(&vec![
        "routes".into(),
        "site".into(),
        "forms".into(),
        "gate".into()
    ]));
    assert!(refs.contains(&vec!["routes".into(), "admin".into(), "g".into()]));
    assert_eq!(refs.len(), 3, "the comment is not code: {refs:?}");
}

#[test]
fn no_source_file_of_the_workspace_is_over_500_lines() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(crates).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "the walk found the sources");
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}
