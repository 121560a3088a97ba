//! French places: real communes with their real postal codes and départements, weighted roughly by population,
//! common street names, the company's agency sites and the INSEE region of every département. This file is data.

use time::Date;
use time::macros::date;

use super::rng::Rng;

/// A French commune the generator places people and buildings in.
#[derive(Debug)]
pub(crate) struct City {
    /// The commune's name, with its accents and hyphens.
    pub(crate) name: &'static str,
    /// The département code (`2A` and `2B` for Corsica).
    pub(crate) departement: &'static str,
    /// The commune's postal codes (Paris, Lyon and Marseille have one per arrondissement).
    pub(crate) postal_codes: &'static [&'static str],
    /// The relative weight (about the population in thousands).
    pub(crate) weight: u32,
}

/// Shorthand for a city entry.
const fn city(
    name: &'static str,
    departement: &'static str,
    postal_codes: &'static [&'static str],
    weight: u32,
) -> City {
    City { name, departement, postal_codes, weight }
}

/// The communes, biggest first.
pub(crate) static CITIES: [City; 117] = [
    city(
        "Paris",
        "75",
        &[
            "75001", "75002", "75003", "75004", "75005", "75006", "75007", "75008", "75009", "75010", "75011", "75012",
            "75013", "75014", "75015", "75016", "75017", "75018", "75019", "75020",
        ],
        2100,
    ),
    city(
        "Marseille",
        "13",
        &[
            "13001", "13002", "13003", "13004", "13005", "13006", "13007", "13008", "13009", "13010", "13011", "13012",
            "13013", "13014", "13015", "13016",
        ],
        870,
    ),
    city("Lyon", "69", &["69001", "69002", "69003", "69004", "69005", "69006", "69007", "69008", "69009"], 520),
    city("Toulouse", "31", &["31000", "31100", "31200", "31300", "31400", "31500"], 500),
    city("Nice", "06", &["06000", "06100", "06200", "06300"], 340),
    city("Nantes", "44", &["44000", "44100", "44200", "44300"], 320),
    city("Montpellier", "34", &["34000", "34070", "34080", "34090"], 300),
    city("Strasbourg", "67", &["67000", "67100", "67200"], 290),
    city("Bordeaux", "33", &["33000", "33100", "33200", "33300", "33800"], 260),
    city("Lille", "59", &["59000", "59160", "59260", "59800"], 235),
    city("Rennes", "35", &["35000", "35200", "35700"], 222),
    city("Reims", "51", &["51100"], 180),
    city("Toulon", "83", &["83000", "83100", "83200"], 180),
    city("Saint-Étienne", "42", &["42000", "42100"], 173),
    city("Le Havre", "76", &["76600", "76610", "76620"], 166),
    city("Dijon", "21", &["21000"], 160),
    city("Grenoble", "38", &["38000", "38100"], 157),
    city("Angers", "49", &["49000", "49100"], 157),
    city("Villeurbanne", "69", &["69100"], 155),
    city("Nîmes", "30", &["30000", "30900"], 148),
    city("Clermont-Ferrand", "63", &["63000", "63100"], 147),
    city("Aix-en-Provence", "13", &["13090", "13100"], 145),
    city("Le Mans", "72", &["72000", "72100"], 145),
    city("Brest", "29", &["29200"], 139),
    city("Tours", "37", &["37000", "37100", "37200"], 137),
    city("Amiens", "80", &["80000", "80080", "80090"], 134),
    city("Limoges", "87", &["87000", "87100", "87280"], 130),
    city("Annecy", "74", &["74000"], 130),
    city("Boulogne-Billancourt", "92", &["92100"], 121),
    city("Perpignan", "66", &["66000", "66100"], 120),
    city("Metz", "57", &["57000", "57050", "57070"], 120),
    city("Besançon", "25", &["25000"], 119),
    city("Orléans", "45", &["45000", "45100"], 116),
    city("Rouen", "76", &["76000", "76100"], 114),
    city("Saint-Denis", "93", &["93200"], 113),
    city("Montreuil", "93", &["93100"], 111),
    city("Argenteuil", "95", &["95100"], 110),
    city("Mulhouse", "68", &["68100", "68200"], 108),
    city("Caen", "14", &["14000"], 106),
    city("Nancy", "54", &["54000", "54100"], 105),
    city("Tourcoing", "59", &["59200"], 99),
    city("Roubaix", "59", &["59100"], 99),
    city("Nanterre", "92", &["92000"], 96),
    city("Vitry-sur-Seine", "94", &["94400"], 95),
    city("Créteil", "94", &["94000"], 92),
    city("Avignon", "84", &["84000"], 91),
    city("Poitiers", "86", &["86000"], 89),
    city("Aubervilliers", "93", &["93300"], 88),
    city("Dunkerque", "59", &["59140", "59240"], 86),
    city("Colombes", "92", &["92700"], 86),
    city("Asnières-sur-Seine", "92", &["92600"], 86),
    city("Aulnay-sous-Bois", "93", &["93600"], 86),
    city("Versailles", "78", &["78000"], 84),
    city("Courbevoie", "92", &["92400"], 82),
    city("Béziers", "34", &["34500"], 79),
    city("Rueil-Malmaison", "92", &["92500"], 79),
    city("Cherbourg-en-Cotentin", "50", &["50100"], 78),
    city("Pau", "64", &["64000"], 77),
    city("La Rochelle", "17", &["17000"], 77),
    city("Champigny-sur-Marne", "94", &["94500"], 77),
    city("Antibes", "06", &["06600", "06160"], 75),
    city("Saint-Maur-des-Fossés", "94", &["94100", "94210"], 75),
    city("Cannes", "06", &["06400", "06150"], 74),
    city("Drancy", "93", &["93700"], 72),
    city("Mérignac", "33", &["33700"], 72),
    city("Ajaccio", "2A", &["20000"], 72),
    city("Saint-Nazaire", "44", &["44600"], 72),
    city("Issy-les-Moulineaux", "92", &["92130"], 68),
    city("Colmar", "68", &["68000"], 67),
    city("Calais", "62", &["62100"], 67),
    city("Évry-Courcouronnes", "91", &["91000"], 67),
    city("Pessac", "33", &["33600"], 66),
    city("Vénissieux", "69", &["69200"], 66),
    city("Cergy", "95", &["95000"], 66),
    city("Levallois-Perret", "92", &["92300"], 65),
    city("Valence", "26", &["26000"], 65),
    city("Bourges", "18", &["18000"], 64),
    city("Quimper", "29", &["29000"], 63),
    city("Ivry-sur-Seine", "94", &["94200"], 63),
    city("Villeneuve-d'Ascq", "59", &["59650", "59491"], 62),
    city("Troyes", "10", &["10000"], 61),
    city("Montauban", "82", &["82000"], 61),
    city("Chambéry", "73", &["73000"], 60),
    city("Neuilly-sur-Seine", "92", &["92200"], 59),
    city("Niort", "79", &["79000"], 59),
    city("Sarcelles", "95", &["95200"], 58),
    city("Lorient", "56", &["56100"], 57),
    city("Beauvais", "60", &["60000"], 56),
    city("Hyères", "83", &["83400"], 56),
    city("Narbonne", "11", &["11100"], 56),
    city("Meaux", "77", &["77100"], 55),
    city("Fréjus", "83", &["83600"], 55),
    city("La Roche-sur-Yon", "85", &["85000"], 55),
    city("Cholet", "49", &["49300"], 54),
    city("Vannes", "56", &["56000"], 54),
    city("Saint-Quentin", "02", &["02100"], 53),
    city("Bayonne", "64", &["64100"], 52),
    city("Massy", "91", &["91300"], 51),
    city("Arles", "13", &["13200"], 51),
    city("Vincennes", "94", &["94300"], 50),
    city("Albi", "81", &["81000"], 49),
    city("Laval", "53", &["53000"], 49),
    city("Martigues", "13", &["13500"], 49),
    city("Bastia", "2B", &["20200", "20600"], 48),
    city("Saint-Malo", "35", &["35400"], 47),
    city("Évreux", "27", &["27000"], 47),
    city("Blois", "41", &["41000"], 46),
    city("Belfort", "90", &["90000"], 46),
    city("Carcassonne", "11", &["11000"], 46),
    city("Brive-la-Gaillarde", "19", &["19100"], 46),
    city("Charleville-Mézières", "08", &["08000"], 46),
    city("Saint-Germain-en-Laye", "78", &["78100"], 45),
    city("Chalon-sur-Saône", "71", &["71100"], 45),
    city("Salon-de-Provence", "13", &["13300"], 45),
    city("Sète", "34", &["34200"], 44),
    city("Saint-Brieuc", "22", &["22000"], 44),
    city("Angoulême", "16", &["16000"], 42),
];

