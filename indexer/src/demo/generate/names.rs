//! French first names, surnames and company names. This file is data.

use super::rng::{Rng, exp, ln};

/// Common French male first names, weighted towards the most frequent.
#[rustfmt::skip]
static MALE_FIRST_NAMES: [&str; 60] = [
    "Jean", "Pierre", "Michel", "André", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick", "Daniel",
    "Laurent", "Frédéric", "Éric", "Stéphane", "David", "Julien", "Sébastien", "Thomas", "Olivier", "Bernard",
    "Thierry", "Pascal", "Jacques", "François", "Christian", "Dominique", "Vincent", "Antoine", "Maxime", "Alexandre",
    "Guillaume", "Romain", "Nathan", "Lucas", "Hugo", "Théo", "Louis", "Gabriel", "Léo", "Raphaël",
    "Arthur", "Jules", "Mathieu", "Benoît", "Cédric", "Jérôme", "Yves", "Gérard", "René", "Marcel",
    "Bruno", "Didier", "Hervé", "Franck", "Kévin", "Mehdi", "Karim", "Yann", "Gaël", "Loïc",
];

/// Common French female first names.
#[rustfmt::skip]
static FEMALE_FIRST_NAMES: [&str; 60] = [
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine", "Monique", "Valérie", "Sandrine",
    "Sophie", "Stéphanie", "Céline", "Julie", "Aurélie", "Émilie", "Camille", "Léa", "Manon", "Chloé",
    "Sarah", "Laura", "Pauline", "Anne", "Caroline", "Martine", "Nicole", "Brigitte", "Patricia", "Véronique",
    "Hélène", "Claire", "Élodie", "Audrey", "Virginie", "Laetitia", "Marion", "Mathilde", "Inès", "Emma",
    "Jade", "Louise", "Alice", "Lina", "Zoé", "Agnès", "Florence", "Corinne", "Danielle", "Jacqueline",
    "Chantal", "Josiane", "Mireille", "Géraldine", "Karine", "Sabrina", "Nadia", "Fatima", "Maëlle", "Océane",
];

/// Common French surnames.
#[rustfmt::skip]
static SURNAMES: [&str; 150] = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
    "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
    "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
    "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
    "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Le Roux", "Cousin", "Germain", "Le Goff",
];

/// Returns a first name: male when `male` is true, female otherwise.
pub(crate) fn first_name(rng: &mut Rng, male: bool) -> &'static str {
    // Squaring a uniform draw favours the front of the list, where the most frequent names are.
    let list: &[&str] = if male { &MALE_FIRST_NAMES } else { &FEMALE_FIRST_NAMES };
    let position = (rng.unit() * rng.unit() * list.len() as f64) as usize;
    list[position.min(list.len() - 1)]
}

/// Returns a surname, the most frequent ones more often.
pub(crate) fn surname(rng: &mut Rng) -> &'static str {
    let draw = rng.unit();
    let skewed = if draw > 0.0 { exp(1.6 * ln(draw)) } else { 0.0 };
    let position = (skewed * SURNAMES.len() as f64) as usize;
    SURNAMES[position.min(SURNAMES.len() - 1)]
}

/// Returns `text` in upper case without accents, the way the legacy policy system stores surnames.
pub(crate) fn legacy_upper(text: &str) -> String {
    fold_accents(text).to_uppercase()
}

/// Returns `text` with French accents and ligatures replaced by plain ASCII letters.
pub(crate) fn fold_accents(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            'à' | 'â' | 'ä' => folded.push('a'),
            'ç' => folded.push('c'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'î' | 'ï' => folded.push('i'),
            'ô' | 'ö' => folded.push('o'),
            'ù' | 'û' | 'ü' => folded.push('u'),
            'ÿ' => folded.push('y'),
            'À' | 'Â' | 'Ä' => folded.push('A'),
            'Ç' => folded.push('C'),
            'É' | 'È' | 'Ê' | 'Ë' => folded.push('E'),
            'Î' | 'Ï' => folded.push('I'),
            'Ô' | 'Ö' => folded.push('O'),
            'Ù' | 'Û' | 'Ü' => folded.push('U'),
            'œ' => folded.push_str("oe"),
            'Œ' => folded.push_str("OE"),
            'æ' => folded.push_str("ae"),
            other => folded.push(other),
        }
    }
    folded
}

/// Returns the local part of an e-mail address built from a name (`jean.dupont`).
pub(crate) fn email_local_part(first_name: &str, surname: &str) -> String {
    let clean = |text: &str| -> String {
        fold_accents(text).to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect()
    };
    format!("{}.{}", clean(first_name), clean(surname))
}

/// Returns `text` as a lower-case ASCII slug (`Cabinet Dupont Assurances` gives `cabinet-dupont-assurances`),
/// usable in an e-mail domain.
pub(crate) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for character in fold_accents(text).to_lowercase().chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// Returns a random number of `length` digits whose last digit makes it pass the Luhn check, like SIREN (9)
/// and SIRET (14) numbers.
pub(crate) fn luhn_number(rng: &mut Rng, length: usize) -> String {
    let mut digits: Vec<u32> =
        (0..length - 1).map(|position| if position == 0 { 1 + rng.below(9) } else { rng.below(10) } as u32).collect();
    // Doubling applies to every second digit counted from the right, the check digit being the first.
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                *digit
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits.iter().map(|digit| char::from(b'0' + *digit as u8)).collect()
}

