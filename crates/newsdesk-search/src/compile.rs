//! Turns a parsed query and its filters into a tantivy query: every part must match in some
//! field (headline, standfirst, tags, authors, body, each with its weight), excluded parts
//! must not, and filters narrow without changing scores.

use crate::query::{Match, Part};
use crate::request::Filters;
use crate::schema::{terms, Fields, STEMMED, SURFACE};
use std::collections::BTreeMap;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Index, Searcher, Term};

/// Words a prefix stands for at most: the most common ones.
const MAX_EXPANSIONS: usize = 32;
/// Words starting with a prefix that are looked at, in alphabetical order.
const MAX_SCANNED: usize = 1_024;

pub struct Compiled {
    /// `None` when the request asks for nothing (no words and no filters).
    pub query: Option<Box<dyn Query>>,
    /// Stemmed terms to mark in results, with their weights.
    pub marks: BTreeMap<String, f32>,
}

pub fn compile(
    index: &Index,
    fields: &Fields,
    searcher: &Searcher,
    parts: &[Part],
    filters: &Filters,
) -> tantivy::Result<Compiled> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut marks = BTreeMap::new();
    for part in parts {
        let stems = match &part.matches {
            Match::Word(w) => terms(index, STEMMED, w),
            Match::Phrase(ws) => ws.iter().flat_map(|w| terms(index, STEMMED, w)).collect(),
            Match::Prefix(p) => {
                let Some(prefix) = terms(index, SURFACE, p).pop() else {
                    continue;
                };
                expand_prefix(index, fields.surface, searcher, &prefix)?
            }
        };
        let query: Box<dyn Query> = match (&part.matches, stems.len()) {
            (_, 0) if part.excluded => continue,
            (_, 0) => Box::new(EmptyQuery),
            (Match::Phrase(_), n) if n > 1 => phrase_in_fields(fields, &stems),
            _ => any_term_in_fields(fields, &stems),
        };
        if part.excluded {
            clauses.push((Occur::MustNot, query));
        } else {
            for stem in stems {
                marks.insert(stem, 1.0);
            }
            clauses.push((Occur::Must, query));
        }
    }
    let asks_words = clauses.iter().any(|(occur, _)| *occur == Occur::Must);
    let narrowing = filter_clauses(fields, filters);
    if !asks_words {
        if narrowing.is_empty() {
            return Ok(Compiled { query: None, marks });
        }
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    clauses.extend(narrowing);
    Ok(Compiled {
        query: Some(Box::new(BooleanQuery::new(clauses))),
        marks,
    })
}

/// Any of `stems` in any searched field, each field with its weight.
fn any_term_in_fields(fields: &Fields, stems: &[String]) -> Box<dyn Query> {
    let mut options: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, weight) in fields.weighted() {
        for stem in stems {
            let term = TermQuery::new(
                Term::from_field_text(field, stem),
                IndexRecordOption::WithFreqs,
            );
            options.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(term), weight)),
            ));
        }
    }
    Box::new(BooleanQuery::new(options))
}

/// The words in this order, standing together, in any searched field.
fn phrase_in_fields(fields: &Fields, stems: &[String]) -> Box<dyn Query> {
    let options = fields
        .weighted()
        .into_iter()
        .map(|(field, weight)| {
            let terms = stems
                .iter()
                .map(|s| Term::from_field_text(field, s))
                .collect();
            let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(terms));
            (
                Occur::Should,
                Box::new(BoostQuery::new(phrase, weight)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(options))
}

/// The stems of the words starting with `prefix` that most live stories hold. The words are
/// counted over live documents only and ties go alphabetically, so every node expands a prefix
/// alike whatever the shape of its index.
fn expand_prefix(
    index: &Index,
    surface: Field,
    searcher: &Searcher,
    prefix: &str,
) -> tantivy::Result<Vec<String>> {
    // Each segment's first words in alphabetical order; the first MAX_SCANNED of their union are
    // then counted in full, since a word among them is among the first of every segment too.
    let mut live: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(surface)?;
        let alive = segment.alive_bitset();
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        let mut scanned = 0;
        while scanned < MAX_SCANNED && stream.advance() {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !word.starts_with(prefix) {
                break;
            }
            scanned += 1;
            let info = stream.value();
            let count = match alive {
                None => u64::from(info.doc_freq),
                Some(alive) => {
                    let mut postings =
                        inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                    let mut n = 0u64;
                    let mut doc = postings.doc();
                    while doc != tantivy::TERMINATED {
                        n += u64::from(alive.is_alive(doc));
                        doc = postings.advance();
                    }
                    n
                }
            };
            *live.entry(word.to_string()).or_default() += count;
        }
    }
    let mut common: Vec<(u64, String)> = live
        .into_iter()
        .take(MAX_SCANNED)
        .filter(|(_, n)| *n > 0)
        .map(|(w, n)| (n, w))
        .collect();
    common.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut stems = Vec::new();
    for (_, word) in common.into_iter().take(MAX_EXPANSIONS) {
        for stem in terms(index, STEMMED, &word) {
            if !stems.contains(&stem) {
                stems.push(stem);
            }
        }
    }
    stems.sort();
    Ok(stems)
}

/// Filters as clauses that narrow the results and add nothing to their scores.
fn filter_clauses(fields: &Fields, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
    let exact = |field: Field, value: &Option<String>| {
        value.as_ref().map(|v| {
            let term = TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic);
            Box::new(ConstScoreQuery::new(Box::new(term), 0.0)) as Box<dyn Query>
        })
    };
    let mut out: Vec<Box<dyn Query>> = [
        exact(fields.section, &filters.section),
        exact(fields.tag, &filters.tag),
        exact(fields.author, &filters.author),
    ]
    .into_iter()
    .flatten()
    .collect();
    if filters.from_ms.is_some() || filters.until_ms.is_some() {
        let bound = |at: Option<i64>, make: fn(Term) -> Bound<Term>| {
            at.map_or(Bound::Unbounded, |ms| {
                make(Term::from_field_i64(fields.published, ms))
            })
        };
        let range = RangeQuery::new(
            bound(filters.from_ms, Bound::Included),
            bound(filters.until_ms, Bound::Excluded),
        );
        out.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
    }
    out.into_iter().map(|q| (Occur::Must, q)).collect()
}
