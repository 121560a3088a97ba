//! Sentence embeddings in process with fastembed (all-MiniLM-L6-v2, int8, 384 dimensions) on ONNX Runtime.
//!
//! Everything is loaded from local files fetched by `scripts/assets.sh`: ONNX Runtime is opened with
//! `ort::init_from` (an error, not a panic, when it is missing) and the model is a user-defined fastembed model
//! with mean pooling (without it fastembed silently uses the CLS token and the vectors are wrong).
//! Calls block: run them on a blocking thread.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use fastembed::{InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel};

use crate::IndexerError;

/// Where the embedding runtime and model live, and how hard to drive them.
#[derive(Debug, Clone)]
pub struct EmbedderConfig {
    /// ONNX Runtime's shared library (`libonnxruntime.so.1.24.4`).
    pub onnxruntime: PathBuf,
    /// Directory holding `model.onnx`, `tokenizer.json`, `config.json`, `special_tokens_map.json` and
    /// `tokenizer_config.json`.
    pub model_dir: PathBuf,
    /// Threads ONNX Runtime may use for one call (a question, or a batch while indexing). They sleep between calls
    /// instead of spinning, so an idle embedder leaves the cores to the model.
    pub threads: usize,
    /// Longest input in tokens; longer texts are truncated.
    pub max_length: usize,
}

impl EmbedderConfig {
    /// Returns the configuration for the assets cached by `scripts/assets.sh` under `assets_dir`, with one thread.
    pub fn from_assets_dir(assets_dir: &Path) -> Self {
        Self {
            onnxruntime: assets_dir.join("onnxruntime").join("libonnxruntime.so.1.24.4"),
            model_dir: assets_dir.join("minilm"),
            threads: 1,
            max_length: 128,
        }
    }
}

/// A loaded embedding model.
pub struct Embedder {
    model: Mutex<TextEmbedding>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Embedder").finish_non_exhaustive()
    }
}

/// Name of the embedding model, recorded in each index so a model change forces a re-embed.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2-int8";

/// Number of dimensions of every vector.
pub const DIMENSION: usize = 384;

impl Embedder {
    /// Loads ONNX Runtime and the model. Fails with a message naming the missing file and the fix.
    pub fn load(config: &EmbedderConfig) -> Result<Self, IndexerError> {
        let missing = |path: &Path| {
            IndexerError::Embedding(format!("{} is missing: run `scripts/assets.sh embeddings`", path.display()))
        };
        if !config.onnxruntime.is_file() {
            return Err(missing(&config.onnxruntime));
        }
        ort::init_from(&config.onnxruntime)
            .map_err(|error| IndexerError::Embedding(format!("cannot load ONNX Runtime: {error}")))?;
        let read = |name: &str| {
            let path = config.model_dir.join(name);
            std::fs::read(&path).map_err(|_| missing(&path))
        };
        let tokenizer_files = TokenizerFiles {
            tokenizer_file: read("tokenizer.json")?,
            config_file: read("config.json")?,
            special_tokens_map_file: read("special_tokens_map.json")?,
            tokenizer_config_file: read("tokenizer_config.json")?,
        };
        let model = UserDefinedEmbeddingModel::new(read("model.onnx")?, tokenizer_files).with_pooling(Pooling::Mean);
        // Without ONNX Runtime's arena, memory used by a large build batch goes back to the allocator instead of
        // staying reserved for the life of the process (about 70 MB at batch 32).
        let cpu = ort::ep::CPU::default().with_arena_allocator(false).build();
        let options = InitOptionsUserDefined::new()
            .with_max_length(config.max_length)
            .with_intra_threads(config.threads.max(1))
            .with_session_config("session.intra_op.allow_spinning", "0")
            .with_execution_providers(vec![cpu]);
        let model = TextEmbedding::try_new_from_user_defined(model, options)
            .map_err(|error| IndexerError::Embedding(format!("cannot load the embedding model: {error}")))?;
        Ok(Self { model: Mutex::new(model) })
    }

