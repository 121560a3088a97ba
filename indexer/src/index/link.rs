//! Links a question's words to the business vocabulary: the codes whose label it names ("auto" → `CD_BRANCHE`
//! `10` Automobile, "résiliés" → `CD_STATUT` `RS` Résilié) and the terms it uses ("contrats actifs").
//!
//! Words are compared folded and lightly stemmed (a final `s`, then final `e`s, off words of six letters or more),
//! one a prefix of the other, at least four letters long, the shorter an abbreviation (five letters at most) or the
//! longer only an ending more: "auto" finds "Automobile", "résiliées" finds "Résilié", "cours" does not find
//! "courtier", nor "sinistres" "sinistralité". A label word that is a word of a table's name ("Encaissement validé" in
//! `ENCAISSEMENTS`) says nothing the table does not, and only a label's first few words count; a question word that
//! finds several codes of one column names none of them. The words a linked term uses link no code, and "avec" and
//! "sans" count in a term's name ("sinistre avec suite" is not "sans suite").

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::catalog::{Catalog, Term};
use crate::index::text::{fold, words};

/// Shortest stem compared by prefix.
const MIN_STEM: usize = 4;
/// Longest stem that may stand for any longer word it starts ("auto").
const MAX_ABBREVIATION: usize = 5;
/// Most letters a longer stem may add to a word it starts, past `MAX_ABBREVIATION` (an ending).
const MAX_ENDING: usize = 2;
/// Shortest label word kept (shorter than `MIN_STEM`, it must be typed whole: `MRH`).
const MIN_EXACT: usize = 3;

/// Words that say nothing about a code or a term.
const STOP_WORDS: &[&str] = &[
    "a", "and", "are", "au", "aux", "autre", "autres", "avec", "ce", "ces", "cette", "d", "dans", "de", "des", "du",
    "elle", "en", "est", "et", "for", "il", "is", "l", "la", "le", "les", "leur", "leurs", "mais", "moins", "ne",
    "nous", "of", "on", "ont", "ou", "par", "pas", "plus", "pour", "qu", "que", "quel", "quelle", "quelles", "quels",
    "qui", "sans", "se", "son", "sont", "sur", "the", "tous", "tout", "toute", "toutes", "un", "une", "y",
];
/// Words that say nothing about a code but tell one term from its opposite ("sinistre avec suite").
const TERM_WORDS: &[&str] = &["avec", "sans"];

/// The code labels and terms of one build, ready to be matched.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    /// Stem of a label word → (table, column, code) positions.
    labels: BTreeMap<String, Vec<(usize, usize, usize)>>,
    /// Each term's names (French and English), as their words' stems.
    terms: Vec<Vec<Vec<String>>>,
}

/// What a question's words name.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Links {
    /// (table, column, code) positions.
    pub codes: Vec<(usize, usize, usize)>,
    /// Positions in `Catalog::terms`.
    pub terms: Vec<usize>,
}

impl Vocabulary {
    /// Reads the code labels and terms of `catalog`.
    pub fn of(catalog: &Catalog) -> Self {
        let table_words: HashSet<String> =
            catalog.tables.iter().flat_map(|table| words(&table.name)).map(|word| stem(&word)).collect();
        let mut labels: BTreeMap<String, Vec<(usize, usize, usize)>> = BTreeMap::new();
        for (table_position, table) in catalog.tables.iter().enumerate() {
            for (column_position, column) in table.columns.iter().enumerate() {
                for (code_position, code) in column.codes.iter().enumerate() {
                    for word in label_words(&code.label) {
                        if word.len() >= MIN_EXACT && !table_words.contains(&word) {
                            labels.entry(word).or_default().push((table_position, column_position, code_position));
                        }
                    }
                }
            }
        }
        let terms = catalog.terms.iter().map(term_names).collect();
        Self { labels, terms }
    }

    /// Links `question` to codes and terms.
    pub fn link(&self, question: &str) -> Links {
        let question_words = significant(question);
        let term_words = significant_for_terms(question);
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut links = Links::default();
        for (position, names) in self.terms.iter().enumerate() {
            let found = names.iter().find_map(|name| {
                let matched: Vec<&str> = name
                    .iter()
                    .map(|word| term_words.iter().find(|question_word| same_word(question_word, word)))
                    .collect::<Option<Vec<&String>>>()?
                    .into_iter()
                    .map(String::as_str)
                    .collect();
                (!matched.is_empty()).then_some(matched)
            });
            if let Some(matched) = found {
                used.extend(matched);
                links.terms.push(position);
            }
        }
        for word in question_words.iter().filter(|word| !used.contains(word.as_str())) {
            let mut found: Vec<(usize, usize, usize)> = Vec::new();
            for (_, positions) in self.matching_labels(word) {
                for position in positions {
                    if !found.contains(position) {
                        found.push(*position);
                    }
                }
            }
            for &(table, column, code) in &found {
                let same_column = found.iter().filter(|other| other.0 == table && other.1 == column).count();
                if same_column == 1 && !links.codes.contains(&(table, column, code)) {
                    links.codes.push((table, column, code));
                }
            }
        }
        links
    }

