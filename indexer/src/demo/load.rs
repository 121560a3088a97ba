//! Loads the generated demo data into a new SQLite file or into a PostgreSQL schema, with the matching DDL.
//!
//! All rows go in one transaction with bound parameters, parents before children with foreign keys enforced:
//! multi-row `INSERT`s for SQLite, one array per column (`INSERT … SELECT * FROM UNNEST(…)`) for PostgreSQL. The SQL text is built only from the static schema and, for PostgreSQL,
//! from a schema name checked to be a plain identifier; no value is ever spliced into it.

use std::path::Path;

use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgPool, SqliteConnection};

use super::DemoSummary;
use super::ddl::{Dialect, render_ddl};
use super::generate::{Dataset, TableData, Value, generate, iso};
use super::schema::{ColumnDef, ColumnType, TableDef, tables};
use crate::IndexerError;

/// Most bound parameters in one SQLite statement, under SQLite's default limit (32,766).
const SQLITE_MAX_PARAMETERS: usize = 30_000;

/// Most rows sent in one PostgreSQL statement (each column travels as one array parameter).
const POSTGRES_ROWS_PER_STATEMENT: usize = 20_000;

/// Builds the demo warehouse as a SQLite file at `path`, atomically: it is built next to `path` (with a `.tmp`
/// extension, a stale one being removed first) and renamed into place only once complete.
pub async fn build_sqlite(path: &Path) -> Result<DemoSummary, IndexerError> {
    let dataset = generate_off_runtime().await;
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await.map_err(|error| IndexerError::io("failed to create", parent, error))?;
    }
    let temporary = path.with_extension("tmp");
    remove_if_present(&temporary).await?;
    let options = SqliteConnectOptions::new()
        .filename(&temporary)
        .create_if_missing(true)
        .foreign_keys(true)
        // The file is thrown away on failure, so a crash-safe journal would only slow the build down.
        .journal_mode(SqliteJournalMode::Memory)
        .synchronous(SqliteSynchronous::Off);
    let mut connection = options
        .connect()
        .await
        .map_err(|source| IndexerError::Connect { target: temporary.display().to_string(), source })?;
    let loaded = fill_sqlite(&mut connection, &dataset).await;
    let closed = connection.close().await;
    let outcome = loaded.and(closed.map_err(|source| IndexerError::Query { action: "closing the demo file", source }));
    if let Err(error) = outcome {
        // The partial file is useless; the original error matters more than a failure to clean it up.
        let _ = tokio::fs::remove_file(&temporary).await;
        return Err(error);
    }
    tokio::fs::rename(&temporary, path)
        .await
        .map_err(|error| IndexerError::io("failed to move into place", path, error))?;
    Ok(summary(&dataset))
}

/// Creates the demo tables in the PostgreSQL schema `schema` (created if missing, existing demo tables dropped
/// first) and loads the demo rows, in one transaction.
pub async fn load_postgres(pool: &PgPool, schema: &str) -> Result<DemoSummary, IndexerError> {
    let plain_identifier = schema.len() <= 63
        && schema.starts_with(|first: char| first.is_ascii_lowercase() || first == '_')
        && schema.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain_identifier {
        return Err(IndexerError::Config(format!(
            "invalid demo schema name {schema:?}: use lower-case letters, digits and _"
        )));
    }
    let dataset = generate_off_runtime().await;
    let query_error = |action: &'static str| move |source| IndexerError::Query { action, source };
    let mut transaction = pool.begin().await.map_err(query_error("starting the demo load"))?;
    let mut setup = format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\";\nSET LOCAL search_path TO \"{schema}\";\n");
    for table in tables().iter().rev() {
        setup.push_str(&format!("DROP TABLE IF EXISTS {} CASCADE;\n", table.name));
    }
    sqlx::raw_sql(AssertSqlSafe(setup))
        .execute(&mut *transaction)
        .await
        .map_err(query_error("preparing the demo schema"))?;
    sqlx::raw_sql(AssertSqlSafe(render_ddl(Dialect::Postgres)))
        .execute(&mut *transaction)
        .await
        .map_err(query_error("creating the demo tables"))?;
    for data in dataset.tables() {
        let sql = postgres_insert(data.definition);
        for rows in data.rows.chunks(POSTGRES_ROWS_PER_STATEMENT) {
            let mut query: Query<'_, Postgres, PgArguments> = sqlx::query(AssertSqlSafe(sql.clone()));
            for (index, column) in data.definition.columns.iter().enumerate() {
                query = bind_postgres_column(query, rows, index, column);
            }
            query.execute(&mut *transaction).await.map_err(query_error("inserting the demo rows"))?;
        }
    }
    transaction.commit().await.map_err(query_error("committing the demo load"))?;
    Ok(summary(&dataset))
}

