//! Arrow record batches to the wire's typed columns.

use arrow_array::{
    Array, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, TimeUnit};
use indexer::catalog::Catalog;
use indexer::source::run::{date_text, timestamp_text};
use schemas::{CodeLabel, ColumnValues, ResultColumn};

use crate::guard::CheckedStatement;

/// Gives each result column named like a code column of a table `statement` reads that column's codes and
/// labels (a column renamed by an alias keeps none: its name no longer says where it comes from).
pub fn label_codes(columns: &mut [ResultColumn], statement: &CheckedStatement, catalog: &Catalog) {
    for column in columns {
        let source = statement
            .tables()
            .iter()
            .filter_map(|name| catalog.table(None, name.rsplit('.').next().unwrap_or(name)))
            .find_map(|table| table.column(&column.name).filter(|source| !source.codes.is_empty()));
        if let Some(source) = source {
            column.codes = source
                .codes
                .iter()
                .map(|code| CodeLabel {
                    value: code.value.clone(),
                    label: indexer::vocabulary::short_label(&code.label),
                })
                .collect();
        }
    }
}

/// Converts each column of `batch` to its wire form; types the wire lacks become text.
pub fn to_columns(batch: &RecordBatch) -> Vec<ResultColumn> {
    let schema = batch.schema();
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, array)| {
            let any = array.as_any();
            let data = match field.data_type() {
                DataType::Int64 => {
                    any.downcast_ref::<Int64Array>().map(|values| ColumnValues::Int64(values.iter().collect()))
                }
                DataType::Float64 => {
                    any.downcast_ref::<Float64Array>().map(|values| ColumnValues::Float64(values.iter().collect()))
                }
                DataType::Boolean => {
                    any.downcast_ref::<BooleanArray>().map(|values| ColumnValues::Bool(values.iter().collect()))
                }
                DataType::Date32 => any
                    .downcast_ref::<Date32Array>()
                    .map(|values| ColumnValues::Date(values.iter().map(|days| days.map(date_text)).collect())),
                DataType::Timestamp(TimeUnit::Microsecond, _) => {
                    any.downcast_ref::<TimestampMicrosecondArray>().map(|values| {
                        ColumnValues::Timestamp(values.iter().map(|micros| micros.map(timestamp_text)).collect())
                    })
                }
                _ => any
                    .downcast_ref::<StringArray>()
                    .map(|values| ColumnValues::Text(values.iter().map(|value| value.map(str::to_owned)).collect())),
            };
            let data = data.unwrap_or_else(|| ColumnValues::Text(vec![None; array.len()]));
            ResultColumn::new(field.name().clone(), data)
        })
        .collect()
}
