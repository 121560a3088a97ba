//! Running a query read-only: a row cap (one row more is read to know the result was cut), a timeout, and the
//! rows as one Arrow record batch with a type per column. SQLite's per-value types are unified per column
//! (integers, then floats, else text). Call it only with SQL the guard allowed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use futures_util::TryStreamExt;
use sqlx::{Column, Row, TypeInfo, ValueRef};

use super::explain::SqlError;
use super::{Pool, Warehouse};
use crate::IndexerError;

/// Bounds of one run.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Rows returned at most; the result says when more existed.
    pub max_rows: usize,
    /// Longest the query may run.
    pub timeout: Duration,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self { max_rows: 1_000, timeout: Duration::from_secs(30) }
    }
}

/// Rows of a successful run.
#[derive(Debug, Clone)]
pub struct QueryRows {
    /// The rows, one typed Arrow column per result column.
    pub batch: RecordBatch,
    /// More rows existed than `max_rows`.
    pub truncated: bool,
    /// Time spent in the warehouse, in milliseconds.
    pub elapsed_ms: u64,
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub enum RunOutcome {
    /// The rows.
    Rows(QueryRows),
    /// The warehouse refused the statement.
    Refused(SqlError),
}

/// One cell, before the column's Arrow type is chosen.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// SQL NULL.
    Null,
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Text, and anything rendered as text.
    Text(String),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01T00:00Z.
    Timestamp(i64),
}

impl Cell {
    fn render(&self) -> Option<String> {
        match self {
            Self::Null => None,
            Self::Int(value) => Some(value.to_string()),
            Self::Float(value) => Some(value.to_string()),
            Self::Bool(value) => Some(value.to_string()),
            Self::Text(value) => Some(value.clone()),
            Self::Date(days) => Some(date_text(*days)),
            Self::Timestamp(micros) => Some(timestamp_text(*micros)),
        }
    }
}

impl Warehouse {
    /// Runs `sql` read-only within `limits`. `Err` means the warehouse could not be asked; a statement it refuses
    /// is `Ok(RunOutcome::Refused)`; a timeout is `Err(IndexerError::Timeout)`.
    pub async fn run(&self, sql: &str, limits: &QueryLimits) -> Result<RunOutcome, IndexerError> {
        let started = Instant::now();
        let seconds = limits.timeout.as_secs().max(1);
        let fetched = tokio::time::timeout(limits.timeout, self.fetch(sql, limits.max_rows + 1))
            .await
            .map_err(|_| IndexerError::Timeout { action: "running the query", seconds })??;
        let (names, mut rows) = match fetched {
            Ok(fetched) => fetched,
            Err(refusal) => return Ok(RunOutcome::Refused(refusal)),
        };
        let truncated = rows.len() > limits.max_rows;
        rows.truncate(limits.max_rows);
        let batch = to_batch(&names, rows)?;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(RunOutcome::Rows(QueryRows { batch, truncated, elapsed_ms }))
    }

    /// Fetches at most `cap` rows: the column names and the cells, or the warehouse's refusal.
    async fn fetch(
        &self,
        sql: &str,
        cap: usize,
    ) -> Result<Result<(Vec<String>, Vec<Vec<Cell>>), SqlError>, IndexerError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch(pool);
                collect_rows(&mut stream, cap, sqlite_cell).await
            }
            Pool::Postgres(pool) => {
                let mut transaction = super::read_only_transaction(pool).await?;
                let result = {
                    let mut stream = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch(&mut *transaction);
                    collect_rows(&mut stream, cap, postgres_cell).await
                };
                let _rolled_back = transaction.rollback().await;
                result
            }
            Pool::Oracle(source) => source.fetch(sql, cap).await,
        }
    }
}

