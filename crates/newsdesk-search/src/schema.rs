//! What the index holds of a story and how its text is cut into terms. Only ids, stamps and
//! terms are kept: the text shown in results is read from the store.

use newsdesk_core::newsroom::author_slug;
use newsdesk_core::story_text::StoryText;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

/// Bumped whenever the schema or the analysis changes: an index on disk with another version
/// is rebuilt from the store at start.
pub const SCHEMA_VERSION: &str = "newsdesk-search 1";

/// Words cut, lowercased, folded to ASCII and stemmed, so "Strikes" finds "striking".
pub const STEMMED: &str = "nd_stemmed";
/// The same without stemming: the vocabulary prefixes are matched against.
pub const SURFACE: &str = "nd_surface";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The story's last change, so a node can tell which stories to index again.
    pub stamp: Field,
    pub published: Field,
    pub headline: Field,
    pub standfirst: Field,
    pub body: Field,
    pub tags_text: Field,
    pub authors_text: Field,
    pub surface: Field,
    pub section: Field,
    pub tag: Field,
    pub author: Field,
}

impl Fields {
    /// The searched fields with their weights: a word in the headline says more than one in
    /// the body.
    pub fn weighted(&self) -> [(Field, f32); 5] {
        [
            (self.headline, 3.0),
            (self.standfirst, 2.0),
            (self.tags_text, 2.5),
            (self.authors_text, 2.0),
            (self.body, 1.0),
        ]
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let number = || NumericOptions::default().set_fast();
    let fields = Fields {
        id: b.add_i64_field("id", number().set_indexed()),
        stamp: b.add_i64_field("stamp", number()),
        published: b.add_i64_field("published", number().set_indexed()),
        headline: b.add_text_field("headline", text(STEMMED, positions)),
        standfirst: b.add_text_field("standfirst", text(STEMMED, positions)),
        body: b.add_text_field("body", text(STEMMED, positions)),
        tags_text: b.add_text_field("tags_text", text(STEMMED, positions)),
        authors_text: b.add_text_field("authors_text", text(STEMMED, positions)),
        surface: b.add_text_field("surface", text(SURFACE, IndexRecordOption::Basic)),
        section: b.add_text_field("section", STRING),
        tag: b.add_text_field("tag", STRING),
        author: b.add_text_field("author", STRING),
    };
    (b.build(), fields)
}

fn analyzer(stem: bool) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    if stem {
        base.filter(Stemmer::new(Language::English)).build()
    } else {
        base.build()
    }
}

pub fn register_analyzers(index: &Index) {
    index.tokenizers().register(STEMMED, analyzer(true));
    index.tokenizers().register(SURFACE, analyzer(false));
}

/// The terms `text` becomes under an analyzer.
pub fn terms(index: &Index, analyzer_name: &str, text: &str) -> Vec<String> {
    let Some(mut analyzer) = index.tokenizers().get(analyzer_name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

pub fn document(fields: &Fields, story: &StoryText, body_text: &str) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_i64(fields.id, story.id.0);
    doc.add_i64(fields.stamp, story.stamp);
    doc.add_i64(fields.published, story.published_ms);
    doc.add_text(fields.headline, &story.headline);
    doc.add_text(fields.standfirst, &story.standfirst);
    doc.add_text(fields.body, body_text);
    for text in [
        story.headline.as_str(),
        story.standfirst.as_str(),
        body_text,
    ] {
        doc.add_text(fields.surface, text);
    }
    doc.add_text(fields.section, &story.section);
    for tag in &story.tags {
        doc.add_text(fields.tags_text, tag);
        doc.add_text(fields.tag, tag);
        doc.add_text(fields.surface, tag);
    }
    for name in &story.authors {
        doc.add_text(fields.authors_text, name);
        doc.add_text(fields.author, author_slug(name));
        doc.add_text(fields.surface, name);
    }
    doc
}