/// Generates the data set on a blocking thread: it takes a few hundred milliseconds of CPU, too long to hold an
/// async worker.
async fn generate_off_runtime() -> Dataset {
    tokio::task::spawn_blocking(generate).await.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
}

/// Creates the tables and inserts every row into an empty SQLite database, in one transaction.
async fn fill_sqlite(connection: &mut SqliteConnection, dataset: &Dataset) -> Result<(), IndexerError> {
    let query_error = |action: &'static str| move |source| IndexerError::Query { action, source };
    let mut transaction = connection.begin().await.map_err(query_error("starting the demo build"))?;
    sqlx::raw_sql(AssertSqlSafe(render_ddl(Dialect::Sqlite)))
        .execute(&mut *transaction)
        .await
        .map_err(query_error("creating the demo tables"))?;
    for data in dataset.tables() {
        for (sql, rows) in sqlite_batches(data) {
            let mut query: Query<'_, Sqlite, SqliteArguments> = sqlx::query(AssertSqlSafe(sql));
            for row in rows {
                for value in row {
                    query = bind_sqlite(query, value);
                }
            }
            query.execute(&mut *transaction).await.map_err(query_error("inserting the demo rows"))?;
        }
    }
    transaction.commit().await.map_err(query_error("committing the demo build"))
}

/// Splits a table's rows into batches that fit SQLite's parameter limit, each with its multi-row `INSERT`.
fn sqlite_batches(data: &TableData) -> Vec<(String, &[Vec<Value>])> {
    let columns = data.definition.columns;
    let rows_per_batch = (SQLITE_MAX_PARAMETERS / columns.len()).max(1);
    let column_list = columns.iter().map(|column| column.name).collect::<Vec<_>>().join(", ");
    let placeholders = format!("({})", vec!["?"; columns.len()].join(", "));
    data.rows
        .chunks(rows_per_batch)
        .map(|rows| {
            let values = vec![placeholders.as_str(); rows.len()].join(", ");
            (format!("INSERT INTO {} ({column_list}) VALUES {values}", data.definition.name), rows)
        })
        .collect()
}

/// Returns the PostgreSQL `INSERT` that loads many rows of `table` at once: one array parameter per column,
/// zipped back into rows by `UNNEST`.
fn postgres_insert(table: &TableDef) -> String {
    let column_list = table.columns.iter().map(|column| column.name).collect::<Vec<_>>().join(", ");
    let arrays = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let element = match column.column_type {
                ColumnType::Integer(precision) if precision > 10 => "BIGINT",
                ColumnType::Integer(_) => "INTEGER",
                ColumnType::Decimal(..) => "NUMERIC",
                ColumnType::Varchar(_) => "TEXT",
                ColumnType::Date => "DATE",
            };
            format!("${}::{element}[]", index + 1)
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {} ({column_list}) SELECT * FROM UNNEST({arrays})", table.name)
}

/// Binds one value for SQLite: dates as `YYYY-MM-DD` text, decimals as reals (kept as reals by the `REAL` columns).
fn bind_sqlite<'q>(query: Query<'q, Sqlite, SqliteArguments>, value: &Value) -> Query<'q, Sqlite, SqliteArguments> {
    match value {
        Value::Null => query.bind(None::<i64>),
        Value::Integer(number) => query.bind(*number),
        Value::Decimal(hundredths) => query.bind(*hundredths as f64 / 100.0),
        Value::Text(text) => query.bind(text.as_str()),
        Value::Date(day) => query.bind(iso(*day)),
    }
}