/// Reads rows from a sqlx stream until `cap`, turning each value into a cell with `decode`.
async fn collect_rows<R, S>(
    stream: &mut S,
    cap: usize,
    decode: fn(&R, usize) -> Cell,
) -> Result<Result<(Vec<String>, Vec<Vec<Cell>>), SqlError>, IndexerError>
where
    R: Row,
    S: futures_util::Stream<Item = Result<R, sqlx::Error>> + Unpin,
{
    let mut names = Vec::new();
    let mut rows = Vec::new();
    while rows.len() < cap {
        match stream.try_next().await {
            Ok(Some(row)) => {
                if names.is_empty() {
                    names = row.columns().iter().map(|column| column.name().to_owned()).collect();
                }
                rows.push((0..row.len()).map(|index| decode(&row, index)).collect());
            }
            Ok(None) => break,
            Err(sqlx::Error::Database(database)) => {
                return Ok(Err(SqlError::from_engine(
                    database.code().map(|code| code.into_owned()),
                    database.message().to_owned(),
                )));
            }
            Err(source) => return Err(IndexerError::Query { action: "reading rows", source }),
        }
    }
    Ok(Ok((names, rows)))
}

fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, index: usize) -> Cell {
    let Ok(raw) = row.try_get_raw(index) else { return Cell::Null };
    if raw.is_null() {
        return Cell::Null;
    }
    let storage = raw.type_info().name().to_owned();
    match storage.as_str() {
        "INTEGER" => row.try_get::<i64, _>(index).map_or(Cell::Null, Cell::Int),
        "REAL" => row.try_get::<f64, _>(index).map_or(Cell::Null, Cell::Float),
        "BLOB" => {
            row.try_get::<Vec<u8>, _>(index).map_or(Cell::Null, |bytes| Cell::Text(format!("<{} bytes>", bytes.len())))
        }
        _ => row.try_get::<String, _>(index).map_or(Cell::Null, Cell::Text),
    }
}

fn postgres_cell(row: &sqlx::postgres::PgRow, index: usize) -> Cell {
    let Ok(raw) = row.try_get_raw(index) else { return Cell::Null };
    if raw.is_null() {
        return Cell::Null;
    }
    let type_name = raw.type_info().name().to_owned();
    let text = |row: &sqlx::postgres::PgRow| {
        row.try_get::<String, _>(index).map_or_else(|_| Cell::Text(format!("<{type_name}>")), Cell::Text)
    };
    match type_name.as_str() {
        "INT2" => row.try_get::<i16, _>(index).map_or(Cell::Null, |value| Cell::Int(value.into())),
        "INT4" => row.try_get::<i32, _>(index).map_or(Cell::Null, |value| Cell::Int(value.into())),
        "INT8" => row.try_get::<i64, _>(index).map_or(Cell::Null, Cell::Int),
        "FLOAT4" => row.try_get::<f32, _>(index).map_or(Cell::Null, |value| Cell::Float(value.into())),
        "FLOAT8" => row.try_get::<f64, _>(index).map_or(Cell::Null, Cell::Float),
        "NUMERIC" => row.try_get::<rust_decimal::Decimal, _>(index).map_or(Cell::Null, |value| {
            rust_decimal::prelude::ToPrimitive::to_f64(&value).map_or(Cell::Text(value.to_string()), Cell::Float)
        }),
        "BOOL" => row.try_get::<bool, _>(index).map_or(Cell::Null, Cell::Bool),
        "DATE" => row.try_get::<time::Date, _>(index).map_or(Cell::Null, |date| Cell::Date(days_since_epoch(date))),
        "TIMESTAMP" => row
            .try_get::<time::PrimitiveDateTime, _>(index)
            .map_or(Cell::Null, |moment| Cell::Timestamp(micros_since_epoch(moment.assume_utc()))),
        "TIMESTAMPTZ" => row
            .try_get::<time::OffsetDateTime, _>(index)
            .map_or(Cell::Null, |moment| Cell::Timestamp(micros_since_epoch(moment))),
        "UUID" => row.try_get::<uuid::Uuid, _>(index).map_or(Cell::Null, |value| Cell::Text(value.to_string())),
        "JSON" | "JSONB" => {
            row.try_get::<serde_json::Value, _>(index).map_or(Cell::Null, |value| Cell::Text(value.to_string()))
        }
        _ => text(row),
    }
}

fn days_since_epoch(date: time::Date) -> i32 {
    date.to_julian_day() - time::Date::from_ordinal_date(1970, 1).map(time::Date::to_julian_day).unwrap_or(2_440_588)
}

