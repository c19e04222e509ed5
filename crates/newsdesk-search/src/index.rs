//! One node's search index: a tantivy index in a folder of its own (or in memory), written
//! by one writer, read by any number of searches at once.

use crate::compile::compile;
use crate::query::{parse, Match, MAX_PARTS, MAX_PREFIXES};
use crate::request::{Found, Hit, SearchRequest, Sort, MAX_OFFSET, MAX_PER_PAGE};
use crate::schema::{self, document, register_analyzers, Fields, SCHEMA_VERSION, STEMMED};
use crate::snippet::Highlighter;
use crate::stats::{LiveStats, Totals};
use newsdesk_core::story_text::StoryText;
use newsdesk_core::ArticleId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyError, Term,
};

/// Memory the writer may fill before it writes a segment out.
const WRITER_BYTES: usize = 32 * 1024 * 1024;
/// Recency halves its lift every this many days.
const RECENCY_HALF_LIFE_DAYS: f64 = 30.0;
/// How much a story published this moment is lifted over an old one of equal relevance.
const RECENCY_LIFT: f64 = 0.5;
const DAY_MS: f64 = 86_400_000.0;
const VERSION_FILE: &str = "newsdesk-version";
/// Held for as long as a process uses the folder, so no other process wipes or writes it.
const LOCK_FILE: &str = "newsdesk.lock";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index in {0} is in use by another newsdesk process")]
    Busy(PathBuf),
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    #[error("search index folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
}

pub struct SearchIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    totals: Mutex<Option<Arc<Totals>>>,
    /// The folder's lock, released when the index is dropped.
    _lock: Option<std::fs::File>,
}

