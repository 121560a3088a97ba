//! One index build: the catalog, documents and verified pairs written into a new build directory (tantivy
//! documents, table vectors, JSON side files, manifest last), then published.
//!
//! Blocking: run it on a blocking thread. It never touches the serving build until [`layout::publish`].

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use tantivy::TantivyDocument;

use crate::IndexerError;
use crate::catalog::{Catalog, Table, VerifiedPair};
use crate::docs::DocChunk;
use crate::embed::{Embedder, MODEL_NAME};
use crate::index::cache::{self, EmbeddingCache};
use crate::index::fields::{self, Fields};
use crate::index::layout::{self, Manifest};
use crate::index::text::expand_identifiers;

/// Embedding batch size: large enough to amortise calls, small enough to report progress.
const EMBED_BATCH: usize = 64;
/// Characters of a table's description given to the embedding model.
const SEMANTIC_DESCRIPTION_CHARS: usize = 160;
/// Sample values per column put into the keyword index.
const VALUES_IN_TEXT: usize = 30;

/// What to index.
#[derive(Debug, Clone, Default)]
pub struct BuildInput {
    /// Tables with overrides applied and sample values filled.
    pub catalog: Catalog,
    /// Internal document chunks.
    pub documents: Vec<DocChunk>,
    /// Verified question→SQL pairs.
    pub verified_pairs: Vec<VerifiedPair>,
    /// Statements past answers ran, newest first (from the audit log): the tables they read most make the core of
    /// a catalog too big for the prompt's stable part.
    pub past_queries: Vec<String>,
}

/// Where a build stands, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildProgress {
    /// Keyword documents written so far, of a total.
    Indexing(usize, usize),
    /// Table vectors ready so far (cached or computed), of a total.
    Embedding(usize, usize),
    /// The build is being published.
    Publishing,
}

/// Builds an index from `input` under `root` and publishes it; returns its manifest.
pub fn build(
    root: &Path,
    input: &BuildInput,
    embedder: Option<&Embedder>,
    progress: &dyn Fn(BuildProgress),
) -> Result<Manifest, IndexerError> {
    let started = Instant::now();
    let dir = layout::new_build_dir(root)?;
    let built = write_build(root, &dir, input, embedder, progress, started).and_then(|manifest| {
        progress(BuildProgress::Publishing);
        layout::publish(root, &dir)?;
        Ok(manifest)
    });
    if built.is_err() {
        // A partial build is never served; removing it now gives the space back (the disk may be full).
        if let Err(error) = std::fs::remove_dir_all(&dir) {
            tracing::warn!(path = %dir.display(), %error, "could not remove a failed index build");
        }
    }
    built
}

/// Writes every file of one build into `dir`, the manifest last.
fn write_build(
    root: &Path,
    dir: &Path,
    input: &BuildInput,
    embedder: Option<&Embedder>,
    progress: &dyn Fn(BuildProgress),
    started: Instant,
) -> Result<Manifest, IndexerError> {
    layout::write_json(&dir.join("catalog.json"), &input.catalog)?;
    layout::write_json(&dir.join("documents.json"), &input.documents)?;
    layout::write_json(&dir.join("pairs.json"), &input.verified_pairs)?;
    layout::write_json(&dir.join("past-queries.json"), &input.past_queries)?;
    write_keyword_index(&dir.join("tantivy"), input, progress)?;
    let embedded_now = match embedder {
        Some(embedder) => Some(write_vectors(root, dir, &input.catalog.tables, embedder, progress)?),
        None => None,
    };
    let manifest = Manifest {
        built_at: now_rfc3339(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        tables: input.catalog.tables.len(),
        columns: input.catalog.column_count(),
        values: input
            .catalog
            .tables
            .iter()
            .flat_map(|table| &table.columns)
            .map(|column| column.sample_values.len())
            .sum(),
        doc_chunks: input.documents.len(),
        verified_pairs: input.verified_pairs.len(),
        embedding_model: embedded_now.map(|_| MODEL_NAME.to_owned()),
        embedded_now: embedded_now.unwrap_or_default(),
    };
    layout::write_json(&dir.join("manifest.json"), &manifest)?;
    Ok(manifest)
}

/// Returns the current time in RFC 3339.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn index_error<'a>(dir: &'a Path, action: &'a str) -> impl Fn(tantivy::TantivyError) -> IndexerError + 'a {
    move |error| {
        let io = match &error {
            tantivy::TantivyError::IoError(io)
            | tantivy::TantivyError::OpenWriteError(tantivy::directory::error::OpenWriteError::IoError {
                io_error: io,
                ..
            }) => Some(io),
            _ => None,
        };
        if io.is_some_and(|io| crate::error::is_disk_full(io)) {
            IndexerError::DiskFull { path: dir.display().to_string() }
        } else {
            IndexerError::Index(format!("{action}: {error}"))
        }
    }
}