/// Binds column `index` of `rows` as one PostgreSQL array of the column's type (decimals travel as text and
/// are cast by the statement).
fn bind_postgres_column<'q>(
    query: Query<'q, Postgres, PgArguments>,
    rows: &[Vec<Value>],
    index: usize,
    column: &ColumnDef,
) -> Query<'q, Postgres, PgArguments> {
    let values = rows.iter().map(|row| &row[index]);
    match column.column_type {
        ColumnType::Integer(precision) if precision > 10 => {
            query.bind(values.map(integer).collect::<Vec<Option<i64>>>())
        }
        ColumnType::Integer(_) => query.bind(
            values
                .map(|value| {
                    integer(value).map(|number| {
                        i32::try_from(number).expect("BUG: NUMBER(10) demo values fit a PostgreSQL INTEGER")
                    })
                })
                .collect::<Vec<Option<i32>>>(),
        ),
        ColumnType::Decimal(..) => query.bind(
            values.map(|value| (*value != Value::Null).then(|| value.to_string())).collect::<Vec<Option<String>>>(),
        ),
        ColumnType::Varchar(_) => query.bind(
            values
                .map(|value| match value {
                    Value::Text(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect::<Vec<Option<&str>>>(),
        ),
        ColumnType::Date => query.bind(
            values
                .map(|value| match value {
                    Value::Date(day) => Some(*day),
                    _ => None,
                })
                .collect::<Vec<Option<time::Date>>>(),
        ),
    }
}

/// Returns the number an integer value holds, `None` for `NULL`.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(number) => Some(*number),
        _ => None,
    }
}

/// Removes `path` if it exists.
async fn remove_if_present(path: &Path) -> Result<(), IndexerError> {
    match tokio::fs::remove_file(path).await {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(IndexerError::io("failed to remove", path, error))
        }
        _ => Ok(()),
    }
}

/// Returns the per-table row counts of a data set.
fn summary(dataset: &Dataset) -> DemoSummary {
    let tables =
        dataset.tables().iter().map(|data| (data.definition.name.to_owned(), data.rows.len() as u64)).collect();
    DemoSummary { tables, total_rows: dataset.total_rows() }
}

#[cfg(test)]
mod tests {
    use sqlx::{PgConnection, Row};

    use super::*;

