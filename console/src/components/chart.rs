//! An automatic chart in plain SVG, only when the result's shape suits one: a text category and a number give
//! horizontal bars; a date (or text that reads as one) and a number give a line.

use dioxus::prelude::*;
use schemas::{ColumnValues, ResultColumn};

use crate::components::results::{cell_number, cell_text, format_number};
use crate::i18n::{Text, t};

const MAX_BARS: usize = 25;
const WIDTH: f64 = 640.0;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Bars,
    Line,
}

fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 7 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' && bytes[5].is_ascii_digit()
}

/// Returns the shape, the labels and the values, when the columns suit a chart.
fn chart_data(columns: &[ResultColumn]) -> Option<(Shape, Vec<String>, Vec<f64>)> {
    let [first, second] = columns else { return None };
    let (category, number) = if matches!(second.data, ColumnValues::Int64(_) | ColumnValues::Float64(_)) {
        (first, second)
    } else {
        (second, first)
    };
    if !matches!(number.data, ColumnValues::Int64(_) | ColumnValues::Float64(_)) {
        return None;
    }
    let rows = number.data.len();
    if rows < 2 {
        return None;
    }
    // A category of codes is drawn with their labels (`Automobile (10)`).
    let labels: Vec<String> = (0..rows)
        .map(|row| {
            let text = cell_text(&category.data, row).unwrap_or_default();
            match category.label_of(&text) {
                Some(label) => format!("{label} ({text})"),
                None => text,
            }
        })
        .collect();
    let values: Vec<f64> = (0..rows).map(|row| cell_number(&number.data, row).unwrap_or(0.0)).collect();
    let shape = match &category.data {
        ColumnValues::Date(_) | ColumnValues::Timestamp(_) => Shape::Line,
        ColumnValues::Text(_) if labels.iter().all(|label| looks_like_date(label)) => Shape::Line,
        ColumnValues::Text(_) => Shape::Bars,
        _ => return None,
    };
    Some((shape, labels, values))
}

/// Draws the chart for `columns`, or nothing.
#[component]
pub(crate) fn Chart(columns: Vec<ResultColumn>) -> Element {
    let Some((shape, labels, values)) = chart_data(&columns) else { return rsx! {} };
    let title = format!("{} / {}", columns[0].name, columns[1].name);
    match shape {
        Shape::Bars => rsx! { Bars { title, labels, values } },
        Shape::Line => {
            // A line reads left to right in time, whatever the query's order.
            let mut points: Vec<(String, f64)> = labels.into_iter().zip(values).collect();
            points.sort_by(|left, right| left.0.cmp(&right.0));
            let (labels, values) = points.into_iter().unzip();
            rsx! { Line { title, labels, values } }
        }
    }
}

#[component]
fn Bars(title: String, labels: Vec<String>, values: Vec<f64>) -> Element {
    let shown = labels.len().min(MAX_BARS);
    let maximum = values.iter().take(shown).copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let row_height = 24.0;
    let label_width = 170.0;
    let bar_room = WIDTH - label_width - 70.0;
    let height = row_height * shown as f64 + 4.0;
    rsx! {
        figure { class: "chart chart-bars",
            svg {
                role: "img",
                "aria-label": "{t(Text::Chart)}: {title}",
                "viewBox": "0 0 {WIDTH} {height}",
                width: "100%",
                for index in 0..shown {
                    g { key: "{index}",
                        text {
                            x: "{label_width - 8.0}",
                            y: "{row_height * index as f64 + 16.0}",
                            "text-anchor": "end",
                            class: "chart-label",
                            {truncate(&labels[index], 24)}
                        }
                        rect {
                            x: "{label_width}",
                            y: "{row_height * index as f64 + 3.0}",
                            width: "{(values[index].max(0.0) / maximum * bar_room).max(1.0)}",
                            height: "{row_height - 6.0}",
                            rx: "3",
                            class: "chart-bar",
                        }
                        text {
                            x: "{label_width + (values[index].max(0.0) / maximum * bar_room).max(1.0) + 6.0}",
                            y: "{row_height * index as f64 + 16.0}",
                            class: "chart-value",
                            {format_number(values[index])}
                        }
                    }
                }
            }
            if labels.len() > shown {
                figcaption { class: "muted", "{t(Text::ChartFirst)} {shown} / {labels.len()}" }
            }
        }
    }
}