fn micros_since_epoch(moment: time::OffsetDateTime) -> i64 {
    i64::try_from(moment.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

/// Renders days since 1970-01-01 as `YYYY-MM-DD`.
pub fn date_text(days: i32) -> String {
    time::Date::from_julian_day(2_440_588 + days).map(|date| date.to_string()).unwrap_or_default()
}

/// Renders microseconds since 1970-01-01T00:00Z as RFC 3339.
pub fn timestamp_text(micros: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .ok()
        .and_then(|moment| moment.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Chooses each column's Arrow type from its cells and builds the batch.
pub(crate) fn to_batch(names: &[String], rows: Vec<Vec<Cell>>) -> Result<RecordBatch, IndexerError> {
    let mut fields = Vec::with_capacity(names.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for (index, name) in names.iter().enumerate() {
        let cells: Vec<&Cell> = rows.iter().map(|row| row.get(index).unwrap_or(&Cell::Null)).collect();
        let present = || cells.iter().filter(|cell| !matches!(cell, Cell::Null));
        let all = |test: fn(&Cell) -> bool| present().all(|cell| test(cell));
        let (data_type, array): (DataType, ArrayRef) = if present().next().is_none()
            || all(|cell| matches!(cell, Cell::Text(_)))
        {
            (DataType::Utf8, Arc::new(cells.iter().map(|cell| cell.render()).collect::<StringArray>()))
        } else if all(|cell| matches!(cell, Cell::Int(_))) {
            (
                DataType::Int64,
                Arc::new(
                    cells
                        .iter()
                        .map(|cell| if let Cell::Int(value) = cell { Some(*value) } else { None })
                        .collect::<Int64Array>(),
                ),
            )
        } else if all(|cell| matches!(cell, Cell::Int(_) | Cell::Float(_))) {
            let floats = cells.iter().map(|cell| match cell {
                Cell::Int(value) => Some(*value as f64),
                Cell::Float(value) => Some(*value),
                _ => None,
            });
            (DataType::Float64, Arc::new(floats.collect::<Float64Array>()))
        } else if all(|cell| matches!(cell, Cell::Bool(_))) {
            (
                DataType::Boolean,
                Arc::new(
                    cells
                        .iter()
                        .map(|cell| if let Cell::Bool(value) = cell { Some(*value) } else { None })
                        .collect::<BooleanArray>(),
                ),
            )
        } else if all(|cell| matches!(cell, Cell::Date(_))) {
            (
                DataType::Date32,
                Arc::new(
                    cells
                        .iter()
                        .map(|cell| if let Cell::Date(value) = cell { Some(*value) } else { None })
                        .collect::<Date32Array>(),
                ),
            )
        } else if all(|cell| matches!(cell, Cell::Timestamp(_))) {
            let values = cells.iter().map(|cell| if let Cell::Timestamp(value) = cell { Some(*value) } else { None });
            (DataType::Timestamp(TimeUnit::Microsecond, None), Arc::new(values.collect::<TimestampMicrosecondArray>()))
        } else {
            (DataType::Utf8, Arc::new(cells.iter().map(|cell| cell.render()).collect::<StringArray>()))
        };
        fields.push(Field::new(name, data_type, true));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(schema, arrays, &options)
        .map_err(|error| IndexerError::Index(format!("BUG: cannot build the result batch: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_are_unified_from_their_cells() {
        let names = ["n".to_owned(), "mixed".to_owned(), "label".to_owned(), "empty".to_owned()];
        let rows = vec![
            vec![Cell::Int(1), Cell::Int(2), Cell::Text("a".into()), Cell::Null],
            vec![Cell::Int(3), Cell::Float(2.5), Cell::Int(7), Cell::Null],
        ];
        let batch = to_batch(&names, rows).expect("batch");
        let types: Vec<_> = batch.schema().fields().iter().map(|field| field.data_type().clone()).collect();
        assert_eq!(types, [DataType::Int64, DataType::Float64, DataType::Utf8, DataType::Utf8]);
        assert_eq!(batch.num_rows(), 2);
    }

    #[test]
    fn dates_round_trip_through_days_since_epoch() {
        let date = time::Date::from_calendar_date(2025, time::Month::December, 31).expect("date");
        assert_eq!(date_text(days_since_epoch(date)), "2025-12-31");
        assert_eq!(days_since_epoch(time::Date::from_calendar_date(1970, time::Month::January, 2).expect("date")), 1);
    }
}
