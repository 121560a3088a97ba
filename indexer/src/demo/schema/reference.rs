//! Reference tables: addresses, the sales network (agencies, staff, brokers), claims experts and the product
//! catalogue. This file is data; the meaning of every code lives in `deploy/demo/docs/codes.md`, not here.

use super::build::{AMOUNT, DATE, FLAG, ID, RATE, bare, optional, required, text};
use super::{ColumnType, ForeignKeyDef, TableDef};

/// Postal addresses shared by clients, agencies, brokers, experts and insured buildings.
pub(super) const ADRESSES: TableDef = TableDef {
    name: "ADRESSES",
    comment: "Adresses postales (clients, agences, courtiers, experts, biens assurés). Une adresse peut être partagée.",
    columns: &[
        required("ID_ADRESSE", ID, "Identifiant technique de l'adresse"),
        optional("NUM_VOIE", text(10), "Numéro dans la voie, avec indice de répétition éventuel (bis, ter)"),
        required("LB_VOIE", text(100), "Type et libellé de la voie (rue, avenue, boulevard…)"),
        optional("CMPL_ADR", text(60), "Complément d'adresse (bâtiment, escalier, appartement, lieu-dit)"),
        required("CP", text(5), "Code postal"),
        required("VILLE", text(60), "Commune"),
        required("CD_DEPT", text(3), "Code du département (2A et 2B pour la Corse)"),
        required("CD_PAYS", text(2), "Code pays ISO 3166 sur deux lettres"),
    ],
    primary_key: &["ID_ADRESSE"],
    foreign_keys: &[],
};

/// The company's own branches.
pub(super) const AGENCES: TableDef = TableDef {
    name: "AGENCES",
    comment: "Agences du réseau salarié de la compagnie (points de vente et de gestion).",
    columns: &[
        required("ID_AGENCE", ID, "Identifiant technique de l'agence"),
        required("CD_AGENCE", text(5), "Code agence du référentiel réseau"),
        required("LB_AGENCE", text(80), "Libellé commercial de l'agence"),
        required("CD_REGION", text(2), "Code de la direction régionale de rattachement (voir liste des codes)"),
        required("ID_ADRESSE", ID, "Adresse de l'agence"),
        bare("TEL", text(14), false),
        required("DT_OUVERTURE", DATE, "Date d'ouverture de l'agence"),
        optional("DT_FERMETURE", DATE, "Date de fermeture de l'agence ; vide tant que l'agence est ouverte"),
    ],
    primary_key: &["ID_AGENCE"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_AGENCES_ADRESSE",
        columns: &["ID_ADRESSE"],
        references: "ADRESSES",
        referenced_columns: &["ID_ADRESSE"],
    }],
};

/// Staff members: account managers, claims handlers, underwriters, branch managers.
pub(super) const GESTIONNAIRES: TableDef = TableDef {
    name: "GESTIONNAIRES",
    comment: "Collaborateurs de la compagnie : chargés de clientèle, gestionnaires sinistres, souscripteurs, responsables d'agence.",
    columns: &[
        required("ID_GEST", ID, "Identifiant technique du collaborateur"),
        required("MATRICULE", text(7), "Matricule RH"),
        required("NOM", text(60), "Nom du collaborateur"),
        required("PRENOM", text(40), "Prénom du collaborateur"),
        required("CD_FONCTION", text(3), "Code fonction du collaborateur (voir liste des codes)"),
        required("ID_AGENCE", ID, "Agence ou plateforme d'affectation"),
        bare("EMAIL", text(100), false),
        required("DT_ENTREE", DATE, "Date d'entrée dans la compagnie"),
        optional("DT_SORTIE", DATE, "Date de départ ; vide si le collaborateur est toujours en poste"),
    ],
    primary_key: &["ID_GEST"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_GEST_AGENCE",
        columns: &["ID_AGENCE"],
        references: "AGENCES",
        referenced_columns: &["ID_AGENCE"],
    }],
};

/// Independent brokers bringing business under a brokerage agreement.
pub(super) const COURTIERS: TableDef = TableDef {
    name: "COURTIERS",
    comment: "Courtiers (intermédiaires indépendants) ayant signé une convention de courtage avec la compagnie.",
    columns: &[
        required("ID_COURTIER", ID, "Identifiant technique du courtier"),
        required("CD_APPORTEUR", text(6), "Code apporteur attribué au courtier"),
        required("RAISON_SOCIALE", text(100), "Raison sociale du cabinet de courtage"),
        required("NUM_SIRET", text(14), "Numéro SIRET de l'établissement (14 chiffres)"),
        required("NUM_ORIAS", text(8), "Numéro d'immatriculation au registre ORIAS des intermédiaires"),
        required("ID_ADRESSE", ID, "Adresse du cabinet"),
        required("TX_COMMISSION", RATE, "Taux de commission en pourcentage de la prime HT"),
        required("DT_CONVENTION", DATE, "Date de signature de la convention de courtage"),
        optional("DT_FIN_CONVENTION", DATE, "Date de fin de la convention ; vide si elle est en vigueur"),
        required("CD_STATUT", text(2), "Code statut de la convention de courtage (voir liste des codes)"),
        bare("EMAIL", text(100), true),
        bare("TEL", text(14), true),
    ],
    primary_key: &["ID_COURTIER"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_COURTIERS_ADRESSE",
        columns: &["ID_ADRESSE"],
        references: "ADRESSES",
        referenced_columns: &["ID_ADRESSE"],
    }],
};

