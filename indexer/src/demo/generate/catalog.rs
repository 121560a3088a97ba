//! The product catalogue (branches, products, covers and what each product offers), claim profiles per cover and
//! vehicle models. The codes here are the ones `deploy/demo/docs/codes.md` explains. This file is data, so it
//! runs past the usual 400-line budget.

use time::Date;
use time::macros::date;

/// A line of business (« branche »).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Branch {
    /// Motor (« automobile »), code `10`.
    Auto,
    /// Household (« multirisque habitation »), code `20`.
    Home,
    /// Health (« santé »), code `30`.
    Health,
    /// Income and death protection (« prévoyance »), code `40`.
    Protection,
    /// Professional liability (« RC professionnelle »), code `50`.
    Liability,
}

impl Branch {
    /// Returns the branch code stored in `CD_BRANCHE`.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Auto => "10",
            Self::Home => "20",
            Self::Health => "30",
            Self::Protection => "40",
            Self::Liability => "50",
        }
    }
}

/// One insurance product.
#[derive(Debug)]
pub(crate) struct Product {
    /// `CD_PRODUIT`.
    pub(crate) code: &'static str,
    /// `LB_PRODUIT`.
    pub(crate) label: &'static str,
    /// The product's branch.
    pub(crate) branch: Branch,
    /// First day of sale.
    pub(crate) launched: Date,
    /// Last day of sale, if the product was withdrawn.
    pub(crate) withdrawn: Option<Date>,
    /// Insurance tax rate in hundredths of a percent (3300 is 33.00 %).
    pub(crate) tax_basis_points: i64,
    /// Range of the annual premium before tax, in euros, before individual factors.
    pub(crate) premium: (f64, f64),
    /// The covers the product offers.
    pub(crate) covers: &'static [ProductCover],
}

/// A cover offered by a product.
#[derive(Debug)]
pub(crate) struct ProductCover {
    /// The cover's code (`CD_GARANTIE`).
    pub(crate) code: &'static str,
    /// Whether the cover is always included (`TOP_OBLIG = 'O'`).
    pub(crate) included: bool,
    /// Default limit in euros; `None` means unlimited.
    pub(crate) limit: Option<i64>,
    /// Default deductible in euros.
    pub(crate) deductible: i64,
}

/// Shorthand for a product cover.
const fn cover(code: &'static str, included: bool, limit: Option<i64>, deductible: i64) -> ProductCover {
    ProductCover { code, included, limit, deductible }
}

/// One elementary cover.
#[derive(Debug)]
pub(crate) struct Cover {
    /// `CD_GARANTIE`.
    pub(crate) code: &'static str,
    /// `LB_GARANTIE`.
    pub(crate) label: &'static str,
    /// The cover's branch.
    pub(crate) branch: Branch,
    /// Whether the law makes the cover compulsory.
    pub(crate) legal: bool,
    /// Relative share of the contract's premium the cover takes.
    pub(crate) premium_weight: u32,
    /// Relative chance that a claim on a contract holding this cover falls on it.
    pub(crate) claim_weight: u32,
    /// Claim causes for this cover: cause code, weight, and cost range in euros.
    pub(crate) claims: &'static [(&'static str, u32, f64, f64)],
}

/// Shorthand for a cover.
#[allow(clippy::too_many_arguments)]
const fn elementary(
    code: &'static str,
    label: &'static str,
    branch: Branch,
    legal: bool,
    premium_weight: u32,
    claim_weight: u32,
    claims: &'static [(&'static str, u32, f64, f64)],
) -> Cover {
    Cover { code, label, branch, legal, premium_weight, claim_weight, claims }
}

