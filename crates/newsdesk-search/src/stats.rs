//! BM25 statistics counted over the live documents only. Tantivy's own counts include
//! replaced documents until their segment is merged, and merges happen at different moments
//! on different nodes; counting only live documents makes every node score a story alike,
//! whatever its history, so nodes sharing one database give the same results.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// Per searcher: live documents and the tokens each field holds over them.
pub struct Totals {
    pub generation: u64,
    pub docs: u64,
    tokens: HashMap<Field, u64>,
}

impl Totals {
    pub fn count(searcher: &Searcher, fields: &[Field]) -> tantivy::Result<Totals> {
        let mut tokens = HashMap::new();
        for &field in fields {
            let mut sum = 0u64;
            for segment in searcher.segment_readers() {
                let norms = segment.get_fieldnorms_reader(field)?;
                sum += segment
                    .doc_ids_alive()
                    .map(|doc| u64::from(norms.fieldnorm(doc)))
                    .sum::<u64>();
            }
            tokens.insert(field, sum);
        }
        Ok(Totals {
            generation: searcher.generation().generation_id(),
            docs: searcher.num_docs(),
            tokens,
        })
    }
}

pub struct LiveStats<'a> {
    searcher: &'a Searcher,
    totals: Arc<Totals>,
    doc_freqs: RefCell<HashMap<Term, u64>>,
}

impl<'a> LiveStats<'a> {
    pub fn new(searcher: &'a Searcher, totals: Arc<Totals>) -> Self {
        LiveStats {
            searcher,
            totals,
            doc_freqs: RefCell::default(),
        }
    }

    /// Live documents holding `term`.
    pub fn live_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = self.doc_freqs.borrow().get(term) {
            return Ok(*n);
        }
        let mut total = 0u64;
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(term.field())?;
            let Some(alive) = segment.alive_bitset() else {
                total += u64::from(inverted.doc_freq(term)?);
                continue;
            };
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                total += u64::from(alive.is_alive(doc));
                doc = postings.advance();
            }
        }
        self.doc_freqs.borrow_mut().insert(term.clone(), total);
        Ok(total)
    }
}

impl Bm25StatisticsProvider for LiveStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.totals.tokens.get(&field).copied().unwrap_or(0))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.totals.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.live_doc_freq(term)
    }
}
