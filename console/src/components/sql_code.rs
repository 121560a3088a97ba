//! Light SQL syntax highlighting: keywords, strings, numbers and comments get a class each; the rest stays plain.

use dioxus::prelude::*;

const KEYWORDS: &[&str] = &[
    "ALL",
    "AND",
    "AS",
    "ASC",
    "AVG",
    "BETWEEN",
    "BY",
    "CASE",
    "CAST",
    "COALESCE",
    "COUNT",
    "CROSS",
    "CURRENT_DATE",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "EXCEPT",
    "EXISTS",
    "EXTRACT",
    "FETCH",
    "FIRST",
    "FROM",
    "FULL",
    "GROUP",
    "HAVING",
    "IN",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTO",
    "IS",
    "JOIN",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MAX",
    "MIN",
    "MINUS",
    "NOT",
    "NULL",
    "NVL",
    "OFFSET",
    "ON",
    "ONLY",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "PARTITION",
    "RIGHT",
    "ROUND",
    "ROWNUM",
    "ROWS",
    "SELECT",
    "SET",
    "SUM",
    "THEN",
    "TO_CHAR",
    "TO_DATE",
    "TRUNC",
    "UNION",
    "UPDATE",
    "USING",
    "VALUES",
    "WHEN",
    "WHERE",
    "WITH",
];

/// The kind of a piece of SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Keyword,
    Text,
    Number,
    Comment,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Self::Plain => "",
            Self::Keyword => "sql-keyword",
            Self::Text => "sql-string",
            Self::Number => "sql-number",
            Self::Comment => "sql-comment",
        }
    }
}

/// Cuts `sql` into highlighted pieces; joined back they give `sql` unchanged.
fn pieces(sql: &str) -> Vec<(Kind, String)> {
    let chars: Vec<char> = sql.chars().collect();
    let mut pieces: Vec<(Kind, String)> = Vec::new();
    let mut index = 0;
    let mut push = |kind: Kind, text: String| match pieces.last_mut() {
        Some((last, previous)) if *last == kind && kind == Kind::Plain => previous.push_str(&text),
        _ => pieces.push((kind, text)),
    };
    while index < chars.len() {
        let start = index;
        let current = chars[index];
        let next = chars.get(index + 1).copied();
        let kind = if current == '-' && next == Some('-') {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
            Kind::Comment
        } else if current == '/' && next == Some('*') {
            index += 2;
            while index < chars.len() && !(chars[index] == '*' && chars.get(index + 1) == Some(&'/')) {
                index += 1;
            }
            index = (index + 2).min(chars.len());
            Kind::Comment
        } else if current == '\'' {
            index += 1;
            while index < chars.len() {
                if chars[index] == '\'' {
                    if chars.get(index + 1) == Some(&'\'') {
                        index += 2;
                        continue;
                    }
                    index += 1;
                    break;
                }
                index += 1;
            }
            Kind::Text
        } else if current.is_ascii_digit() {
            while index < chars.len() && (chars[index].is_ascii_digit() || chars[index] == '.') {
                index += 1;
            }
            Kind::Number
        } else if current.is_alphabetic() || current == '_' {
            while index < chars.len() && (chars[index].is_alphanumeric() || matches!(chars[index], '_' | '$' | '#')) {
                index += 1;
            }
            let word: String = chars[start..index].iter().collect::<String>().to_uppercase();
            if KEYWORDS.binary_search(&word.as_str()).is_ok() { Kind::Keyword } else { Kind::Plain }
        } else {
            index += 1;
            Kind::Plain
        };
        push(kind, chars[start..index].iter().collect());
    }
    pieces
}

/// Shows a statement with highlighting.
#[component]
pub(crate) fn SqlCode(sql: String) -> Element {
    rsx! {
        pre { class: "sql",
            code {
                for (index, (kind, text)) in pieces(&sql).into_iter().enumerate() {
                    span { key: "{index}", class: kind.class(), "{text}" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_the_binary_search() {
        assert!(KEYWORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn pieces_classify_and_join_back_to_the_statement() {
        let sql = "select NOM, 'l''été' -- commentaire\nFROM CLIENTS WHERE ID = 42";
        let found = pieces(sql);
        assert_eq!(found.iter().map(|(_, text)| text.as_str()).collect::<String>(), sql);
        let kind_of = |wanted: &str| found.iter().find(|(_, text)| text == wanted).map(|(kind, _)| *kind);
        assert_eq!(kind_of("select"), Some(Kind::Keyword));
        assert_eq!(kind_of("'l''été'"), Some(Kind::Text));
        assert_eq!(kind_of("-- commentaire"), Some(Kind::Comment));
        assert_eq!(kind_of("42"), Some(Kind::Number));
    }
}