/// Claims experts the company mandates.
pub(super) const EXPERTS: TableDef = TableDef {
    name: "EXPERTS",
    comment: "Experts mandatés pour évaluer les dommages des sinistres (automobile, bâtiment, médical, RC).",
    columns: &[
        required("ID_EXPERT", ID, "Identifiant technique de l'expert"),
        required("NOM", text(60), "Nom de l'expert"),
        required("PRENOM", text(40), "Prénom de l'expert"),
        required("CABINET", text(100), "Cabinet d'expertise"),
        required("CD_SPECIALITE", text(3), "Code spécialité de l'expert (voir liste des codes)"),
        required("ID_ADRESSE", ID, "Adresse du cabinet"),
        bare("TEL", text(14), true),
        bare("EMAIL", text(100), true),
        required("TOP_AGREE", FLAG, "Indicateur expert agréé par la compagnie (O/N)"),
    ],
    primary_key: &["ID_EXPERT"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_EXPERTS_ADRESSE",
        columns: &["ID_ADRESSE"],
        references: "ADRESSES",
        referenced_columns: &["ID_ADRESSE"],
    }],
};

/// Insurance products sold, each in one line of business.
pub(super) const PRODUITS: TableDef = TableDef {
    name: "PRODUITS",
    comment: "Catalogue des produits d'assurance commercialisés, chacun rattaché à une branche.",
    columns: &[
        required("ID_PRODUIT", ID, "Identifiant technique du produit"),
        required("CD_PRODUIT", text(10), "Code produit"),
        required("LB_PRODUIT", text(80), "Libellé commercial du produit"),
        required("CD_BRANCHE", text(2), "Code branche d'assurance (voir liste des codes)"),
        required("DT_LANCEMENT", DATE, "Date de début de commercialisation"),
        optional("DT_FIN_COMM", DATE, "Date de fin de commercialisation ; vide si le produit est toujours vendu"),
        required(
            "TX_TAXE",
            RATE,
            "Taux de taxe sur les conventions d'assurance appliqué à la prime HT, en pourcentage",
        ),
    ],
    primary_key: &["ID_PRODUIT"],
    foreign_keys: &[],
};

/// Elementary covers, combined into products.
pub(super) const GARANTIES: TableDef = TableDef {
    name: "GARANTIES",
    comment: "Référentiel des garanties élémentaires (RC, vol, incendie, dégâts des eaux, hospitalisation…).",
    columns: &[
        required("ID_GARANTIE", ID, "Identifiant technique de la garantie"),
        required("CD_GARANTIE", text(10), "Code garantie"),
        required("LB_GARANTIE", text(80), "Libellé de la garantie"),
        required("CD_BRANCHE", text(2), "Code branche de la garantie (voir liste des codes)"),
        required("TOP_LEGALE", FLAG, "Indicateur garantie rendue obligatoire par la loi (O/N)"),
    ],
    primary_key: &["ID_GARANTIE"],
    foreign_keys: &[],
};

/// Which covers each product offers, and their default limits.
pub(super) const PRODUITS_GARANTIES: TableDef = TableDef {
    name: "PRODUITS_GARANTIES",
    comment: "Composition des produits : garanties proposées par chaque produit, avec plafonds et franchises par défaut.",
    columns: &[
        required("ID_PRODUIT", ID, "Produit"),
        required("ID_GARANTIE", ID, "Garantie proposée par le produit"),
        required("TOP_OBLIG", FLAG, "Indicateur garantie incluse d'office dans le produit (O) ou optionnelle (N)"),
        optional("MT_PLAFOND", AMOUNT, "Plafond d'indemnisation par défaut en euros ; vide si illimité"),
        required("MT_FRANCHISE", ColumnType::Decimal(10, 2), "Franchise par défaut en euros"),
    ],
    primary_key: &["ID_PRODUIT", "ID_GARANTIE"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_PRDGAR_PRODUIT",
            columns: &["ID_PRODUIT"],
            references: "PRODUITS",
            referenced_columns: &["ID_PRODUIT"],
        },
        ForeignKeyDef {
            name: "FK_PRDGAR_GARANTIE",
            columns: &["ID_GARANTIE"],
            references: "GARANTIES",
            referenced_columns: &["ID_GARANTIE"],
        },
    ],
};