/// The covers, in identifier order (`ID_GARANTIE` is the position plus one).
pub(crate) static COVERS: [Cover; 33] = [
    elementary(
        "RC_AUTO",
        "Responsabilité civile automobile",
        Branch::Auto,
        true,
        40,
        34,
        &[("COL", 1, 500.0, 15000.0)],
    ),
    elementary("DEF_REC", "Défense pénale et recours", Branch::Auto, false, 3, 3, &[("LIT", 1, 300.0, 4000.0)]),
    elementary("BDG", "Bris de glace", Branch::Auto, false, 6, 30, &[("BDG", 1, 180.0, 1500.0)]),
    elementary(
        "VOL_INC",
        "Vol et incendie du véhicule",
        Branch::Auto,
        false,
        14,
        10,
        &[("VOL", 7, 1200.0, 22000.0), ("INC", 3, 2000.0, 25000.0), ("CAT", 1, 1500.0, 25000.0)],
    ),
    elementary("DOM_TA", "Dommages tous accidents", Branch::Auto, false, 30, 25, &[("COL", 1, 600.0, 14000.0)]),
    elementary("ASS_0KM", "Assistance 0 km", Branch::Auto, false, 4, 12, &[("PAN", 1, 80.0, 450.0)]),
    elementary("CONDUCT", "Garantie du conducteur", Branch::Auto, false, 6, 2, &[("COR", 1, 3000.0, 80000.0)]),
    elementary(
        "INC",
        "Incendie, tempête, grêle et poids de la neige",
        Branch::Home,
        false,
        38,
        18,
        &[("INC", 8, 1500.0, 60000.0), ("TGN", 10, 400.0, 12000.0)],
    ),
    elementary("DDE", "Dégâts des eaux", Branch::Home, false, 25, 40, &[("DDE", 1, 400.0, 9000.0)]),
    elementary("VOL_HAB", "Vol et vandalisme", Branch::Home, false, 15, 18, &[("VOL", 1, 500.0, 12000.0)]),
    elementary("RC_VP", "Responsabilité civile vie privée", Branch::Home, false, 8, 10, &[("RCV", 1, 200.0, 6000.0)]),
    elementary("BDG_HAB", "Bris de glace habitation", Branch::Home, false, 4, 8, &[("BDG", 1, 150.0, 1200.0)]),
    elementary(
        "CATNAT_H",
        "Catastrophes naturelles (habitation)",
        Branch::Home,
        true,
        4,
        3,
        &[("CAT", 1, 1500.0, 40000.0)],
    ),
    elementary("OBJ_VAL", "Objets de valeur", Branch::Home, false, 8, 2, &[("VOL", 1, 1000.0, 20000.0)]),
    elementary("ASS_HAB", "Assistance habitation", Branch::Home, false, 3, 5, &[("PAN", 1, 90.0, 600.0)]),
    elementary("LOYERS", "Perte de loyers", Branch::Home, false, 12, 3, &[("LOY", 1, 1500.0, 9000.0)]),
    elementary("HOSPI", "Hospitalisation", Branch::Health, false, 35, 10, &[("HOS", 1, 1000.0, 15000.0)]),
    elementary("SOINS", "Soins courants", Branch::Health, false, 30, 40, &[("SOI", 1, 50.0, 600.0)]),
    elementary("OPTIQUE", "Optique", Branch::Health, false, 15, 20, &[("OPT", 1, 120.0, 700.0)]),
    elementary("DENTAIRE", "Dentaire", Branch::Health, false, 15, 20, &[("DEN", 1, 150.0, 2500.0)]),
    elementary("AUDIO", "Aides auditives", Branch::Health, false, 6, 4, &[("AUD", 1, 500.0, 2200.0)]),
    elementary("MED_DOUCE", "Médecines douces", Branch::Health, false, 4, 6, &[("SOI", 1, 40.0, 240.0)]),
    elementary("DECES", "Capital décès", Branch::Protection, false, 60, 1, &[("DCD", 1, 15000.0, 100000.0)]),
    elementary("IJ", "Indemnités journalières", Branch::Protection, false, 50, 10, &[("ARR", 1, 800.0, 9000.0)]),
    elementary("INVAL", "Rente d'invalidité", Branch::Protection, false, 35, 2, &[("INV", 1, 8000.0, 60000.0)]),
    elementary("RENTE_EDU", "Rente éducation", Branch::Protection, false, 15, 0, &[("DCD", 1, 10000.0, 60000.0)]),
    elementary("GAV", "Accidents de la vie", Branch::Protection, false, 100, 8, &[("ACC", 1, 1000.0, 25000.0)]),
    elementary(
        "RC_EXPL",
        "Responsabilité civile exploitation",
        Branch::Liability,
        false,
        40,
        10,
        &[("RCT", 1, 800.0, 30000.0)],
    ),
    elementary(
        "RC_PRO",
        "Responsabilité civile professionnelle",
        Branch::Liability,
        false,
        50,
        10,
        &[("ERR", 1, 1500.0, 50000.0)],
    ),
    elementary(
        "DECENN",
        "Responsabilité civile décennale",
        Branch::Liability,
        true,
        60,
        8,
        &[("MAL", 1, 3000.0, 80000.0)],
    ),
    elementary(
        "PJ_PRO",
        "Protection juridique professionnelle",
        Branch::Liability,
        false,
        8,
        5,
        &[("LIT", 1, 500.0, 6000.0)],
    ),
    elementary("PERTE_EXP", "Perte d'exploitation", Branch::Liability, false, 15, 3, &[("PEX", 1, 2000.0, 40000.0)]),
    elementary(
        "DOM_LOC",
        "Dommages aux locaux professionnels",
        Branch::Liability,
        false,
        25,
        6,
        &[("DDE", 5, 500.0, 15000.0), ("INC", 2, 3000.0, 80000.0), ("VOL", 3, 800.0, 15000.0)],
    ),
];