/// Consumer e-mail providers common in France.
static EMAIL_DOMAINS: [(&str, u32); 8] = [
    ("gmail.com", 38),
    ("orange.fr", 18),
    ("hotmail.fr", 12),
    ("free.fr", 9),
    ("yahoo.fr", 7),
    ("laposte.net", 6),
    ("sfr.fr", 6),
    ("outlook.fr", 4),
];

/// Returns a personal e-mail address for a person.
pub(crate) fn personal_email(rng: &mut Rng, first_name: &str, surname: &str) -> String {
    let suffix = if rng.chance(0.3) { rng.between(1, 99).to_string() } else { String::new() };
    format!("{}{suffix}@{}", email_local_part(first_name, surname), rng.weighted(&EMAIL_DOMAINS))
}

/// Returns a French mobile number (`06 12 34 56 78`).
pub(crate) fn mobile_phone(rng: &mut Rng) -> String {
    let prefix = if rng.chance(0.7) { "06" } else { "07" };
    format!("{prefix} {} {} {} {}", rng.digits(2), rng.digits(2), rng.digits(2), rng.digits(2))
}

/// Returns a French landline number for a place in `region` (INSEE code), with the right area prefix.
pub(crate) fn landline_phone(rng: &mut Rng, region: &str) -> String {
    let prefix = match region {
        "11" => "01",
        "24" | "28" | "52" | "53" => "02",
        "27" | "32" | "44" => "03",
        "76" | "84" | "93" | "94" => "04",
        _ => "05",
    };
    format!("{prefix} {} {} {} {}", rng.digits(2), rng.digits(2), rng.digits(2), rng.digits(2))
}

/// A kind of professional client, which decides the products it buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trade {
    /// Building trades (artisans du bâtiment).
    Builder,
    /// Liberal professions (professions libérales).
    Liberal,
    /// Shops and restaurants (commerçants).
    Shop,
}

/// Company name patterns: the trade, and a format where `{}` is a surname.
static COMPANIES: [(Trade, &str); 24] = [
    (Trade::Builder, "SARL {} BATIMENT"),
    (Trade::Builder, "{} ET FILS MACONNERIE"),
    (Trade::Builder, "EURL {} PLOMBERIE"),
    (Trade::Builder, "{} ELECTRICITE GENERALE"),
    (Trade::Builder, "SAS {} RENOVATION"),
    (Trade::Builder, "MENUISERIE {}"),
    (Trade::Builder, "{} COUVERTURE ZINGUERIE"),
    (Trade::Builder, "PEINTURE {} DECORATION"),
    (Trade::Liberal, "CABINET {} AVOCATS"),
    (Trade::Liberal, "CABINET MEDICAL {}"),
    (Trade::Liberal, "SELARL {} KINESITHERAPIE"),
    (Trade::Liberal, "{} ARCHITECTE DPLG"),
    (Trade::Liberal, "CABINET {} EXPERTISE COMPTABLE"),
    (Trade::Liberal, "{} CONSEIL"),
    (Trade::Liberal, "SCP {} NOTAIRES"),
    (Trade::Liberal, "CABINET DENTAIRE {}"),
    (Trade::Shop, "BOULANGERIE {}"),
    (Trade::Shop, "PHARMACIE {}"),
    (Trade::Shop, "RESTAURANT CHEZ {}"),
    (Trade::Shop, "BOUCHERIE {}"),
    (Trade::Shop, "FLEURS {}"),
    (Trade::Shop, "SARL {} OPTIQUE"),
    (Trade::Shop, "GARAGE {}"),
    (Trade::Shop, "COIFFURE {}"),
];

/// Returns a company's trade and its name, in upper case as the legacy system stores it.
pub(crate) fn company(rng: &mut Rng) -> (Trade, String) {
    let (trade, pattern) = rng.pick(&COMPANIES);
    (trade, pattern.replace("{}", &legacy_upper(surname(rng))))
}

/// Returns a brokerage firm's name.
pub(crate) fn brokerage_name(rng: &mut Rng, city: &str) -> String {
    let name = surname(rng);
    match rng.below(6) {
        0 => format!("Cabinet {name} Assurances"),
        1 => format!("{name} Courtage"),
        2 => format!("{city} Assurances Conseil"),
        3 => format!("{name} & Associés Courtage"),
        4 => format!("Assur'{name}"),
        _ => format!("Courtage {name} {}", surname(rng)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passes_luhn(number: &str) -> bool {
        let sum: u32 = number
            .chars()
            .rev()
            .enumerate()
            .map(|(position, character)| {
                let digit = character.to_digit(10).expect("digit");
                if position % 2 == 1 {
                    let doubled = digit * 2;
                    if doubled > 9 { doubled - 9 } else { doubled }
                } else {
                    digit
                }
            })
            .sum();
        sum.is_multiple_of(10)
    }

    #[test]
    fn generated_siren_and_siret_numbers_pass_the_luhn_check() {
        let mut rng = Rng::new(3);
        for length in [9, 14] {
            for _ in 0..200 {
                let number = luhn_number(&mut rng, length);
                assert_eq!(number.len(), length);
                assert!(passes_luhn(&number), "{number}");
            }
        }
    }

    #[test]
    fn names_are_folded_the_way_the_legacy_system_stores_them() {
        assert_eq!(legacy_upper("Lefèvre"), "LEFEVRE");
        assert_eq!(email_local_part("Hélène", "Le Goff"), "helene.legoff");
        assert_eq!(slug("Assur'Dupont & Associés"), "assur-dupont-associes");
    }
}
