//! `WarehouseUrl`: where the warehouse is, parsed once at start-up, with its credentials kept secret.

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

use crate::IndexerError;

/// Which database engine a warehouse runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarehouseKind {
    /// Oracle Database, through Oracle's client library.
    Oracle,
    /// PostgreSQL.
    Postgres,
    /// A SQLite file.
    Sqlite,
}

impl WarehouseKind {
    /// Returns the lowercase name used in URLs, logs and the health report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oracle => "oracle",
            Self::Postgres => "postgres",
            Self::Sqlite => "sqlite",
        }
    }
}

/// A parsed warehouse location: `sqlite://PATH`, `postgres://USER:PASS@HOST/DB` or
/// `oracle://USER:PASS@HOST:PORT/SERVICE` (or `oracle://USER:PASS@TNS_ALIAS`).
#[derive(Debug, Clone)]
pub struct WarehouseUrl {
    kind: WarehouseKind,
    url: SecretString,
    redacted: String,
}

impl WarehouseUrl {
    /// Parses a warehouse URL, refusing schemes Pstral cannot read.
    pub fn parse(url: &str) -> Result<Self, IndexerError> {
        let url = url.trim();
        let (scheme, rest) = url
            .split_once(':')
            .ok_or_else(|| IndexerError::Config(format!("warehouse url `{}` has no scheme", redact(url))))?;
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => WarehouseKind::Sqlite,
            "postgres" | "postgresql" => WarehouseKind::Postgres,
            "oracle" => WarehouseKind::Oracle,
            other => {
                return Err(IndexerError::Config(format!(
                    "warehouse scheme `{other}` is not supported: use oracle://, postgres:// or sqlite://"
                )));
            }
        };
        if rest.trim_start_matches('/').is_empty() {
            return Err(IndexerError::Config(format!("warehouse url `{scheme}:` names no database")));
        }
        Ok(Self { kind, url: SecretString::from(url.to_owned()), redacted: redact(url) })
    }

    /// Returns the URL of a SQLite warehouse file.
    pub fn sqlite(path: &std::path::Path) -> Self {
        let url = format!("sqlite://{}", path.display());
        Self { kind: WarehouseKind::Sqlite, redacted: url.clone(), url: SecretString::from(url) }
    }

    /// Builds an Oracle URL from the seed's `ORACLE_USER`, `ORACLE_PASSWORD` and `ORACLE_DSN` variables.
    pub fn oracle(user: &str, password: &SecretString, dsn: &str) -> Self {
        let url = format!(
            "oracle://{}:{}@{}",
            percent_encode(user),
            percent_encode(password.expose_secret()),
            dsn.trim_start_matches("//")
        );
        Self { kind: WarehouseKind::Oracle, redacted: redact(&url), url: SecretString::from(url) }
    }

    /// Returns the engine.
    pub fn kind(&self) -> WarehouseKind {
        self.kind
    }

    /// Returns the URL with any password replaced by `***`, for logs and the health report.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// Returns the full URL, credentials included. Only connection code calls this.
    pub(crate) fn expose(&self) -> &str {
        self.url.expose_secret()
    }

    /// Returns the file path of a SQLite URL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.url.expose_secret().split_once(':')?.1;
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let path = path.split('?').next().unwrap_or(path);
        (self.kind == WarehouseKind::Sqlite && !path.is_empty()).then(|| PathBuf::from(path))
    }

    /// Splits an Oracle URL into user, password and connect string (EZConnect `host:port/service` or a TNS alias).
    pub(crate) fn oracle_parts(&self) -> Result<(String, SecretString, String), IndexerError> {
        let rest = self.url.expose_secret().split_once("://").map(|(_, rest)| rest).unwrap_or_default();
        let (credentials, connect) = rest.rsplit_once('@').ok_or_else(|| {
            IndexerError::Config(format!("oracle url `{}` needs USER:PASSWORD@HOST:PORT/SERVICE", self.redacted))
        })?;
        let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
        Ok((percent_decode(user), SecretString::from(percent_decode(password)), connect.to_owned()))
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|pair| std::str::from_utf8(pair).ok());
        match (bytes[index], hex.and_then(|pair| u8::from_str_radix(pair, 16).ok())) {
            (b'%', Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_recognises_the_three_engines() {
        let cases = [
            ("sqlite://data/demo.sqlite", WarehouseKind::Sqlite),
            ("postgres://reader:secret@db:5432/dwh", WarehouseKind::Postgres),
            ("postgresql://reader@db/dwh", WarehouseKind::Postgres),
            ("oracle://reader:secret@db:1521/ORCLPDB1", WarehouseKind::Oracle),
        ];
        for (url, kind) in cases {
            assert_eq!(WarehouseUrl::parse(url).expect(url).kind(), kind, "{url}");
        }
    }

    #[test]
    fn parse_refuses_unknown_schemes_and_empty_urls() {
        assert!(WarehouseUrl::parse("mysql://root@db/x").is_err());
        assert!(WarehouseUrl::parse("data.sqlite").is_err());
        assert!(WarehouseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn redacted_hides_the_password_but_keeps_the_host() {
        let url = WarehouseUrl::parse("oracle://reader:s3cr%40t@db:1521/ORCLPDB1").expect("valid url");
        assert_eq!(url.redacted(), "oracle://reader:***@db:1521/ORCLPDB1");
        assert!(!format!("{url:?}").contains("s3cr"), "debug output must not leak the password");
    }

    #[test]
    fn oracle_parts_decode_the_password_and_keep_the_connect_string() {
        let url = WarehouseUrl::parse("oracle://reader:s3cr%40t@db:1521/ORCLPDB1").expect("valid url");
        let (user, password, connect) = url.oracle_parts().expect("parts");
        assert_eq!(user, "reader");
        assert_eq!(password.expose_secret(), "s3cr@t");
        assert_eq!(connect, "db:1521/ORCLPDB1");
    }

    #[test]
    fn oracle_from_seed_variables_round_trips_through_parts() {
        let password = SecretString::from("p@ss:word/1".to_owned());
        let url = WarehouseUrl::oracle("HR_READ", &password, "//db.local:1521/PDB1");
        let (user, decoded, connect) = url.oracle_parts().expect("parts");
        assert_eq!(
            (user.as_str(), decoded.expose_secret(), connect.as_str()),
            ("HR_READ", "p@ss:word/1", "db.local:1521/PDB1")
        );
        assert_eq!(url.redacted(), "oracle://HR_READ:***@db.local:1521/PDB1");
    }

    #[test]
    fn sqlite_path_strips_the_scheme_and_query() {
        let url = WarehouseUrl::parse("sqlite://data/demo.sqlite?mode=ro").expect("valid url");
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("data/demo.sqlite")));
        let url = WarehouseUrl::parse("sqlite:/abs/demo.sqlite").expect("valid url");
        assert_eq!(url.sqlite_path(), Some(PathBuf::from("/abs/demo.sqlite")));
    }
}