/// The products, in identifier order (`ID_PRODUIT` is the position plus one).
pub(crate) static PRODUCTS: [Product; 18] = [
    Product {
        code: "AUT-ESS",
        label: "Auto Essentielle (tiers)",
        branch: Branch::Auto,
        launched: date!(2009 - 03 - 01),
        withdrawn: None,
        tax_basis_points: 3300,
        premium: (220.0, 520.0),
        covers: &[
            cover("RC_AUTO", true, None, 0),
            cover("DEF_REC", false, Some(20_000), 0),
            cover("ASS_0KM", false, Some(1_500), 0),
            cover("CONDUCT", false, Some(300_000), 0),
            cover("BDG", false, None, 50),
        ],
    },
    Product {
        code: "AUT-TPL",
        label: "Auto Tiers Plus",
        branch: Branch::Auto,
        launched: date!(2011 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 3300,
        premium: (320.0, 700.0),
        covers: &[
            cover("RC_AUTO", true, None, 0),
            cover("DEF_REC", false, Some(20_000), 0),
            cover("BDG", true, None, 50),
            cover("VOL_INC", true, None, 300),
            cover("ASS_0KM", false, Some(1_500), 0),
            cover("CONDUCT", false, Some(300_000), 0),
        ],
    },
    Product {
        code: "AUT-TR",
        label: "Auto Tous Risques",
        branch: Branch::Auto,
        launched: date!(2011 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 3300,
        premium: (480.0, 1100.0),
        covers: &[
            cover("RC_AUTO", true, None, 0),
            cover("DEF_REC", false, Some(20_000), 0),
            cover("BDG", true, None, 0),
            cover("VOL_INC", true, None, 300),
            cover("DOM_TA", true, None, 300),
            cover("ASS_0KM", false, Some(1_500), 0),
            cover("CONDUCT", false, Some(500_000), 0),
        ],
    },
    Product {
        code: "AUT-PRO",
        label: "Auto Pro (véhicules utilitaires)",
        branch: Branch::Auto,
        launched: date!(2018 - 04 - 01),
        withdrawn: None,
        tax_basis_points: 3300,
        premium: (600.0, 1500.0),
        covers: &[
            cover("RC_AUTO", true, None, 0),
            cover("DEF_REC", false, Some(20_000), 0),
            cover("BDG", true, None, 100),
            cover("VOL_INC", true, None, 500),
            cover("DOM_TA", false, None, 600),
            cover("ASS_0KM", false, Some(2_000), 0),
        ],
    },
    Product {
        code: "MRH-LOC",
        label: "Habitation Locataire",
        branch: Branch::Home,
        launched: date!(2010 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 3000,
        premium: (90.0, 260.0),
        covers: &[
            cover("INC", true, Some(300_000), 150),
            cover("DDE", true, Some(50_000), 150),
            cover("RC_VP", true, Some(4_500_000), 0),
            cover("CATNAT_H", true, None, 380),
            cover("VOL_HAB", false, Some(15_000), 150),
            cover("BDG_HAB", false, Some(3_000), 0),
            cover("ASS_HAB", false, Some(2_000), 0),
            cover("OBJ_VAL", false, Some(20_000), 300),
        ],
    },
    Product {
        code: "MRH-PRO",
        label: "Habitation Propriétaire",
        branch: Branch::Home,
        launched: date!(2010 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 3000,
        premium: (180.0, 520.0),
        covers: &[
            cover("INC", true, None, 150),
            cover("DDE", true, Some(100_000), 150),
            cover("RC_VP", true, Some(4_500_000), 0),
            cover("CATNAT_H", true, None, 380),
            cover("VOL_HAB", true, Some(30_000), 150),
            cover("BDG_HAB", false, Some(5_000), 0),
            cover("ASS_HAB", false, Some(2_000), 0),
            cover("OBJ_VAL", false, Some(50_000), 300),
        ],
    },
    Product {
        code: "MRH-PNO",
        label: "Propriétaire Non Occupant",
        branch: Branch::Home,
        launched: date!(2017 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 3000,
        premium: (110.0, 320.0),
        covers: &[
            cover("INC", true, None, 250),
            cover("DDE", true, Some(100_000), 250),
            cover("CATNAT_H", true, None, 380),
            cover("LOYERS", false, Some(12_000), 0),
            cover("BDG_HAB", false, Some(5_000), 0),
        ],
    },
    Product {
        code: "SAN-ESS",
        label: "Santé Essentielle",
        branch: Branch::Health,
        launched: date!(2012 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 1327,
        premium: (160.0, 380.0),
        covers: &[
            cover("HOSPI", true, Some(30_000), 0),
            cover("SOINS", true, Some(2_000), 0),
            cover("OPTIQUE", false, Some(200), 0),
            cover("DENTAIRE", false, Some(600), 0),
        ],
    },
    Product {
        code: "SAN-CNF",
        label: "Santé Confort",
        branch: Branch::Health,
        launched: date!(2012 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 1327,
        premium: (320.0, 760.0),
        covers: &[
            cover("HOSPI", true, None, 0),
            cover("SOINS", true, Some(4_000), 0),
            cover("OPTIQUE", true, Some(400), 0),
            cover("DENTAIRE", true, Some(1_500), 0),
            cover("MED_DOUCE", false, Some(240), 0),
            cover("AUDIO", false, Some(1_700), 0),
        ],
    },
    Product {
        code: "SAN-S15",
        label: "Santé Seniors 2015",
        branch: Branch::Health,
        launched: date!(2014 - 09 - 01),
        withdrawn: Some(date!(2020 - 12 - 31)),
        tax_basis_points: 1327,
        premium: (520.0, 1100.0),
        covers: &[
            cover("HOSPI", true, None, 0),
            cover("SOINS", true, Some(4_000), 0),
            cover("OPTIQUE", true, Some(350), 0),
            cover("DENTAIRE", true, Some(1_200), 0),
            cover("AUDIO", true, Some(1_400), 0),
        ],
    },
    Product {
        code: "SAN-S21",
        label: "Santé Seniors Sérénité",
        branch: Branch::Health,
        launched: date!(2021 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 1327,
        premium: (580.0, 1250.0),
        covers: &[
            cover("HOSPI", true, None, 0),
            cover("SOINS", true, Some(5_000), 0),
            cover("OPTIQUE", true, Some(400), 0),
            cover("DENTAIRE", true, Some(1_800), 0),
            cover("AUDIO", true, Some(1_700), 0),
            cover("MED_DOUCE", false, Some(300), 0),
        ],
    },
    Product {
        code: "SAN-TNS",
        label: "Santé TNS Madelin",
        branch: Branch::Health,
        launched: date!(2013 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 1327,
        premium: (350.0, 880.0),
        covers: &[
            cover("HOSPI", true, None, 0),
            cover("SOINS", true, Some(4_000), 0),
            cover("OPTIQUE", false, Some(400), 0),
            cover("DENTAIRE", false, Some(1_500), 0),
            cover("MED_DOUCE", false, Some(240), 0),
        ],
    },
    Product {
        code: "PRV-DEC",
        label: "Prévoyance Capital Décès",
        branch: Branch::Protection,
        launched: date!(2008 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (120.0, 600.0),
        covers: &[cover("DECES", true, Some(150_000), 0), cover("RENTE_EDU", false, Some(60_000), 0)],
    },
    Product {
        code: "PRV-GAV",
        label: "Garantie Accidents de la Vie",
        branch: Branch::Protection,
        launched: date!(2010 - 06 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (150.0, 420.0),
        covers: &[cover("GAV", true, Some(1_000_000), 0)],
    },
    Product {
        code: "PRV-ITT",
        label: "Prévoyance Arrêt de Travail TNS",
        branch: Branch::Protection,
        launched: date!(2013 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (450.0, 1600.0),
        covers: &[
            cover("IJ", true, Some(50_000), 0),
            cover("INVAL", true, Some(200_000), 0),
            cover("DECES", false, Some(150_000), 0),
        ],
    },
    Product {
        code: "RCP-ART",
        label: "RC Pro Artisans du Bâtiment",
        branch: Branch::Liability,
        launched: date!(2009 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (900.0, 4200.0),
        covers: &[
            cover("RC_EXPL", true, Some(3_000_000), 500),
            cover("DECENN", true, None, 1_500),
            cover("PJ_PRO", false, Some(20_000), 0),
            cover("DOM_LOC", false, Some(150_000), 500),
        ],
    },
    Product {
        code: "RCP-LIB",
        label: "RC Pro Professions Libérales",
        branch: Branch::Liability,
        launched: date!(2009 - 01 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (350.0, 1800.0),
        covers: &[
            cover("RC_PRO", true, Some(2_000_000), 300),
            cover("RC_EXPL", true, Some(3_000_000), 300),
            cover("PJ_PRO", false, Some(20_000), 0),
        ],
    },
    Product {
        code: "RCP-COM",
        label: "Multirisque Commerçants",
        branch: Branch::Liability,
        launched: date!(2016 - 06 - 01),
        withdrawn: None,
        tax_basis_points: 900,
        premium: (500.0, 2400.0),
        covers: &[
            cover("RC_EXPL", true, Some(3_000_000), 300),
            cover("DOM_LOC", true, Some(300_000), 400),
            cover("PERTE_EXP", false, Some(150_000), 0),
            cover("PJ_PRO", false, Some(20_000), 0),
        ],
    },
];

/// Returns the identifier (`ID_GARANTIE`) of the cover with this code; the code must exist.
pub(crate) fn cover_id(code: &str) -> i64 {
    let position = COVERS.iter().position(|cover| cover.code == code).expect("BUG: products only list known covers");
    position as i64 + 1
}

/// Returns the cover with this identifier; the identifier must exist.
pub(crate) fn cover_by_id(id: i64) -> &'static Cover {
    &COVERS[(id - 1) as usize]
}

/// Returns the identifier (`ID_PRODUIT`) of the product with this code; the code must exist.
pub(crate) fn product_id(code: &str) -> i64 {
    let position = PRODUCTS.iter().position(|product| product.code == code).expect("BUG: unknown product code");
    position as i64 + 1
}

/// Returns whether the product was on sale on `day`.
pub(crate) fn on_sale(product: &Product, day: Date) -> bool {
    product.launched <= day && product.withdrawn.is_none_or(|withdrawn| day <= withdrawn)
}

/// Returns the expert speciality (`CD_SPECIALITE`) suited to a claim of this branch and cause, if such claims
/// are ever sent to an expert.
pub(crate) fn expert_speciality(branch: Branch, cause: &str) -> Option<&'static str> {
    match (branch, cause) {
        (Branch::Auto, "COL" | "VOL" | "INC" | "CAT") => Some("AUT"),
        (Branch::Auto, "COR") => Some("MED"),
        (Branch::Home, "INC" | "DDE" | "TGN" | "CAT" | "VOL") => Some("BAT"),
        (Branch::Protection, "ARR" | "INV" | "ACC") => Some("MED"),
        (Branch::Liability, "MAL" | "DDE" | "INC") => Some("BAT"),
        (Branch::Liability, "RCT" | "ERR" | "PEX") => Some("RCI"),
        _ => None,
    }
}

/// A vehicle model.
#[derive(Debug)]
pub(crate) struct VehicleModel {
    /// The make, in upper case as on the registration certificate.
    pub(crate) make: &'static str,
    /// The commercial model.
    pub(crate) model: &'static str,
    /// The fuels (`CD_ENERGIE` codes) the model was sold with.
    pub(crate) fuels: &'static [&'static str],
    /// The range of fiscal horsepower.
    pub(crate) horsepower: (i64, i64),
    /// The range of new prices, in euros.
    pub(crate) price: (f64, f64),
    /// The relative popularity.
    pub(crate) weight: u32,
    /// The first year the model was sold.
    pub(crate) since: i32,
    /// Whether it is a light commercial vehicle (bought by professionals).
    pub(crate) utility: bool,
}

/// Shorthand for a vehicle model.
#[allow(clippy::too_many_arguments)]
const fn vehicle(
    make: &'static str,
    model: &'static str,
    fuels: &'static [&'static str],
    horsepower: (i64, i64),
    price: (f64, f64),
    weight: u32,
    since: i32,
    utility: bool,
) -> VehicleModel {
    VehicleModel { make, model, fuels, horsepower, price, weight, since, utility }
}

/// Vehicle models common in France.
pub(crate) static VEHICLE_MODELS: [VehicleModel; 50] = [
    vehicle("RENAULT", "CLIO", &["ES", "GO", "EH"], (4, 6), (15000.0, 24000.0), 60, 1990, false),
    vehicle("RENAULT", "MEGANE", &["ES", "GO", "EE"], (5, 8), (22000.0, 35000.0), 25, 1995, false),
    vehicle("RENAULT", "CAPTUR", &["ES", "GO", "EE"], (5, 7), (21000.0, 32000.0), 30, 2013, false),
    vehicle("RENAULT", "TWINGO", &["ES", "EL"], (3, 4), (11000.0, 17000.0), 18, 1993, false),
    vehicle("RENAULT", "ZOE", &["EL"], (1, 2), (24000.0, 34000.0), 10, 2013, false),
    vehicle("RENAULT", "AUSTRAL", &["EH", "ES"], (7, 9), (32000.0, 45000.0), 5, 2022, false),
    vehicle("RENAULT", "KANGOO", &["GO", "ES", "EL"], (5, 6), (18000.0, 28000.0), 12, 1998, true),
    vehicle("RENAULT", "MASTER", &["GO"], (8, 10), (32000.0, 45000.0), 4, 1998, true),
    vehicle("PEUGEOT", "208", &["ES", "GO", "EL"], (4, 6), (16000.0, 27000.0), 55, 2012, false),
    vehicle("PEUGEOT", "308", &["ES", "GO", "EE"], (5, 8), (23000.0, 36000.0), 30, 2007, false),
    vehicle("PEUGEOT", "2008", &["ES", "GO", "EL"], (5, 7), (22000.0, 33000.0), 28, 2013, false),
    vehicle("PEUGEOT", "3008", &["ES", "GO", "EE"], (6, 9), (28000.0, 42000.0), 25, 2009, false),
    vehicle("PEUGEOT", "5008", &["ES", "GO"], (7, 9), (31000.0, 45000.0), 10, 2009, false),
    vehicle("PEUGEOT", "PARTNER", &["GO"], (5, 6), (20000.0, 28000.0), 6, 1996, true),
    vehicle("CITROEN", "C3", &["ES", "GO"], (4, 5), (14000.0, 21000.0), 40, 2002, false),
    vehicle("CITROEN", "C4", &["ES", "GO", "EL"], (5, 7), (21000.0, 32000.0), 15, 2004, false),
    vehicle("CITROEN", "C5 AIRCROSS", &["ES", "GO", "EE"], (7, 9), (28000.0, 40000.0), 10, 2018, false),
    vehicle("CITROEN", "BERLINGO", &["GO", "ES"], (5, 6), (19000.0, 27000.0), 12, 1996, true),
    vehicle("DACIA", "SANDERO", &["ES", "GP"], (4, 5), (10000.0, 15000.0), 40, 2008, false),
    vehicle("DACIA", "DUSTER", &["ES", "GO", "GP"], (5, 7), (14000.0, 22000.0), 25, 2010, false),
    vehicle("DACIA", "SPRING", &["EL"], (1, 2), (17000.0, 21000.0), 6, 2021, false),
    vehicle("DACIA", "JOGGER", &["ES", "GP", "EH"], (5, 6), (16000.0, 24000.0), 6, 2022, false),
    vehicle("VOLKSWAGEN", "GOLF", &["ES", "GO", "EE"], (6, 8), (25000.0, 38000.0), 20, 1990, false),
    vehicle("VOLKSWAGEN", "POLO", &["ES"], (4, 5), (17000.0, 23000.0), 18, 1990, false),
    vehicle("VOLKSWAGEN", "T-ROC", &["ES", "GO"], (6, 8), (25000.0, 36000.0), 10, 2017, false),
    vehicle("VOLKSWAGEN", "TIGUAN", &["ES", "GO", "EE"], (7, 10), (33000.0, 48000.0), 8, 2008, false),
    vehicle("TOYOTA", "YARIS", &["EH", "ES"], (4, 5), (17000.0, 25000.0), 30, 1999, false),
    vehicle("TOYOTA", "COROLLA", &["EH"], (6, 7), (27000.0, 35000.0), 10, 2019, false),
    vehicle("TOYOTA", "C-HR", &["EH"], (6, 7), (28000.0, 38000.0), 10, 2016, false),
    vehicle("TOYOTA", "RAV4", &["EH", "EE"], (8, 11), (37000.0, 50000.0), 6, 2013, false),
    vehicle("TESLA", "MODEL 3", &["EL"], (3, 4), (40000.0, 55000.0), 6, 2019, false),
    vehicle("TESLA", "MODEL Y", &["EL"], (3, 4), (45000.0, 60000.0), 5, 2021, false),
    vehicle("FORD", "FIESTA", &["ES", "GO"], (4, 6), (14000.0, 21000.0), 12, 1990, false),
    vehicle("FORD", "PUMA", &["ES", "EH"], (5, 7), (22000.0, 30000.0), 8, 2020, false),
    vehicle("FORD", "TRANSIT", &["GO"], (8, 10), (33000.0, 46000.0), 4, 1990, true),
    vehicle("FIAT", "500", &["ES", "EL"], (3, 4), (13000.0, 20000.0), 15, 2007, false),
    vehicle("FIAT", "PANDA", &["ES"], (3, 4), (11000.0, 15000.0), 8, 2003, false),
    vehicle("BMW", "SERIE 1", &["ES", "GO"], (6, 9), (30000.0, 42000.0), 6, 2004, false),
    vehicle("BMW", "SERIE 3", &["ES", "GO", "EE"], (8, 12), (40000.0, 55000.0), 6, 1990, false),
    vehicle("BMW", "X1", &["ES", "GO", "EE"], (8, 11), (38000.0, 52000.0), 5, 2009, false),
    vehicle("MERCEDES", "CLASSE A", &["ES", "GO", "EE"], (7, 10), (32000.0, 45000.0), 6, 1997, false),
    vehicle("MERCEDES", "CLASSE C", &["ES", "GO", "EE"], (9, 13), (45000.0, 60000.0), 4, 1993, false),
    vehicle("AUDI", "A3", &["ES", "GO", "EE"], (7, 10), (30000.0, 42000.0), 6, 1996, false),
    vehicle("AUDI", "Q3", &["ES", "GO"], (8, 11), (37000.0, 50000.0), 4, 2011, false),
    vehicle("OPEL", "CORSA", &["ES", "GO", "EL"], (4, 5), (15000.0, 24000.0), 12, 1990, false),
    vehicle("NISSAN", "QASHQAI", &["ES", "GO", "EH"], (6, 8), (27000.0, 38000.0), 10, 2007, false),
    vehicle("KIA", "NIRO", &["EH", "EL", "EE"], (6, 7), (29000.0, 40000.0), 5, 2016, false),
    vehicle("HYUNDAI", "TUCSON", &["ES", "GO", "EH"], (7, 9), (30000.0, 42000.0), 5, 2004, false),
    vehicle("SKODA", "OCTAVIA", &["ES", "GO"], (6, 8), (24000.0, 34000.0), 6, 1996, false),
    vehicle("MG", "MG4", &["EL"], (3, 4), (30000.0, 38000.0), 3, 2022, false),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn product_covers_exist_in_the_products_branch_and_codes_are_unique() {
        let codes: BTreeSet<_> = COVERS.iter().map(|cover| cover.code).collect();
        assert_eq!(codes.len(), COVERS.len());
        for product in &PRODUCTS {
            assert!(product.covers.iter().any(|cover| cover.included), "{} includes nothing", product.code);
            for product_cover in product.covers {
                assert_eq!(cover_by_id(cover_id(product_cover.code)).branch, product.branch, "{}", product.code);
            }
        }
        for branch in [Branch::Auto, Branch::Home, Branch::Health, Branch::Protection, Branch::Liability] {
            assert!(PRODUCTS.iter().any(|product| product.branch == branch && on_sale(product, date!(2015 - 01 - 01))));
        }
    }
}