    /// Returns one text line per row of `table`, in primary key order, with every value quoted by SQLite.
    async fn sqlite_table_lines(connection: &mut SqliteConnection, table: &TableDef) -> Vec<String> {
        let columns = table.columns.iter().map(|column| format!("quote({})", column.name)).collect::<Vec<_>>();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            columns.join(" || '|' || "),
            table.name,
            table.primary_key.join(", ")
        );
        sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)).fetch_all(connection).await.expect("read table")
    }

    async fn open(path: &Path) -> SqliteConnection {
        SqliteConnectOptions::new().filename(path).read_only(true).connect().await.expect("open the demo file")
    }

    #[tokio::test]
    async fn build_sqlite_creates_a_complete_and_consistent_warehouse() {
        let directory = tempfile::tempdir().expect("tempdir");
        let path = directory.path().join("demo.db");
        std::fs::write(path.with_extension("tmp"), b"stale garbage from an interrupted build")
            .expect("write stale file");

        let summary = build_sqlite(&path).await.expect("build the demo warehouse");

        assert!(path.exists() && !path.with_extension("tmp").exists());
        assert_eq!(summary.tables.len(), tables().len());
        assert_eq!(summary.total_rows, summary.tables.iter().map(|(_, rows)| rows).sum::<u64>());
        let mut connection = open(&path).await;
        let violations = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut connection).await.expect("check");
        assert!(violations.is_empty(), "{} foreign key violations", violations.len());
        for table in tables() {
            let sql = format!("SELECT COUNT(*) FROM {}", table.name);
            let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut connection).await.expect("count");
            assert_eq!(Some(count as u64), summary.rows(table.name), "{}", table.name);
        }
        let parisians: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM CLIENTS C JOIN ADRESSES A ON A.ID_ADRESSE = C.ID_ADRESSE WHERE A.VILLE = 'Paris'",
        )
        .fetch_one(&mut connection)
        .await
        .expect("count Parisian clients");
        assert!(parisians > 100, "only {parisians} clients live in Paris");
        let creation: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'CLIENTS'")
                .fetch_one(&mut connection)
                .await
                .expect("read the CLIENTS definition");
        let first_line = creation.lines().next().expect("a first line");
        assert_eq!(
            first_line,
            format!("CREATE TABLE CLIENTS ( -- {}", crate::demo::table("CLIENTS").expect("CLIENTS").comment)
        );
        assert!(creation.contains(", -- Date d'entrée en relation (création de la fiche client)\n"));
        let amount: f64 = sqlx::query_scalar("SELECT MT_PRIME_TTC FROM CONTRATS WHERE ID_CONTRAT = 1")
            .fetch_one(&mut connection)
            .await
            .expect("read a premium");
        assert!(amount > 0.0);
        for document in crate::demo::documents() {
            for example in sql_examples(document.content) {
                sqlx::query(AssertSqlSafe(example.clone()))
                    .fetch_all(&mut connection)
                    .await
                    .unwrap_or_else(|error| panic!("{}: {error}\n{example}", document.file_name));
            }
        }
    }

    /// Returns the SQL code blocks of a Markdown document.
    fn sql_examples(markdown: &str) -> Vec<String> {
        let mut examples = Vec::new();
        let mut current: Option<String> = None;
        for line in markdown.lines() {
            match (&mut current, line.trim_end()) {
                (None, "```sql") => current = Some(String::new()),
                (Some(example), "```") => {
                    examples.push(std::mem::take(example));
                    current = None;
                }
                (Some(example), text) => {
                    example.push_str(text);
                    example.push('\n');
                }
                (None, _) => {}
            }
        }
        examples
    }

    #[tokio::test]
    async fn two_builds_give_identical_table_contents() {
        let directory = tempfile::tempdir().expect("tempdir");
        let (first, second) = (directory.path().join("first.db"), directory.path().join("second.db"));
        build_sqlite(&first).await.expect("first build");
        build_sqlite(&second).await.expect("second build");
        let (mut first, mut second) = (open(&first).await, open(&second).await);
        for table in tables() {
            let lines = sqlite_table_lines(&mut first, table).await;
            assert!(!lines.is_empty());
            assert!(lines == sqlite_table_lines(&mut second, table).await, "{} differs between builds", table.name);
        }
    }

    #[tokio::test]
    async fn load_postgres_rejects_a_schema_name_that_is_not_a_plain_identifier() {
        let pool =
            sqlx::postgres::PgPoolOptions::new().connect_lazy("postgres://nobody@127.0.0.1:1/none").expect("lazy pool");
        for name in ["", "Demo", "demo; DROP TABLE x", "1demo", "demo-test"] {
            let error = load_postgres(&pool, name).await.expect_err(name);
            assert!(matches!(error, IndexerError::Config(_)), "{name}: {error}");
        }
    }

    #[tokio::test]
    async fn load_postgres_loads_every_row_into_a_fresh_schema() {
        let url =
            std::env::var("PSTRAL_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(&url)
            .await
            .unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {url} (set PSTRAL_TEST_PG_URL): {error}"));
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").subsec_nanos();
        let schema = format!("pstral_demo_test_{}_{nanos}", std::process::id());

        let loaded = load_postgres(&pool, &schema).await;
        let checked = match &loaded {
            Ok(summary) => check_postgres(&pool, &schema, summary).await,
            Err(error) => Err(format!("load failed: {error}")),
        };
        let drop = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        sqlx::raw_sql(AssertSqlSafe(drop)).execute(&pool).await.expect("drop the test schema");
        checked.expect("the loaded schema matches the generated data");
    }

    /// Compares the loaded PostgreSQL schema with the summary; returns what differs.
    async fn check_postgres(pool: &PgPool, schema: &str, summary: &DemoSummary) -> Result<(), String> {
        let mut connection: sqlx::pool::PoolConnection<Postgres> =
            pool.acquire().await.map_err(|error| error.to_string())?;
        let connection: &mut PgConnection = &mut connection;
        for table in tables() {
            let sql = format!("SELECT COUNT(*) FROM \"{schema}\".{}", table.name);
            let count: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_one(&mut *connection)
                .await
                .map_err(|error| error.to_string())?;
            if Some(count as u64) != summary.rows(table.name) {
                return Err(format!("{} has {count} rows, expected {:?}", table.name, summary.rows(table.name)));
            }
        }
        let sql = format!(
            "SELECT obj_description('\"{schema}\".clients'::regclass, 'pg_class') AS comment, \
             (SELECT SUM(mt_prime_ttc)::TEXT FROM \"{schema}\".contrats) AS premiums"
        );
        let row =
            sqlx::query(AssertSqlSafe(sql)).fetch_one(&mut *connection).await.map_err(|error| error.to_string())?;
        let comment: Option<String> = row.try_get("comment").map_err(|error| error.to_string())?;
        if !comment.is_some_and(|comment| comment.starts_with("Clients souscripteurs")) {
            return Err("the CLIENTS comment is missing".into());
        }
        let premiums: String = row.try_get("premiums").map_err(|error| error.to_string())?;
        let expected: i64 = generate()
            .table("CONTRATS")
            .expect("CONTRATS")
            .column("MT_PRIME_TTC")
            .map(|value| match value {
                Value::Decimal(hundredths) => *hundredths,
                _ => 0,
            })
            .sum();
        if premiums != Value::Decimal(expected).to_string() {
            return Err(format!("premiums sum to {premiums}, expected {}", Value::Decimal(expected)));
        }
        Ok(())
    }
}