/// Returns a city drawn with probability proportional to its weight.
pub(crate) fn random_city(rng: &mut Rng) -> &'static City {
    // A cumulative table would be faster, but 118 entries are cheap to scan.
    let total: u64 = CITIES.iter().map(|city| u64::from(city.weight)).sum();
    let mut target = rng.below(total);
    for city in &CITIES {
        if target < u64::from(city.weight) {
            return city;
        }
        target -= u64::from(city.weight);
    }
    &CITIES[0]
}

/// Returns the city called `name`; the name must be in the list.
pub(crate) fn named_city(name: &str) -> &'static City {
    CITIES.iter().find(|city| city.name == name).expect("BUG: agencies are placed in listed cities")
}

/// Street names, each with its type of way.
static STREETS: [&str; 60] = [
    "rue de la République",
    "rue Victor Hugo",
    "avenue Jean Jaurès",
    "boulevard Gambetta",
    "rue Pasteur",
    "rue Jules Ferry",
    "avenue du Général de Gaulle",
    "rue de la Gare",
    "rue de l'Église",
    "place de la Mairie",
    "rue Émile Zola",
    "avenue Foch",
    "rue Nationale",
    "rue du Château",
    "rue Voltaire",
    "boulevard de la Liberté",
    "rue Carnot",
    "rue des Écoles",
    "rue Saint-Michel",
    "rue du Stade",
    "rue des Lilas",
    "chemin des Vignes",
    "allée des Tilleuls",
    "rue du Moulin",
    "impasse des Roses",
    "rue de Verdun",
    "rue Jean Moulin",
    "avenue de la Libération",
    "rue Pierre et Marie Curie",
    "rue des Acacias",
    "rue du Port",
    "quai des Chartrons",
    "rue Gabriel Péri",
    "boulevard Voltaire",
    "rue de Paris",
    "rue Anatole France",
    "avenue des Champs",
    "rue du Commerce",
    "rue de la Paix",
    "rue Alsace-Lorraine",
    "rue du Docteur Schweitzer",
    "rue des Jardins",
    "chemin du Bois",
    "route de Lyon",
    "rue Lamartine",
    "rue Racine",
    "rue Molière",
    "avenue Aristide Briand",
    "rue du 8 Mai 1945",
    "rue du 11 Novembre",
    "rue de la Fontaine",
    "rue des Peupliers",
    "rue Georges Clemenceau",
    "boulevard Pasteur",
    "rue de Strasbourg",
    "allée des Érables",
    "rue Condorcet",
    "rue Montesquieu",
    "avenue de la Mer",
    "rue Saint-Jacques",
];

