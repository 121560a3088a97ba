//! Files for download: a [`Sheet`] (headers and typed cells) written as CSV, XLSX or JSON rows; query results,
//! conversations and the audit log become sheets. The only module writing file formats.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use schemas::conversation::ConversationDetail;
use schemas::export::ExportFormat;
use schemas::{ColumnValues, ResultColumn};

use crate::error::ApiError;

/// The longest text an XLSX cell holds.
const XLSX_MAX_TEXT: usize = 32_767;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// NULL or nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `YYYY-MM-DD`.
    Date(String),
    /// RFC 3339.
    Timestamp(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) | Self::Date(text) | Self::Timestamp(text) => text.clone(),
            Self::Int(value) => value.to_string(),
            Self::Float(value) => value.to_string(),
            Self::Bool(value) => value.to_string(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Self::Empty => serde_json::Value::Null,
            Self::Text(text) | Self::Date(text) | Self::Timestamp(text) => text.clone().into(),
            Self::Int(value) => (*value).into(),
            Self::Float(value) => serde_json::Number::from_f64(*value).map_or(serde_json::Value::Null, Into::into),
            Self::Bool(value) => (*value).into(),
        }
    }
}

impl From<Option<&str>> for Cell {
    fn from(value: Option<&str>) -> Self {
        value.map_or(Self::Empty, |text| Self::Text(text.to_owned()))
    }
}

/// A table to download: a name (the XLSX sheet's), headers, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters, no `[]:*?/\`).
    pub name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A query's result, column by column; a column of codes is followed by its labels (`CD_BRANCHE (libellé)`).
    pub fn from_columns(name: &str, columns: &[ResultColumn]) -> Self {
        let row_count = columns.first().map_or(0, |column| column.data.len());
        let mut rows: Vec<Vec<Cell>> = (0..row_count).map(|_| Vec::with_capacity(columns.len())).collect();
        let mut headers = Vec::with_capacity(columns.len());
        for column in columns {
            headers.push(column.name.clone());
            let cells = column_cells(&column.data);
            let labels: Vec<Cell> = if column.codes.is_empty() {
                Vec::new()
            } else {
                headers.push(format!("{} (libellé)", column.name));
                cells
                    .iter()
                    .map(|cell| match column.label_of(&cell.text()) {
                        Some(label) => Cell::Text(label.to_owned()),
                        None => Cell::Empty,
                    })
                    .collect()
            };
            for (position, (row, cell)) in rows.iter_mut().zip(cells).enumerate() {
                row.push(cell);
                if let Some(label) = labels.get(position) {
                    row.push(label.clone());
                }
            }
        }
        Self { name: name.to_owned(), headers, rows }
    }

    /// A conversation, one row per message.
    pub fn from_conversation(detail: &ConversationDetail) -> Self {
        let headers =
            ["created_at", "role", "content", "sql", "explanation", "row_count", "tables", "error", "feedback"];
        let rows = detail
            .messages
            .iter()
            .map(|message| {
                vec![
                    Cell::Timestamp(message.created_at.clone()),
                    Cell::Text(message.role.clone()),
                    Cell::Text(message.content.clone()),
                    message.sql.as_deref().into(),
                    message.explanation.as_deref().into(),
                    message.row_count.map_or(Cell::Empty, Cell::Int),
                    Cell::Text(message.tables.join(", ")),
                    message.error.as_deref().into(),
                    message.feedback.as_deref().into(),
                ]
            })
            .collect();
        Self { name: "Conversation".to_owned(), headers: headers.map(str::to_owned).to_vec(), rows }
    }

    /// RFC 4180 CSV with CRLF line ends, UTF-8 with a byte-order mark (Excel then reads accents right). A
    /// leading `=`, `+`, `-` or `@` in text is defused with `'` so a spreadsheet does not run it as a formula.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        out.push_str(&self.headers.iter().map(|header| csv_field(header)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let fields = row.iter().map(|cell| match cell {
                Cell::Text(text) => csv_field(text),
                other => csv_quote(other.text()),
            });
            out.push_str(&fields.collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out.into_bytes()
    }

    /// An array of objects, one per row, keyed by header.
    pub fn to_json_rows(&self) -> serde_json::Value {
        self.rows
            .iter()
            .map(|row| {
                self.headers.iter().cloned().zip(row.iter().map(Cell::json)).collect::<serde_json::Map<_, _>>().into()
            })
            .collect::<Vec<serde_json::Value>>()
            .into()
    }

    /// An Excel workbook of one sheet: bold frozen header with a filter, numbers as numbers, dates as dates, text
    /// as text (never a formula), columns fitted.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, ApiError> {
        let fail =
            |error: rust_xlsxwriter::XlsxError| ApiError::Internal(anyhow::anyhow!("writing the workbook: {error}"));
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let moment = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&self.name)).map_err(fail)?;
        for (col, header) in (0u16..).zip(&self.headers) {
            sheet.write_string_with_format(0, col, truncate(header), &bold).map_err(fail)?;
        }
        for (row, cells) in (1u32..).zip(&self.rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    Cell::Empty => None,
                    Cell::Text(text) => Some(sheet.write_string(row, col, truncate(text))),
                    Cell::Int(value) => Some(sheet.write_number(row, col, *value as f64)),
                    Cell::Float(value) => Some(sheet.write_number(row, col, *value)),
                    Cell::Bool(value) => Some(sheet.write_boolean(row, col, *value)),
                    Cell::Date(text) => Some(match ExcelDateTime::parse_from_str(text) {
                        Ok(value) => sheet.write_datetime_with_format(row, col, &value, &date),
                        Err(_) => sheet.write_string(row, col, truncate(text)),
                    }),
                    Cell::Timestamp(text) => Some(match excel_moment(text) {
                        Some(value) => sheet.write_datetime_with_format(row, col, &value, &moment),
                        None => sheet.write_string(row, col, truncate(text)),
                    }),
                }
                .transpose()
                .map_err(fail)?;
            }
        }
        if !self.headers.is_empty() {
            let last_col = u16::try_from(self.headers.len() - 1).unwrap_or(u16::MAX);
            let last_row = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
            sheet.autofilter(0, 0, last_row, last_col).map_err(fail)?;
            sheet.set_freeze_panes(1, 0).map_err(fail)?;
        }
        sheet.autofit();
        workbook.save_to_buffer().map_err(fail)
    }

    /// The sheet as a download in `format`, named `stem.<extension>`.
    pub fn download(&self, format: ExportFormat, stem: &str) -> Result<Response, ApiError> {
        match format {
            ExportFormat::Json => Ok(download(format, stem, self.to_json_rows().to_string().into_bytes())),
            ExportFormat::Csv => Ok(download(format, stem, self.to_csv())),
            ExportFormat::Xlsx => Ok(download(format, stem, self.to_xlsx()?)),
        }
    }
}