    /// The label entries whose stem and `word` are one a prefix of the other (the same word, when it is short).
    fn matching_labels<'a>(
        &'a self,
        word: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Vec<(usize, usize, usize)>)> + 'a {
        let longer = self
            .labels
            .range(word.to_owned()..)
            .take_while(move |(label, _)| label.starts_with(word))
            .filter(move |(label, _)| same_word(word, label));
        let shorter = (MIN_STEM..word.len())
            .filter(move |end| word.is_char_boundary(*end))
            .filter_map(move |end| self.labels.get_key_value(&word[..end]))
            .filter(move |(label, _)| same_word(word, label));
        longer.chain(shorter)
    }
}

/// Most words of a label a question may name it by.
const MAX_LABEL_WORDS: usize = 4;

/// The words a question may name a code by: its label's first significant words, up to its first `:`, `;` or `,`,
/// the parenthesis kept ("Multirisque habitation (MRH)", "Personne physique (particulier)").
fn label_words(label: &str) -> Vec<String> {
    let head = label.split([':', ';', ',']).next().unwrap_or_default();
    let mut kept = significant(head);
    kept.truncate(MAX_LABEL_WORDS);
    kept
}

/// A term's names (French, then English), each as its significant words' stems; a name of short words only
/// (`S/P`) keeps them all.
fn term_names(term: &Term) -> Vec<Vec<String>> {
    term.names
        .iter()
        .chain(&term.english)
        .map(|name| {
            let kept = significant_for_terms(name);
            if kept.is_empty() { words(name).iter().map(|word| stem(word)).collect() } else { kept }
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Whether a question word and a vocabulary word are the same: equal, or one a prefix of the other of at least
/// `MIN_STEM` letters.
fn same_word(question_word: &str, word: &str) -> bool {
    if question_word == word {
        return true;
    }
    let (short, long) = if question_word.len() <= word.len() { (question_word, word) } else { (word, question_word) };
    // A short word is an abbreviation ("auto" for "automobile"); a longer one may only differ by an ending
    // ("mensuel", "mensuelle"): "sinistres" is not "sinistralité".
    let abbreviation = short.len() <= MAX_ABBREVIATION || long.len() - short.len() <= MAX_ENDING;
    short.len() >= MIN_STEM && long.starts_with(short) && abbreviation
}

/// The stems of the words of `text` that are not stop words.
fn significant(text: &str) -> Vec<String> {
    kept_stems(text, |folded| !STOP_WORDS.contains(&folded))
}

/// The same, keeping the words that tell a term from its opposite.
fn significant_for_terms(text: &str) -> Vec<String> {
    kept_stems(text, |folded| TERM_WORDS.contains(&folded) || !STOP_WORDS.contains(&folded))
}

/// The stems of the words of `text` (lower-cased, accents kept until [`stem`] folds them) that `keep` keeps, by
/// their folded form.
fn kept_stems(text: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    text.to_lowercase()
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty() && keep(&fold(word)))
        .map(stem)
        .collect()
}

/// `word` folded without a final `s`, then up to two final `e`s, while it has six letters or more: "résiliées",
/// "résiliés" and "résilié" are one word (an English `-ies` becomes `-y`).
fn stem(word: &str) -> String {
    let mut stem = fold(word);
    // English `policies`, not French `résiliés` (folded to the same ending).
    if stem.len() >= 5 && word.to_lowercase().ends_with("ies") {
        stem.truncate(stem.len() - 3);
        stem.push('y');
    }
    for suffix in ['s', 'e', 'e'] {
        if stem.chars().count() >= 6 && stem.ends_with(suffix) {
            stem.pop();
        }
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Code, Column, Table};

    fn coded(name: &str, codes: &[(&str, &str)]) -> Column {
        Column {
            name: name.to_owned(),
            codes: codes
                .iter()
                .map(|(value, label)| Code {
                    value: (*value).to_owned(),
                    label: (*label).to_owned(),
                    ..Code::default()
                })
                .collect(),
            ..Column::default()
        }
    }

    fn catalog() -> Catalog {
        let contrats = Table {
            name: "CONTRATS".into(),
            columns: vec![
                coded("CD_STATUT", &[("EC", "En cours"), ("RS", "Résilié"), ("AN", "Annulé")]),
                coded("CD_BRANCHE", &[("10", "Automobile"), ("20", "Multirisque habitation (MRH)")]),
            ],
            ..Table::default()
        };
        let courtiers = Table {
            name: "COURTIERS".into(),
            columns: vec![coded("CD_STATUT", &[("AC", "Active"), ("RE", "Résiliée")])],
            ..Table::default()
        };
        let encaissements = Table {
            name: "ENCAISSEMENTS".into(),
            columns: vec![coded("CD_STATUT_ENC", &[("VAL", "Encaissement validé"), ("REJ", "Rejet")])],
            ..Table::default()
        };
        let experts = Table {
            name: "EXPERTS".into(),
            columns: vec![coded("CD_SPECIALITE", &[("MED", "Médecin expert"), ("BAT", "Expert bâtiment")])],
            ..Table::default()
        };
        let terms = vec![Term {
            names: vec!["contrat actif".into()],
            english: vec!["active policy".into()],
            sql: "CONTRATS.CD_STATUT = 'EC'".into(),
            ..Term::default()
        }];
        Catalog { tables: vec![contrats, courtiers, encaissements, experts], terms, ..Catalog::default() }
    }

    fn codes(question: &str) -> Vec<(String, String)> {
        let catalog = catalog();
        Vocabulary::of(&catalog)
            .link(question)
            .codes
            .into_iter()
            .map(|(table, column, code)| {
                let table = &catalog.tables[table];
                (table.name.clone(), table.columns[column].codes[code].value.clone())
            })
            .collect()
    }

    #[test]
    fn a_word_links_to_the_codes_whose_label_it_names() {
        assert_eq!(
            codes("Combien de contrats auto résiliés ?"),
            [
                ("CONTRATS".to_owned(), "10".to_owned()),
                ("CONTRATS".to_owned(), "RS".to_owned()),
                ("COURTIERS".to_owned(), "RE".to_owned())
            ]
        );
        assert_eq!(codes("contrats habitation"), [("CONTRATS".to_owned(), "20".to_owned())], "a label's second word");
        assert_eq!(codes("contrats MRH"), [("CONTRATS".to_owned(), "20".to_owned())], "a word in parentheses");
        // Gender and number are folded: "résiliée" is the contract's "Résilié" as much as the broker's "Résiliée".
        assert_eq!(
            codes("courtiers à la convention résiliée"),
            [("CONTRATS".to_owned(), "RS".to_owned()), ("COURTIERS".to_owned(), "RE".to_owned())]
        );
        assert!(codes("contrats des courtiers").is_empty(), "'cours' is not the start of 'courtiers'");
        assert!(!same_word("sinistr", "sinistralit") && same_word("mensuel", "mensuell"), "an ending, not a word");
    }

    #[test]
    fn table_name_words_and_words_naming_several_codes_of_a_column_link_nothing() {
        assert!(codes("montant des encaissements").is_empty(), "ENCAISSEMENTS names the table, not VAL");
        assert!(codes("rapports des experts").is_empty(), "EXPERTS names the table");
        assert_eq!(codes("expert bâtiment"), [("EXPERTS".to_owned(), "BAT".to_owned())]);
    }

    #[test]
    fn a_term_links_by_all_its_words_in_either_language_and_keeps_them_from_the_codes() {
        let catalog = catalog();
        let vocabulary = Vocabulary::of(&catalog);
        let links = vocabulary.link("Combien de contrats actifs ?");
        assert_eq!(links.terms, [0]);
        assert_eq!(vocabulary.link("How many active policies?").terms, [0]);
        assert!(vocabulary.link("contrats résiliés").terms.is_empty(), "'actif' is missing");
        assert!(vocabulary.link("Active brokers").terms.is_empty(), "'policy' is missing");
        let mut with_suite = catalog.clone();
        with_suite.terms[0].names = vec!["sinistre avec suite".into()];
        let vocabulary = Vocabulary::of(&with_suite);
        assert_eq!(vocabulary.link("sinistres avec suite").terms, [0]);
        assert!(vocabulary.link("sinistres classés sans suite").terms.is_empty(), "the opposite term");
    }
}