impl SearchIndex {
    /// Opens the index kept in `dir`, or starts an empty one there when it is missing, was
    /// written by another version, or cannot be read; the caller then fills it from the store.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let folder = |e| SearchError::Folder(dir.to_path_buf(), e);
        std::fs::create_dir_all(dir).map_err(folder)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(folder)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(SearchError::Busy(dir.to_path_buf()))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(folder(e)),
        }
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        let existing = (version == SCHEMA_VERSION)
            .then(|| Index::open_in_dir(dir).ok())
            .flatten();
        let index = match existing {
            Some(index) => index,
            None => {
                for entry in std::fs::read_dir(dir).map_err(folder)? {
                    let path = entry.map_err(folder)?.path();
                    if path.file_name() == Some(std::ffi::OsStr::new(LOCK_FILE)) {
                        continue;
                    }
                    let gone = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                    gone.map_err(folder)?;
                }
                let index = Index::create_in_dir(dir, schema::schema().0)?;
                std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION).map_err(folder)?;
                index
            }
        };
        Self::with_index(index, Some(lock)).map_err(|e| match e {
            SearchError::Index(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                SearchError::Busy(dir.to_path_buf())
            }
            other => other,
        })
    }

    /// An index held in memory only, rebuilt from the store at each start.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        Self::with_index(Index::create_in_ram(schema::schema().0), None)
    }

    fn with_index(index: Index, lock: Option<std::fs::File>) -> Result<SearchIndex, SearchError> {
        register_analyzers(&index);
        let fields = field_handles(&index)?;
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer: Mutex::new(writer),
            totals: Mutex::new(None),
            _lock: lock,
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Indexes these stories (again) and drops those, then makes the change visible. The
    /// change is on disk once this returns.
    pub fn apply(&self, upserts: &[StoryText], removals: &[ArticleId]) -> Result<(), SearchError> {
        let mut writer = self.writer();
        for id in removals.iter().chain(upserts.iter().map(|s| &s.id)) {
            writer.delete_term(Term::from_field_i64(self.fields.id, id.0));
        }
        for story in upserts {
            let body = newsdesk_core::body::plain_text(&story.body);
            writer.add_document(document(&self.fields, story, &body))?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Lets the background merges finish, so the index left on disk is in few segments; for a
    /// process about to exit, such as a rebuild.
    pub fn close(self) -> Result<(), SearchError> {
        let writer = self.writer.into_inner().unwrap_or_else(|e| e.into_inner());
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// Drops every story, for a rebuild; visible with the next `apply`.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Each indexed story with the change stamp it was indexed at.
    pub fn stamps(&self) -> Result<HashMap<ArticleId, i64>, SearchError> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let ids = segment.fast_fields().i64("id")?;
            let stamps = segment.fast_fields().i64("stamp")?;
            for doc in segment.doc_ids_alive() {
                if let Some(id) = ids.first(doc) {
                    out.insert(ArticleId(id), stamps.first(doc).unwrap_or(0));
                }
            }
        }
        Ok(out)
    }

    /// Stories in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn totals(&self, searcher: &Searcher) -> Result<Arc<Totals>, SearchError> {
        let mut cached = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        let generation = searcher.generation().generation_id();
        if let Some(t) = cached.as_ref().filter(|t| t.generation == generation) {
            return Ok(t.clone());
        }
        let searched: Vec<_> = self.fields.weighted().iter().map(|(f, _)| *f).collect();
        let totals = Arc::new(Totals::count(searcher, &searched)?);
        *cached = Some(totals.clone());
        Ok(totals)
    }

    pub fn search(&self, request: &SearchRequest) -> Result<Found, SearchError> {
        let searcher = self.reader.searcher();
        let stats = LiveStats::new(&searcher, self.totals(&searcher)?);
        // Callers check queries first (`query::check`); past the limits, parts are dropped.
        let mut parts = parse(&request.text);
        parts.truncate(MAX_PARTS);
        let mut prefixes = 0;
        parts.retain(|p| {
            let prefix = matches!(p.matches, Match::Prefix(_));
            prefixes += usize::from(prefix);
            !prefix || prefixes <= MAX_PREFIXES
        });
        let compiled = compile(
            &self.index,
            &self.fields,
            &searcher,
            &parts,
            &request.filters,
        )?;
        let highlighter = Highlighter::new(
            compiled.marks,
            self.index
                .tokenizers()
                .get(STEMMED)
                .expect("registered at open"),
            self.fields.body,
        );
        let Some(query) = compiled.query else {
            return Ok(Found {
                total: 0,
                hits: Vec::new(),
                highlighter,
            });
        };
        let limit = request.limit.clamp(1, MAX_PER_PAGE);
        let offset = request.offset.min(MAX_OFFSET);
        let now_ms = request.now_ms;
        let sort = request.sort;
        // Ties are broken by date, then id, never by where a story sits in the index, so
        // every node orders alike.
        let ranked = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let published = segment.fast_fields().i64("published").ok();
                let ids = segment.fast_fields().i64("id").ok();
                move |doc, score: tantivy::Score| {
                    let at = published.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    let id = ids.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                    let key = match sort {
                        Sort::Relevance => score * recency_lift(now_ms, at),
                        Sort::Newest => 0.0,
                    };
                    (key, at, id)
                }
            },
        );
        let (top, total) =
            searcher.search_with_statistics_provider(query.as_ref(), &(ranked, Count), &stats)?;
        let hits = top
            .into_iter()
            .map(|((score, _, id), _): ((f32, i64, i64), DocAddress)| Hit {
                id: ArticleId(id),
                score,
            })
            .collect();
        Ok(Found {
            total,
            hits,
            highlighter,
        })
    }
}

/// 1 for an old story, up to 1 + RECENCY_LIFT for one published now.
fn recency_lift(now_ms: i64, published_ms: i64) -> f32 {
    let age_days = (now_ms - published_ms).max(0) as f64 / DAY_MS;
    (1.0 + RECENCY_LIFT * 0.5f64.powf(age_days / RECENCY_HALF_LIFE_DAYS)) as f32
}

fn field_handles(index: &Index) -> Result<Fields, SearchError> {
    let schema = index.schema();
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        stamp: f("stamp")?,
        published: f("published")?,
        headline: f("headline")?,
        standfirst: f("standfirst")?,
        body: f("body")?,
        tags_text: f("tags_text")?,
        authors_text: f("authors_text")?,
        surface: f("surface")?,
        section: f("section")?,
        tag: f("tag")?,
        author: f("author")?,
    })
}
