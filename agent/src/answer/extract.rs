//! Finding the SQL in a model's answer: a fenced ```sql block, else any fenced block, else the text from the
//! first SELECT or WITH. Small models wrap, explain and repeat themselves; only the statement is kept.

/// Returns the SQL statement in `answer`, without a trailing semicolon, or `None` when there is none.
pub fn extract_sql(answer: &str) -> Option<String> {
    let fenced = fenced_blocks(answer);
    let candidate = fenced
        .iter()
        .find(|(language, _)| language.eq_ignore_ascii_case("sql"))
        .or_else(|| fenced.first())
        .map(|(_, body)| body.clone())
        .or_else(|| from_first_keyword(answer))?;
    let statement = candidate.trim().trim_end_matches(|character: char| character == ';' || character.is_whitespace());
    let statement = statement.to_owned();
    let upper = statement.to_ascii_uppercase();
    (upper.starts_with("SELECT") || upper.starts_with("WITH") || upper.starts_with('(')).then_some(statement)
}

/// Returns `(language, body)` of each fenced block; an unclosed last block counts (the model hit its limit).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let (language, body_start) = match after.find('\n') {
            Some(newline) => (after[..newline].trim().to_owned(), &after[newline + 1..]),
            None => (String::new(), after),
        };
        match body_start.find("```") {
            Some(end) => {
                blocks.push((language, body_start[..end].to_owned()));
                rest = &body_start[end + 3..];
            }
            None => {
                blocks.push((language, body_start.to_owned()));
                break;
            }
        }
    }
    blocks
}

/// Takes the text from the first SELECT/WITH up to a blank line followed by prose, or to the end.
fn from_first_keyword(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let start = ["SELECT", "WITH"].iter().filter_map(|keyword| find_word(&upper, keyword)).min()?;
    let statement = &text[start..];
    let end = statement.find("\n\n").unwrap_or(statement.len());
    Some(statement[..end].to_owned())
}

fn find_word(upper: &str, word: &str) -> Option<usize> {
    upper.match_indices(word).map(|(index, _)| index).find(|&index| {
        let before = upper[..index].chars().next_back().is_none_or(|character| !character.is_alphanumeric());
        let after = upper[index + word.len()..].chars().next().is_none_or(|character| !character.is_alphanumeric());
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sql_fence_wins_over_prose_and_other_fences() {
        let answer = "Voici :\n```text\nnot sql\n```\n```sql\nSELECT NOM FROM CLIENTS;\n```\nCette requête…";
        assert_eq!(extract_sql(answer).as_deref(), Some("SELECT NOM FROM CLIENTS"));
    }

    #[test]
    fn unfenced_and_unclosed_answers_still_give_their_statement() {
        assert_eq!(extract_sql("SELECT 1 FROM DUAL;\n\nExplication.").as_deref(), Some("SELECT 1 FROM DUAL"));
        assert_eq!(extract_sql("```sql\nSELECT COUNT(*) FROM T").as_deref(), Some("SELECT COUNT(*) FROM T"));
        assert_eq!(
            extract_sql("La requête : with x as (select 1) select * from x").as_deref(),
            Some("with x as (select 1) select * from x")
        );
    }

    #[test]
    fn every_trailing_semicolon_goes_even_with_blanks_between() {
        // Found by `make fuzz` (extract target): `SELECT *;; ;;` kept a semicolon.
        assert_eq!(extract_sql("SELECT * FROM T;;;; ;;\n ;").as_deref(), Some("SELECT * FROM T"));
    }

    #[test]
    fn an_answer_without_a_query_gives_none() {
        assert_eq!(extract_sql("Je ne sais pas."), None);
        assert_eq!(extract_sql("```sql\nDELETE FROM T\n```"), None);
        assert_eq!(extract_sql("selection of rows"), None);
    }
}