fn write_keyword_index(dir: &Path, input: &BuildInput, progress: &dyn Fn(BuildProgress)) -> Result<(), IndexerError> {
    std::fs::create_dir_all(dir).map_err(|error| IndexerError::io("failed to create", dir, error))?;
    let (schema, fields) = Fields::schema();
    let index =
        tantivy::Index::create_in_dir(dir, schema).map_err(index_error(dir, "cannot create the keyword index"))?;
    fields::register_analyzers(&index);
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(1, 64_000_000)
        .map_err(index_error(dir, "cannot open the index writer"))?;
    let total = input.catalog.tables.len() + input.documents.len() + input.verified_pairs.len();
    let mut done = 0;
    let mut add = |kind: &str, ordinal: usize, name: &str, body: &str| -> Result<(), IndexerError> {
        let mut document = TantivyDocument::default();
        document.add_text(fields.kind, kind);
        document.add_u64(fields.ordinal, ordinal as u64);
        document.add_text(fields.name, name);
        document.add_text(fields.body_fr, body);
        document.add_text(fields.body_en, body);
        writer.add_document(document).map_err(index_error(dir, "cannot add a document"))?;
        done += 1;
        if done % 1_000 == 0 {
            progress(BuildProgress::Indexing(done, total));
        }
        Ok(())
    };
    for (ordinal, table) in input.catalog.tables.iter().enumerate() {
        add(fields::KIND_TABLE, ordinal, &expand_identifiers(&table.name), &table_keywords(table))?;
    }
    for (ordinal, chunk) in input.documents.iter().enumerate() {
        add(fields::KIND_DOC, ordinal, &chunk.title, &format!("{}\n{}", chunk.title, chunk.text))?;
    }
    for (ordinal, pair) in input.verified_pairs.iter().enumerate() {
        add(fields::KIND_PAIR, ordinal, "", &pair.question)?;
    }
    progress(BuildProgress::Indexing(total, total));
    writer.commit().map_err(index_error(dir, "cannot commit the keyword index"))?;
    writer.wait_merging_threads().map_err(index_error(dir, "cannot finish merging"))?;
    Ok(())
}

/// The text BM25 sees for a table: its description, then each column's expanded name, description and values.
fn table_keywords(table: &Table) -> String {
    let mut text = String::new();
    text.push_str(&expand_identifiers(&table.name));
    text.push('\n');
    if let Some(description) = table.effective_description() {
        text.push_str(description);
        text.push('\n');
    }
    for column in &table.columns {
        text.push_str(&expand_identifiers(&column.name));
        if let Some(description) = column.effective_description() {
            text.push_str(" : ");
            text.push_str(description);
        }
        for value in column.sample_values.iter().take(VALUES_IN_TEXT) {
            text.push(' ');
            text.push_str(value);
        }
        text.push('\n');
    }
    text
}

/// The text the embedding model sees for a table: its expanded name and description, cut short. Inference cost
/// grows with length (a 250-token text embeds ~10× slower than a 25-token one), and columns are matched by the
/// keyword index anyway.
pub(crate) fn table_semantics(table: &Table) -> String {
    let mut text = expand_identifiers(&table.name);
    if let Some(description) = table.effective_description() {
        text.push_str(": ");
        text.extend(description.chars().take(SEMANTIC_DESCRIPTION_CHARS));
    }
    text
}

fn write_vectors(
    root: &Path,
    dir: &Path,
    tables: &[Table],
    embedder: &Embedder,
    progress: &dyn Fn(BuildProgress),
) -> Result<usize, IndexerError> {
    let cache_path = root.join("embeddings.cache");
    let cache = EmbeddingCache::load(&cache_path);
    let texts: Vec<String> = tables.iter().map(table_semantics).collect();
    let keys: Vec<[u8; 32]> = texts.iter().map(|text| cache::key(MODEL_NAME, text)).collect();
    let missing: Vec<usize> = (0..texts.len()).filter(|&position| cache.get(&keys[position]).is_none()).collect();
    let mut fresh: HashMap<[u8; 32], Vec<f32>> = HashMap::with_capacity(missing.len());
    let cached = texts.len() - missing.len();
    progress(BuildProgress::Embedding(cached, texts.len()));
    for batch in missing.chunks(EMBED_BATCH) {
        let batch_texts: Vec<String> = batch.iter().map(|&position| texts[position].clone()).collect();
        let vectors = embedder.embed(&batch_texts)?;
        for (&position, vector) in batch.iter().zip(vectors) {
            fresh.insert(keys[position], vector);
        }
        progress(BuildProgress::Embedding(cached + fresh.len(), texts.len()));
    }
    let mut bytes = Vec::with_capacity(tables.len() * crate::embed::DIMENSION * 4);
    for key in &keys {
        let vector = fresh
            .get(key)
            .or_else(|| cache.get(key))
            .ok_or_else(|| IndexerError::Index("BUG: a table has no vector".into()))?;
        for value in vector {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
    layout::write_atomically(&dir.join("vectors.bin"), &bytes)?;
    cache.save_subset(&cache_path, &keys, &fresh)?;
    Ok(missing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tantivy_write_on_a_full_disk_is_a_disk_full_error() {
        let full = tantivy::TantivyError::from(std::io::Error::from_raw_os_error(28));
        let error = index_error(Path::new("/data/index/builds/1/tantivy"), "cannot commit")(full);
        assert!(matches!(error, IndexerError::DiskFull { .. }), "{error:?}");
        let other = index_error(Path::new("/x"), "cannot commit")(tantivy::TantivyError::IndexAlreadyExists);
        assert!(matches!(other, IndexerError::Index(_)), "{other:?}");
    }
}
