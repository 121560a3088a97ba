//! The indexer's one error type.

/// What kind of failure an [`IndexerError`] is, so callers can map it without matching every variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The thing asked for does not exist.
    NotFound,
    /// The input or the configuration is wrong.
    Invalid,
    /// A warehouse, a file or a model is out of reach; trying again later may work.
    Unavailable,
    /// A bug or an unexpected state.
    Internal,
}

/// Errors raised by the indexer.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// The warehouse URL or another setting cannot be used.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The warehouse could not be reached or refused the connection.
    #[error("warehouse {target} is unreachable: {source}")]
    Connect {
        /// The warehouse, without credentials.
        target: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A query on the warehouse failed.
    #[error("warehouse query failed while {action}: {source}")]
    Query {
        /// What the indexer was doing, e.g. `reading columns`.
        action: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Oracle's client library or server returned an error.
    #[error("oracle failed while {action}: {source}")]
    Oracle {
        /// What the indexer was doing, e.g. `connecting`.
        action: &'static str,
        /// The `oracle` crate's error (ORA-xxxxx, DPI-xxxx).
        #[source]
        source: oracle::Error,
    },
    /// The embedding runtime or model is missing or failed; retrieval falls back to keywords.
    #[error("embeddings unavailable: {0}")]
    Embedding(String),
    /// The search index is missing, corrupt or could not be written.
    #[error("index error: {0}")]
    Index(String),
    /// A call took longer than its limit.
    #[error("timed out after {seconds} s while {action}")]
    Timeout {
        /// What the indexer was doing.
        action: &'static str,
        /// The limit that was reached.
        seconds: u64,
    },
    /// The disk holding the index is full (or the user's quota is used up): nothing was published.
    #[error(
        "no space left on the disk holding {path}: free space there (or move the data directory to a larger disk), \
         then re-index; the previous index keeps serving"
    )]
    DiskFull {
        /// The directory being written.
        path: String,
    },
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What the indexer was doing, e.g. `failed to create`.
        action: &'static str,
        /// The file or directory.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl IndexerError {
    /// Returns the kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Config(_) => ErrorKind::Invalid,
            Self::Connect { .. }
            | Self::Io { .. }
            | Self::Oracle { .. }
            | Self::Timeout { .. }
            | Self::Embedding(_)
            | Self::DiskFull { .. }
            | Self::Index(_) => ErrorKind::Unavailable,
            Self::Query { .. } => ErrorKind::Internal,
        }
    }

    /// Builds an [`IndexerError::Io`] for `path`, or [`IndexerError::DiskFull`] when the disk is full.
    pub fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        if is_disk_full(&source) {
            return Self::DiskFull { path: path.display().to_string() };
        }
        Self::Io { action, path: path.display().to_string(), source }
    }
}

/// Whether the operating system says the disk, or the user's quota, is full.
pub(crate) fn is_disk_full(error: &std::io::Error) -> bool {
    const EDQUOT: i32 = 122;
    error.kind() == std::io::ErrorKind::StorageFull || error.raw_os_error() == Some(EDQUOT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_named_with_what_to_do_wherever_the_os_error_sits() {
        let full = || std::io::Error::from_raw_os_error(28);
        let error = IndexerError::io("failed to write", std::path::Path::new("/data/index/x"), full());
        assert!(matches!(error, IndexerError::DiskFull { .. }));
        assert!(error.to_string().contains("no space left on the disk holding /data/index/x: free space"));
        let other =
            IndexerError::io("failed to write", std::path::Path::new("/x"), std::io::ErrorKind::NotFound.into());
        assert!(matches!(other, IndexerError::Io { .. }));
    }
}
