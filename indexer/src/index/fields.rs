//! The tantivy schema and its analyzers. Analyzers are not stored in the index: [`register_analyzers`] must run on
//! every `tantivy::Index` opened.
//!
//! Three analyzed fields: `name` (identifiers, folded, no stemming), `body_fr` and `body_en` (the same text with
//! French and English stemming and stop words), so a question in either language meets descriptions in either.

use tantivy::schema::{Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TextAnalyzerBuilder,
};

/// Analyzer of identifiers: split, lower-cased, accents folded.
pub(crate) const IDENT: &str = "pstral_ident";
/// Analyzer of French text: folded, French stop words removed, French stems.
pub(crate) const FRENCH: &str = "pstral_fr";
/// Analyzer of English text: folded, English stop words removed, English stems.
pub(crate) const ENGLISH: &str = "pstral_en";

/// Kinds of documents in the index (the `kind` field).
pub(crate) const KIND_TABLE: &str = "table";
pub(crate) const KIND_DOC: &str = "doc";
pub(crate) const KIND_PAIR: &str = "pair";

/// Handles on the schema's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// `table`, `doc` or `pair`.
    pub kind: Field,
    /// Position of the item in the index's table, document or pair list.
    pub ordinal: Field,
    /// Identifiers (table name, expanded).
    pub name: Field,
    /// Descriptive text, French analysis.
    pub body_fr: Field,
    /// Descriptive text, English analysis.
    pub body_en: Field,
}

impl Fields {
    /// Builds the schema and returns it with its fields.
    pub fn schema() -> (Schema, Self) {
        let mut builder = Schema::builder();
        let text = |analyzer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let fields = Self {
            kind: builder.add_text_field("kind", STRING),
            ordinal: builder.add_u64_field("ordinal", STORED | INDEXED),
            name: builder.add_text_field("name", text(IDENT)),
            body_fr: builder.add_text_field("body_fr", text(FRENCH)),
            body_en: builder.add_text_field("body_en", text(ENGLISH)),
        };
        (builder.build(), fields)
    }

    /// Reads the fields back from an opened index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Self> {
        Ok(Self {
            kind: schema.get_field("kind")?,
            ordinal: schema.get_field("ordinal")?,
            name: schema.get_field("name")?,
            body_fr: schema.get_field("body_fr")?,
            body_en: schema.get_field("body_en")?,
        })
    }
}

/// Registers Pstral's analyzers on `index`.
pub(crate) fn register_analyzers(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(IDENT, base().build());
    manager.register(FRENCH, stemmed(Language::French));
    manager.register(ENGLISH, stemmed(Language::English));
}

fn base() -> TextAnalyzerBuilder {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic()
}

fn stemmed(language: Language) -> TextAnalyzer {
    let mut builder = base();
    if let Some(stop_words) = StopWordFilter::new(language) {
        builder = builder.filter_dynamic(stop_words);
    }
    builder.filter_dynamic(Stemmer::new(language)).build()
}

/// Returns the terms `analyzer` makes of `text`, without duplicates.
pub(crate) fn analyze(index: &tantivy::Index, analyzer: &str, text: &str) -> Vec<String> {
    let Some(mut analyzer) = index.tokenizers().get(analyzer) else { return Vec::new() };
    let mut stream = analyzer.token_stream(text);
    let mut terms: Vec<String> = Vec::new();
    while stream.advance() {
        let term = &stream.token().text;
        if !terms.contains(term) {
            terms.push(term.clone());
        }
    }
    terms
}
