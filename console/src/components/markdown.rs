//! A small markdown renderer for the model's text: paragraphs, headings, bullet and numbered lists, bold, italic,
//! inline code and fenced code blocks (SQL ones highlighted). It builds elements, never HTML strings, so the
//! model's text cannot inject markup.

use dioxus::prelude::*;

use crate::components::sql_code::SqlCode;

/// A block of markdown.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Paragraph(String),
    Heading(String),
    List { ordered: bool, items: Vec<String> },
    Code { language: String, text: String },
}

/// A run of inline text.
#[derive(Debug, Clone, PartialEq)]
enum Inline {
    Text(String),
    Bold(String),
    Italic(String),
    Code(String),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &trimmed[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest));
        }
    }
    None
}

/// Splits markdown into blocks. An unterminated fence (while streaming) runs to the end.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut lines = text.lines();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(language) = trimmed.strip_prefix("```") {
            flush(&mut paragraph, &mut blocks);
            let code: Vec<&str> = lines.by_ref().take_while(|line| !line.trim().starts_with("```")).collect();
            blocks.push(Block::Code { language: language.trim().to_lowercase(), text: code.join("\n") });
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if trimmed.starts_with('#') {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(trimmed.trim_start_matches('#').trim().to_owned()));
        } else if let Some((ordered, item)) = list_item(line) {
            flush(&mut paragraph, &mut blocks);
            match blocks.last_mut() {
                Some(Block::List { ordered: same, items }) if *same == ordered => items.push(item.to_owned()),
                _ => blocks.push(Block::List { ordered, items: vec![item.to_owned()] }),
            }
        } else {
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// Splits a line into plain, bold, italic and code runs; unmatched markers stay as text. Underscores are never
/// markers (column names such as `NB_CONTRATS` are common), and `*` opens emphasis only at the start of a word.
fn inlines(text: &str) -> Vec<Inline> {
    let mut runs = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let word_start = !plain.chars().last().is_some_and(char::is_alphanumeric);
        let marker = if first == '`' {
            Some("`")
        } else if rest.starts_with("**") && word_start {
            Some("**")
        } else if first == '*' && word_start && !rest[1..].starts_with(char::is_whitespace) {
            Some("*")
        } else {
            None
        };
        if let Some(marker) = marker
            && let Some(end) = rest[marker.len()..].find(marker).filter(|end| *end > 0)
        {
            let inner = rest[marker.len()..marker.len() + end].to_owned();
            if !plain.is_empty() {
                runs.push(Inline::Text(std::mem::take(&mut plain)));
            }
            runs.push(match marker {
                "**" => Inline::Bold(inner),
                "`" => Inline::Code(inner),
                _ => Inline::Italic(inner),
            });
            rest = &rest[marker.len() * 2 + end..];
            continue;
        }
        plain.push(first);
        rest = &rest[first.len_utf8()..];
    }
    if !plain.is_empty() {
        runs.push(Inline::Text(plain));
    }
    runs
}

/// Removes the fenced SQL blocks (shown separately, with their actions, once the SQL is known).
pub(crate) fn without_sql_fences(text: &str) -> String {
    let mut kept = Vec::new();
    let mut in_sql = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_sql {
            in_sql = !trimmed.starts_with("```");
        } else if trimmed.to_lowercase().starts_with("```sql") {
            in_sql = true;
        } else {
            kept.push(line);
        }
    }
    kept.join("\n")
}

#[component]
fn InlineText(text: String) -> Element {
    rsx! {
        for (index, run) in inlines(&text).into_iter().enumerate() {
            match run {
                Inline::Text(text) => rsx! { span { key: "{index}", "{text}" } },
                Inline::Bold(text) => rsx! { strong { key: "{index}", "{text}" } },
                Inline::Italic(text) => rsx! { em { key: "{index}", "{text}" } },
                Inline::Code(text) => rsx! { code { key: "{index}", "{text}" } },
            }
        }
    }
}

/// Renders markdown text.
#[component]
pub(crate) fn Markdown(text: String) -> Element {
    rsx! {
        div { class: "markdown",
            for (index, block) in blocks(&text).into_iter().enumerate() {
                match block {
                    Block::Paragraph(text) => rsx! { p { key: "{index}", InlineText { text } } },
                    Block::Heading(text) => rsx! { h4 { key: "{index}", InlineText { text } } },
                    Block::List { ordered: true, items } => rsx! {
                        ol { key: "{index}",
                            for (item_index, item) in items.into_iter().enumerate() {
                                li { key: "{item_index}", InlineText { text: item } }
                            }
                        }
                    },
                    Block::List { ordered: false, items } => rsx! {
                        ul { key: "{index}",
                            for (item_index, item) in items.into_iter().enumerate() {
                                li { key: "{item_index}", InlineText { text: item } }
                            }
                        }
                    },
                    Block::Code { language, text } if language == "sql" => rsx! { SqlCode { key: "{index}", sql: text } },
                    Block::Code { text, .. } => rsx! { pre { key: "{index}", class: "code", code { "{text}" } } },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_paragraphs_lists_headings_and_fences() {
        let text = "# Titre\nUne ligne\nqui continue\n\n- un\n- deux\n1. premier\n```sql\nSELECT 1\n```\nfin";
        assert_eq!(
            blocks(text),
            vec![
                Block::Heading("Titre".into()),
                Block::Paragraph("Une ligne qui continue".into()),
                Block::List { ordered: false, items: vec!["un".into(), "deux".into()] },
                Block::List { ordered: true, items: vec!["premier".into()] },
                Block::Code { language: "sql".into(), text: "SELECT 1".into() },
                Block::Paragraph("fin".into()),
            ]
        );
    }

    #[test]
    fn an_unterminated_fence_runs_to_the_end_while_streaming() {
        assert_eq!(blocks("```sql\nSELECT"), vec![Block::Code { language: "sql".into(), text: "SELECT".into() }]);
    }

    #[test]
    fn inlines_find_bold_italic_and_code_and_keep_unmatched_markers() {
        assert_eq!(
            inlines("le **nombre** de `CONTRATS` *actifs* à 5 * 2"),
            vec![
                Inline::Text("le ".into()),
                Inline::Bold("nombre".into()),
                Inline::Text(" de ".into()),
                Inline::Code("CONTRATS".into()),
                Inline::Text(" ".into()),
                Inline::Italic("actifs".into()),
                Inline::Text(" à 5 * 2".into()),
            ]
        );
    }

    #[test]
    fn underscores_in_column_names_are_not_emphasis() {
        assert_eq!(inlines("CD_BRANCHE et NB_CONTRATS"), vec![Inline::Text("CD_BRANCHE et NB_CONTRATS".into())]);
    }

    #[test]
    fn sql_fences_are_removed_and_the_rest_is_kept() {
        assert_eq!(without_sql_fences("Voici :\n```sql\nSELECT 1\n```\nVoilà."), "Voici :\nVoilà.");
    }
}