/// Returns a street name.
pub(crate) fn random_street(rng: &mut Rng) -> &'static str {
    rng.pick(&STREETS)
}

/// Agency sites: label, city, opening date and closing date.
pub(crate) static AGENCY_SITES: [(&str, &str, Date, Option<Date>); 39] = [
    ("Agence Paris Opéra", "Paris", date!(1998 - 09 - 01), None),
    ("Agence Paris Bastille", "Paris", date!(2004 - 03 - 01), None),
    ("Agence Paris Montparnasse", "Paris", date!(2001 - 01 - 15), Some(date!(2021 - 06 - 30))),
    ("Agence Lyon Part-Dieu", "Lyon", date!(1999 - 05 - 03), None),
    ("Agence Lyon Bellecour", "Lyon", date!(2006 - 09 - 01), Some(date!(2023 - 03 - 31))),
    ("Agence Marseille Prado", "Marseille", date!(2000 - 01 - 10), None),
    ("Agence Marseille Vieux-Port", "Marseille", date!(2012 - 04 - 02), None),
    ("Agence Toulouse Capitole", "Toulouse", date!(2001 - 06 - 01), None),
    ("Agence Nice Masséna", "Nice", date!(2003 - 02 - 03), None),
    ("Agence Nantes Commerce", "Nantes", date!(2000 - 09 - 04), None),
    ("Agence Montpellier Comédie", "Montpellier", date!(2005 - 01 - 03), None),
    ("Agence Strasbourg Kléber", "Strasbourg", date!(2002 - 03 - 01), None),
    ("Agence Bordeaux Chartrons", "Bordeaux", date!(2001 - 10 - 01), None),
    ("Agence Lille Grand Place", "Lille", date!(1999 - 11 - 02), None),
    ("Agence Rennes République", "Rennes", date!(2004 - 05 - 03), None),
    ("Agence Toulon Mayol", "Toulon", date!(2008 - 06 - 02), None),
    ("Agence Reims Cathédrale", "Reims", date!(2007 - 01 - 08), None),
    ("Agence Saint-Étienne Jean Jaurès", "Saint-Étienne", date!(2009 - 09 - 01), None),
    ("Agence Le Havre Océane", "Le Havre", date!(2010 - 03 - 01), None),
    ("Agence Dijon Darcy", "Dijon", date!(2006 - 02 - 01), None),
    ("Agence Grenoble Victor Hugo", "Grenoble", date!(2005 - 09 - 05), None),
    ("Agence Angers Ralliement", "Angers", date!(2011 - 01 - 03), None),
    ("Agence Clermont-Ferrand Jaude", "Clermont-Ferrand", date!(2007 - 04 - 02), None),
    ("Agence Tours Jean Jaurès", "Tours", date!(2008 - 01 - 07), None),
    ("Agence Limoges Bénédictins", "Limoges", date!(2012 - 09 - 03), None),
    ("Agence Metz Saint-Louis", "Metz", date!(2009 - 02 - 02), None),
    ("Agence Orléans Martroi", "Orléans", date!(2010 - 06 - 01), None),
    ("Agence Rouen Vieux-Marché", "Rouen", date!(2006 - 10 - 02), None),
    ("Agence Caen Saint-Pierre", "Caen", date!(2011 - 05 - 02), None),
    ("Agence Brest Siam", "Brest", date!(2013 - 03 - 04), None),
    ("Agence Perpignan Castillet", "Perpignan", date!(2012 - 01 - 09), None),
    ("Agence Pau Clemenceau", "Pau", date!(2014 - 04 - 01), None),
    ("Agence Poitiers Notre-Dame", "Poitiers", date!(2013 - 09 - 02), None),
    ("Agence Versailles Notre-Dame", "Versailles", date!(2010 - 01 - 04), None),
    ("Agence Amiens Gambetta", "Amiens", date!(2014 - 01 - 06), None),
    ("Agence Besançon Granvelle", "Besançon", date!(2012 - 06 - 04), None),
    ("Agence Nîmes Arènes", "Nîmes", date!(2011 - 09 - 05), None),
    ("Agence Ajaccio Fesch", "Ajaccio", date!(2017 - 09 - 04), None),
    ("Agence Annecy Bonlieu", "Annecy", date!(2019 - 02 - 04), None),
];