    /// Returns one normalised vector per text, in order.
    pub fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, IndexerError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut model =
            self.model.lock().map_err(|_| IndexerError::Embedding("the embedding model panicked".into()))?;
        let vectors = model
            .embed(texts, Some(32))
            .map_err(|error| IndexerError::Embedding(format!("embedding failed: {error}")))?;
        Ok(vectors.into_iter().map(normalise).collect())
    }
}

fn normalise(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = vector.iter().map(|value| value * value).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|value| *value /= norm);
    }
    vector
}

/// Returns the dot product of two vectors (their cosine when both are normalised). It keeps eight running sums so
/// the compiler can hold them in SIMD registers: one question against a 10,000-table catalog is 3.8 million
/// products, and a single running sum makes each wait for the one before.
pub fn dot(left: &[f32], right: &[f32]) -> f32 {
    const LANES: usize = 8;
    let length = left.len().min(right.len());
    let ((left, left_tail), (right, right_tail)) =
        (left[..length].as_chunks::<LANES>(), right[..length].as_chunks::<LANES>());
    let tail: f32 = left_tail.iter().zip(right_tail).map(|(a, b)| a * b).sum();
    let mut sums = [0.0f32; LANES];
    for (a, b) in left.iter().zip(right) {
        for ((sum, x), y) in sums.iter_mut().zip(a).zip(b) {
            *sum += x * y;
        }
    }
    sums.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The assets fetched by `scripts/assets.sh` (the README's commands run it first).
    fn assets() -> EmbedderConfig {
        let dir = std::env::var_os("PSTRAL_ASSETS_DIR").map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/pstral/assets")
        });
        EmbedderConfig::from_assets_dir(&dir)
    }

    #[test]
    fn similar_sentences_are_closer_than_unrelated_ones() {
        let embedder = Embedder::load(&assets()).expect("assets fetched by scripts/assets.sh");
        let texts = [
            "insurance contracts cancelled last year".to_owned(),
            "which insurance policies were terminated".to_owned(),
            "an easy apple pie recipe".to_owned(),
        ];
        let vectors = embedder.embed(&texts).expect("embeds");
        assert_eq!(vectors.len(), 3);
        assert!(vectors.iter().all(|vector| vector.len() == DIMENSION));
        let norm = dot(&vectors[0], &vectors[0]);
        assert!((norm - 1.0).abs() < 1e-3, "normalised: {norm}");
        assert!(dot(&vectors[0], &vectors[1]) > dot(&vectors[0], &vectors[2]));
    }

    #[test]
    fn more_threads_give_the_same_vectors() {
        let texts = ["montant des sinistres par agence".to_owned(), "clients à Paris".to_owned()];
        let one =
            Embedder::load(&assets()).expect("assets fetched by scripts/assets.sh").embed(&texts).expect("embeds");
        let config = EmbedderConfig { threads: 2, ..assets() };
        let two = Embedder::load(&config).expect("loads with two threads").embed(&texts).expect("embeds");
        assert_eq!((one.len(), two.len()), (2, 2));
        for (left, right) in one.iter().zip(&two) {
            assert!(dot(left, right) > 0.999, "same text, same vector whatever the threads");
        }
    }

    #[test]
    fn the_dot_product_is_the_sum_of_the_products_whatever_the_length() {
        for length in [0, 1, 7, 8, 13, DIMENSION] {
            let left: Vec<f32> = (0..length).map(|i| (i as f32 * 0.37).sin()).collect();
            let right: Vec<f32> = (0..length).map(|i| (i as f32 * 0.11).cos()).collect();
            let expected: f64 = left.iter().zip(&right).map(|(a, b)| f64::from(*a) * f64::from(*b)).sum();
            assert!((f64::from(dot(&left, &right)) - expected).abs() < 1e-4, "length {length}");
        }
        assert_eq!(dot(&[1.0, 2.0, 3.0], &[4.0, 5.0]), 14.0, "the shorter length counts");
    }

    #[test]
    fn a_missing_runtime_is_an_error_that_names_the_fix() {
        let config = EmbedderConfig { onnxruntime: PathBuf::from("/nonexistent/libonnxruntime.so"), ..assets() };
        let error = Embedder::load(&config).expect_err("missing runtime");
        assert!(error.to_string().contains("scripts/assets.sh"), "{error}");
    }
}
