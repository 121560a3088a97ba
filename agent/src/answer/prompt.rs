//! The prompt in two parts. First the stable part (instructions, dialect rules, the stable schema), byte-identical
//! for every question of an index build, which the model server's prompt cache keeps; then the conversation so
//! far; then what is this question's own: verified examples, the schema's rest, linked values, likely tables,
//! documents, the question. Nothing question-specific comes before the end of the stable part: one changed byte
//! there and the server reads everything after it again.

use indexer::index::{Retrieval, StableSchema};
use schemas::{ChatMode, ChatTurn};

use crate::guard::Dialect;

/// Returns the dialect's rules, in the words the model needs.
fn dialect_rules(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Oracle => {
            "Dialecte Oracle : pas de LIMIT (utilise FETCH FIRST n ROWS ONLY), dates avec DATE 'AAAA-MM-JJ' ou \
             TO_DATE, NVL pour les valeurs nulles, || pour concaténer, SYSDATE pour aujourd'hui, pas de point-virgule."
        }
        Dialect::Postgres => {
            "Dialecte PostgreSQL : LIMIT n, dates avec DATE 'AAAA-MM-JJ', COALESCE pour les valeurs nulles, \
             || pour concaténer, CURRENT_DATE pour aujourd'hui."
        }
        Dialect::Sqlite => {
            "Dialecte SQLite : LIMIT n, les dates sont du texte 'AAAA-MM-JJ' (compare-les comme du texte, \
             strftime('%Y', col) pour l'année), COALESCE pour les valeurs nulles, || pour concaténer."
        }
    }
}

/// The system message of SQL mode: instructions, the dialect's rules and, when retrieval gave one, the stable
/// schema. It depends on the build and on what the reader may see, never on the question: byte for byte the same
/// for every question until the next index build, so the model server's prompt cache keeps it (and
/// [`crate::warmup`] puts it there before the first question).
pub fn stable_part(dialect: Dialect, stable: Option<&StableSchema>) -> String {
    let mut text = format!(
        "Tu es Pstral, expert SQL pour les analystes. Tu réponds à une question (en français ou en anglais) \
         par UNE seule requête SELECT, dans un bloc ```sql, sans explication.\n\
         Règles : n'utilise que les tables et colonnes du schéma donné, avec leurs noms exacts (jamais traduits) ; \
         joins les tables par leurs clés (REFERENCES) ; utilise les valeurs exactes indiquées ; les codes sont \
         expliqués dans les commentaires et la documentation ; jamais d'INSERT, UPDATE, DELETE ni de DDL.\n{}",
        dialect_rules(dialect)
    );
    if let Some(stable) = stable {
        text.push_str("\n\nSchéma :\n");
        text.push_str(&stable.text);
    }
    text
}

/// `CONTRATS.CD_BRANCHE = '10' (Automobile)`: a linked value as the prompt states it.
fn linked_value(linked: &indexer::index::LinkedValue) -> String {
    let value = format!("{}.{} = '{}'", linked.table, linked.column, linked.value.replace('\'', "''"));
    match &linked.label {
        Some(label) => format!("{value} ({label})"),
        None => value,
    }
}

/// What the question's words named in the vocabulary, for the answer's timeline: the linked codes (with their
/// labels) and the business terms.
pub fn vocabulary(retrieval: &Retrieval) -> Vec<String> {
    let codes = retrieval.linked_values.iter().filter(|linked| linked.by_label).map(linked_value);
    codes.chain(retrieval.terms.iter().map(|term| term.names[0].clone())).collect()
}