/// Agencies that host a claims platform (gestionnaires sinistres) or an underwriting team (souscripteurs).
pub(crate) static PLATFORMS: [&str; 8] =
    ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille", "Strasbourg"];

/// Returns the INSEE code of the region a (metropolitan) département belongs to.
pub(crate) fn region_of(departement: &str) -> &'static str {
    match departement {
        "75" | "77" | "78" | "91" | "92" | "93" | "94" | "95" => "11",
        "18" | "28" | "36" | "37" | "41" | "45" => "24",
        "21" | "25" | "39" | "58" | "70" | "71" | "89" | "90" => "27",
        "14" | "27" | "50" | "61" | "76" => "28",
        "02" | "59" | "60" | "62" | "80" => "32",
        "08" | "10" | "51" | "52" | "54" | "55" | "57" | "67" | "68" | "88" => "44",
        "44" | "49" | "53" | "72" | "85" => "52",
        "22" | "29" | "35" | "56" => "53",
        "16" | "17" | "19" | "23" | "24" | "33" | "40" | "47" | "64" | "79" | "86" | "87" => "75",
        "09" | "11" | "12" | "30" | "31" | "32" | "34" | "46" | "48" | "65" | "66" | "81" | "82" => "76",
        "01" | "03" | "07" | "15" | "26" | "38" | "42" | "43" | "63" | "69" | "73" | "74" => "84",
        "04" | "05" | "06" | "13" | "83" | "84" => "93",
        "2A" | "2B" => "94",
        _ => "11",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn cities_are_unique_and_their_postal_codes_match_their_departement() {
        let names: BTreeSet<_> = CITIES.iter().map(|city| city.name).collect();
        assert_eq!(names.len(), CITIES.len());
        for city in &CITIES {
            for code in city.postal_codes {
                assert_eq!(code.len(), 5);
                let expected_prefix = match city.departement {
                    "2A" | "2B" => "20",
                    other => other,
                };
                assert!(code.starts_with(expected_prefix), "{} {code}", city.name);
            }
            let in_ile_de_france = ["75", "77", "78", "91", "92", "93", "94", "95"].contains(&city.departement);
            assert_eq!(region_of(city.departement) == "11", in_ile_de_france, "{}", city.name);
        }
    }
}