/// `body` as an attachment named `stem.<extension>`.
pub fn download(format: ExportFormat, stem: &str, body: Vec<u8>) -> Response {
    let content_type = match format {
        ExportFormat::Json => "application/json",
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let stem: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// Quotes a CSV field; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it.
fn csv_field(value: &str) -> String {
    csv_quote(if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() })
}

fn csv_quote(value: String) -> String {
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

fn column_cells(values: &ColumnValues) -> Vec<Cell> {
    fn each<T>(values: &[Option<T>], cell: impl Fn(&T) -> Cell) -> Vec<Cell> {
        values.iter().map(|value| value.as_ref().map_or(Cell::Empty, &cell)).collect()
    }
    match values {
        ColumnValues::Int64(values) => each(values, |value| Cell::Int(*value)),
        ColumnValues::Float64(values) => each(values, |value| Cell::Float(*value)),
        ColumnValues::Bool(values) => each(values, |value| Cell::Bool(*value)),
        ColumnValues::Date(values) => each(values, |value| Cell::Date(value.clone())),
        ColumnValues::Timestamp(values) => each(values, |value| Cell::Timestamp(value.clone())),
        ColumnValues::Text(values) => each(values, |value| Cell::Text(value.clone())),
    }
}

/// An RFC 3339 moment as Excel's (UTC, to the millisecond).
fn excel_moment(text: &str) -> Option<ExcelDateTime> {
    let moment = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    let moment = moment.to_offset(time::UtcOffset::UTC);
    ExcelDateTime::from_ymd(u16::try_from(moment.year()).ok()?, moment.month().into(), moment.day())
        .ok()?
        .and_hms_milli(u16::from(moment.hour()), moment.minute(), moment.second(), moment.millisecond())
        .ok()
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(XLSX_MAX_TEXT) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn sheet_name(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if cleaned.trim().is_empty() { "Sheet1".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sheet {
        Sheet::from_columns(
            "Résultat",
            &[
                ResultColumn::new("ville", ColumnValues::Text(vec![Some("Paris".into()), None])),
                ResultColumn::new("n", ColumnValues::Int64(vec![Some(3), Some(-1)])),
                ResultColumn::new(
                    "jour",
                    ColumnValues::Date(vec![Some("2024-02-29".into()), Some("2024-03-01".into())]),
                ),
            ],
        )
    }

    #[test]
    fn result_columns_become_rows() {
        let sheet = sample();
        assert_eq!(sheet.headers, ["ville", "n", "jour"]);
        assert_eq!(sheet.rows[1], [Cell::Empty, Cell::Int(-1), Cell::Date("2024-03-01".into())]);
    }

    #[test]
    fn csv_has_a_bom_crlf_and_defused_formulas() {
        let mut sheet = sample();
        sheet.rows[0][0] = Cell::Text("=HYPERLINK(\"x\")".into());
        let text = String::from_utf8(sheet.to_csv()).expect("utf-8");
        assert_eq!(text, "\u{feff}ville,n,jour\r\n\"'=HYPERLINK(\"\"x\"\")\",3,2024-02-29\r\n,-1,2024-03-01\r\n");
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn json_rows_are_keyed_by_header() {
        assert_eq!(
            sample().to_json_rows(),
            serde_json::json!([
                {"ville": "Paris", "n": 3, "jour": "2024-02-29"},
                {"ville": null, "n": -1, "jour": "2024-03-01"},
            ])
        );
    }

    #[test]
    fn sheet_names_and_long_texts_fit_excel() {
        assert_eq!(sheet_name("a/b:c*"), "abc");
        assert_eq!(sheet_name("?"), "Sheet1");
        let long = "é".repeat(40_000);
        assert_eq!(truncate(&long).chars().count(), XLSX_MAX_TEXT);
        assert!(excel_moment("2024-02-29T10:11:12.345Z").is_some());
        assert!(excel_moment("yesterday").is_none());
    }
}