#[component]
fn Line(title: String, labels: Vec<String>, values: Vec<f64>) -> Element {
    let height = 220.0;
    let (left, right, top, bottom) = (56.0, 16.0, 12.0, 28.0);
    let minimum = values.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let maximum = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (maximum - minimum).max(f64::MIN_POSITIVE);
    let step = (WIDTH - left - right) / (values.len().saturating_sub(1).max(1)) as f64;
    let x = |index: usize| left + step * index as f64;
    let y = |value: f64| top + (height - top - bottom) * (1.0 - (value - minimum) / span);
    let points: String = values
        .iter()
        .enumerate()
        .map(|(index, value)| format!("{:.1},{:.1}", x(index), y(*value)))
        .collect::<Vec<_>>()
        .join(" ");
    let last = labels.len().saturating_sub(1);
    rsx! {
        figure { class: "chart chart-line",
            svg {
                role: "img",
                "aria-label": "{t(Text::Chart)}: {title}",
                "viewBox": "0 0 {WIDTH} {height}",
                width: "100%",
                line { x1: "{left}", y1: "{height - bottom}", x2: "{WIDTH - right}", y2: "{height - bottom}", class: "chart-axis" }
                line { x1: "{left}", y1: "{top}", x2: "{left}", y2: "{height - bottom}", class: "chart-axis" }
                text { x: "{left - 6.0}", y: "{top + 8.0}", "text-anchor": "end", class: "chart-value", {format_number(maximum)} }
                text { x: "{left - 6.0}", y: "{height - bottom}", "text-anchor": "end", class: "chart-value", {format_number(minimum)} }
                polyline { points: "{points}", class: "chart-line-path", fill: "none" }
                text { x: "{left}", y: "{height - 8.0}", class: "chart-label", {labels[0].clone()} }
                text { x: "{WIDTH - right}", y: "{height - 8.0}", "text-anchor": "end", class: "chart-label", {labels[last].clone()} }
            }
        }
    }
}

fn truncate(text: &str, length: usize) -> String {
    if text.chars().count() <= length {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(length - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, data: ColumnValues) -> ResultColumn {
        ResultColumn::new(name, data)
    }

    fn text(values: &[&str]) -> ColumnValues {
        ColumnValues::Text(values.iter().map(|value| Some((*value).to_owned())).collect())
    }

    #[test]
    fn a_category_and_a_number_give_bars() {
        let columns = [column("BRANCHE", text(&["10", "20"])), column("NB", ColumnValues::Int64(vec![Some(3), None]))];
        let (shape, labels, values) = chart_data(&columns).expect("a chart");
        assert_eq!(shape, Shape::Bars);
        assert_eq!(labels, ["10", "20"]);
        assert_eq!(values, [3.0, 0.0]);
    }

    #[test]
    fn a_category_of_codes_is_drawn_with_its_labels() {
        let mut branches = column("CD_BRANCHE", text(&["10", "99"]));
        branches.codes = vec![schemas::CodeLabel { value: "10".into(), label: "Automobile".into() }];
        let columns = [branches, column("NB", ColumnValues::Int64(vec![Some(3), Some(1)]))];
        let (_, labels, _) = chart_data(&columns).expect("a chart");
        assert_eq!(labels, ["Automobile (10)", "99"], "a value outside the list stays as it is");
    }

    #[test]
    fn a_date_and_a_number_give_a_line_even_when_dates_are_text() {
        let months = column("MOIS", text(&["2024-01", "2024-02"]));
        let total = column("TOTAL", ColumnValues::Float64(vec![Some(1.5), Some(2.0)]));
        assert_eq!(chart_data(&[total, months]).map(|(shape, ..)| shape), Some(Shape::Line));
    }

    #[test]
    fn other_shapes_give_no_chart() {
        let one_number = [column("NB", ColumnValues::Int64(vec![Some(1)]))];
        assert!(chart_data(&one_number).is_none());
        let two_texts = [column("A", text(&["x", "y"])), column("B", text(&["z", "w"]))];
        assert!(chart_data(&two_texts).is_none());
        let one_row = [column("A", text(&["x"])), column("B", ColumnValues::Int64(vec![Some(1)]))];
        assert!(chart_data(&one_row).is_none());
    }
}