/// Builds the messages for one question, as `(role, content)` pairs: the stable part first, then the conversation
/// so far, then what is this question's own (examples, the schema's rest, values, documents, the question).
pub fn build(
    mode: ChatMode,
    dialect: Dialect,
    retrieval: &Retrieval,
    history: &[ChatTurn],
    question: &str,
) -> Vec<(String, String)> {
    let mut messages = Vec::new();
    match mode {
        ChatMode::Sql => {
            messages.push(("system".to_owned(), stable_part(dialect, retrieval.stable.as_deref())));
        }
        ChatMode::Chat => messages.push((
            "system".to_owned(),
            "Tu es Pstral, assistant technique des analystes. Réponds de façon concise et exacte, dans la langue \
             de la question, à partir de la documentation fournie ; dis-le quand elle ne suffit pas."
                .to_owned(),
        )),
    }
    for turn in history {
        let role = if turn.role == "assistant" { "assistant" } else { "user" };
        messages.push((role.to_owned(), turn.content.clone()));
    }
    let mut context = String::new();
    if mode == ChatMode::Sql {
        for example in &retrieval.examples {
            context.push_str(&format!("Exemple vérifié : {}\n```sql\n{}\n```\n", example.question, example.sql));
        }
        if !retrieval.schema_ddl.is_empty() {
            context.push_str(if retrieval.stable.is_some() { "Schéma, suite :\n" } else { "Schéma :\n" });
            context.push_str(&retrieval.schema_ddl);
        }
        // The codes a word of the question only resembles ("émise" is a status and a verb) are not given as values:
        // their column lists its codes in the schema, and the model chooses.
        let values: Vec<String> =
            retrieval.linked_values.iter().filter(|linked| !linked.by_label).map(linked_value).collect();
        if !values.is_empty() {
            context.push_str("Valeurs trouvées dans la base : ");
            context.push_str(&values.join(", "));
            context.push('\n');
        }
        if !retrieval.terms.is_empty() {
            context.push_str("Définitions métier à appliquer :\n");
            for term in &retrieval.terms {
                context.push_str(&format!("- {} : {}", term.names[0], term.sql));
                if let Some(filter) = &term.filter {
                    context.push_str(&format!(", avec {filter}"));
                }
                if let Some(note) = &term.note {
                    context.push_str(&format!(" ({note})"));
                }
                context.push('\n');
            }
        }
        if !retrieval.likely_tables.is_empty() {
            context.push_str(&format!("Tables probables : {}.\n", retrieval.likely_tables.join(", ")));
        }
    }
    if !retrieval.documents.is_empty() {
        context.push_str("Documentation :\n");
        for chunk in &retrieval.documents {
            context.push_str(&format!("## {}\n{}\n", chunk.title, chunk.text.trim()));
        }
    }
    // A small model asked in English translates the schema's French names (`PRIMES`, `BROKERS`): told once, next to
    // the question, that the names stay as they are.
    if mode == ChatMode::Sql && crate::answer::explain::Lang::of(question) == crate::answer::explain::Lang::En {
        context.push_str(
            "The question is in English, the schema in French: use the table and column names exactly as the \
             schema writes them, never translated.\n",
        );
    }
    context.push_str(&format!("Question : {question}"));
    messages.push(("user".to_owned(), context));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexer::index::LinkedValue;

    #[test]
    fn the_stable_prefix_comes_first_and_the_question_last() {
        let retrieval = Retrieval {
            schema_ddl: "CREATE TABLE CLIENTS (ID_CLIENT NUMBER(10) PRIMARY KEY);\n".into(),
            linked_values: vec![LinkedValue {
                table: "ADRESSES".into(),
                column: "VILLE".into(),
                value: "Paris".into(),
                label: None,
                by_label: false,
            }],
            likely_tables: vec!["CLIENTS".into(), "ADRESSES".into()],
            ..Retrieval::default()
        };
        let history = [ChatTurn { role: "user".into(), content: "avant".into() }];
        let messages = build(ChatMode::Sql, Dialect::Oracle, &retrieval, &history, "Combien de clients à Paris ?");
        assert_eq!(messages[0].0, "system");
        assert!(messages[0].1.contains("FETCH FIRST"), "Oracle rules in the system prompt");
        assert_eq!(messages[1], ("user".to_owned(), "avant".to_owned()));
        let last = &messages.last().expect("a user message").1;
        assert!(last.contains("CREATE TABLE CLIENTS") && last.contains("ADRESSES.VILLE = 'Paris'"));
        assert!(last.contains("Tables probables : CLIENTS, ADRESSES."), "{last}");
        assert!(last.ends_with("Question : Combien de clients à Paris ?"));
        assert!(!last.contains("never translated"), "a French question needs no warning");
        let english = build(ChatMode::Sql, Dialect::Oracle, &retrieval, &[], "How many customers live in Paris?");
        let last = &english.last().expect("a user message").1;
        assert!(last.contains("never translated.\nQuestion : How many customers live in Paris?"), "{last}");
    }
}
