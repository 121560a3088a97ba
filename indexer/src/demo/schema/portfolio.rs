//! Portfolio tables: clients, contracts, their covers, endorsements and insured objects (vehicles, homes).
//! This file is data; the meaning of every code lives in `deploy/demo/docs/codes.md`, not here.

use super::build::{AMOUNT, DATE, FLAG, ID, RATE, bare, optional, required, text};
use super::{ColumnType, ForeignKeyDef, TableDef};

/// Policyholders, people or companies.
pub(super) const CLIENTS: TableDef = TableDef {
    name: "CLIENTS",
    comment: "Clients souscripteurs : personnes physiques (particuliers) et personnes morales (entreprises, professionnels).",
    columns: &[
        required("ID_CLIENT", ID, "Identifiant technique du client"),
        required("NUM_CLIENT", text(10), "Numéro client communiqué à l'assuré"),
        required("CD_TYPE_PERS", text(2), "Code type de personne (voir liste des codes)"),
        optional("CD_CIVILITE", text(3), "Civilité (personnes physiques uniquement)"),
        required("NOM", text(100), "Nom de famille en majuscules, ou raison sociale pour une personne morale"),
        optional("PRENOM", text(40), "Prénom (personnes physiques uniquement)"),
        optional("DATE_NAISSANCE", DATE, "Date de naissance (personnes physiques uniquement)"),
        optional("CD_SITU_FAM", text(1), "Code situation familiale (voir liste des codes)"),
        optional("CD_CSP", text(1), "Code catégorie socioprofessionnelle (voir liste des codes)"),
        optional("NUM_SIREN", text(9), "Numéro SIREN (personnes morales uniquement)"),
        required("ID_ADRESSE", ID, "Adresse principale du client"),
        bare("TEL_PORTABLE", text(14), true),
        bare("EMAIL", text(100), true),
        required("ID_AGENCE", ID, "Agence de rattachement du client"),
        required("DT_CREATION", DATE, "Date d'entrée en relation (création de la fiche client)"),
        required("TOP_OPTIN", FLAG, "Consentement à la prospection commerciale (O/N)"),
    ],
    primary_key: &["ID_CLIENT"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_CLIENTS_ADRESSE",
            columns: &["ID_ADRESSE"],
            references: "ADRESSES",
            referenced_columns: &["ID_ADRESSE"],
        },
        ForeignKeyDef {
            name: "FK_CLIENTS_AGENCE",
            columns: &["ID_AGENCE"],
            references: "AGENCES",
            referenced_columns: &["ID_AGENCE"],
        },
    ],
};

/// Insurance policies.
pub(super) const CONTRATS: TableDef = TableDef {
    name: "CONTRATS",
    comment: "Contrats d'assurance (polices) souscrits par les clients, avec leur situation à la date d'arrêté des données.",
    columns: &[
        required("ID_CONTRAT", ID, "Identifiant technique du contrat"),
        required("NUM_POLICE", text(12), "Numéro de police figurant sur les documents contractuels"),
        required("ID_CLIENT", ID, "Client souscripteur"),
        required("ID_PRODUIT", ID, "Produit souscrit"),
        required("CD_BRANCHE", text(2), "Code branche (voir liste des codes), recopié du produit"),
        required("CD_CANAL", text(3), "Code canal de distribution (voir liste des codes)"),
        optional("ID_AGENCE", ID, "Agence gestionnaire ; vide pour les affaires apportées par un courtier"),
        optional("ID_COURTIER", ID, "Courtier apporteur ; vide pour les affaires directes"),
        required("ID_GEST", ID, "Chargé de clientèle ou souscripteur en charge du contrat"),
        required("CD_STATUT", text(2), "Code statut du contrat (voir liste des codes)"),
        required("DT_SOUSC", DATE, "Date de signature du contrat"),
        required("DT_EFF", DATE, "Date d'effet initiale du contrat"),
        required("DT_ECH", DATE, "Date d'échéance principale"),
        optional("DT_RESIL", DATE, "Date d'effet de la résiliation ou de l'annulation (dernier jour couvert)"),
        optional("CD_MOTIF_RESIL", text(3), "Code motif de résiliation (voir liste des codes)"),
        required("CD_PERIODICITE", text(1), "Code périodicité de paiement de la prime (voir liste des codes)"),
        required("CD_MODE_PAIEMENT", text(3), "Code mode de paiement de la prime (voir liste des codes)"),
        required("MT_PRIME_HT", AMOUNT, "Prime annuelle hors taxes en vigueur"),
        required("MT_PRIME_TTC", AMOUNT, "Prime annuelle toutes taxes comprises en vigueur"),
        optional("TX_REMISE", RATE, "Taux de remise commerciale accordée, en pourcentage"),
        optional(
            "COEF_CRM",
            ColumnType::Decimal(4, 2),
            "Coefficient de réduction-majoration (bonus-malus), branche automobile",
        ),
        required("NB_SIN", ColumnType::Integer(5), "Nombre de sinistres déclarés sur le contrat"),
    ],
    primary_key: &["ID_CONTRAT"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_CONTRATS_CLIENT",
            columns: &["ID_CLIENT"],
            references: "CLIENTS",
            referenced_columns: &["ID_CLIENT"],
        },
        ForeignKeyDef {
            name: "FK_CONTRATS_PRODUIT",
            columns: &["ID_PRODUIT"],
            references: "PRODUITS",
            referenced_columns: &["ID_PRODUIT"],
        },
        ForeignKeyDef {
            name: "FK_CONTRATS_AGENCE",
            columns: &["ID_AGENCE"],
            references: "AGENCES",
            referenced_columns: &["ID_AGENCE"],
        },
        ForeignKeyDef {
            name: "FK_CONTRATS_COURTIER",
            columns: &["ID_COURTIER"],
            references: "COURTIERS",
            referenced_columns: &["ID_COURTIER"],
        },
        ForeignKeyDef {
            name: "FK_CONTRATS_GEST",
            columns: &["ID_GEST"],
            references: "GESTIONNAIRES",
            referenced_columns: &["ID_GEST"],
        },
    ],
};

/// The covers each contract holds.
pub(super) const CONTRATS_GARANTIES: TableDef = TableDef {
    name: "CONTRATS_GARANTIES",
    comment: "Garanties souscrites sur chaque contrat, avec plafond, franchise et part de prime.",
    columns: &[
        required("ID_CONTRAT", ID, "Contrat"),
        required("ID_GARANTIE", ID, "Garantie souscrite"),
        required("DT_EFF", DATE, "Date d'effet de la garantie sur le contrat"),
        optional(
            "DT_FIN",
            DATE,
            "Date de retrait de la garantie par avenant ; vide si la garantie n'a pas été retirée",
        ),
        optional("MT_PLAFOND", AMOUNT, "Plafond d'indemnisation en euros ; vide si illimité"),
        required("MT_FRANCHISE", ColumnType::Decimal(10, 2), "Franchise en euros"),
        required("MT_PRIME_HT", AMOUNT, "Part de la prime annuelle HT affectée à la garantie"),
    ],
    primary_key: &["ID_CONTRAT", "ID_GARANTIE"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_CTRGAR_CONTRAT",
            columns: &["ID_CONTRAT"],
            references: "CONTRATS",
            referenced_columns: &["ID_CONTRAT"],
        },
        ForeignKeyDef {
            name: "FK_CTRGAR_GARANTIE",
            columns: &["ID_GARANTIE"],
            references: "GARANTIES",
            referenced_columns: &["ID_GARANTIE"],
        },
    ],
};

/// Contract changes after signature.
pub(super) const AVENANTS: TableDef = TableDef {
    name: "AVENANTS",
    comment: "Avenants : modifications apportées à un contrat après sa souscription (véhicule, garanties, capitaux, suspension, résiliation…).",
    columns: &[
        required("ID_AVENANT", ID, "Identifiant technique de l'avenant"),
        required("ID_CONTRAT", ID, "Contrat modifié"),
        required("NUM_AVENANT", ColumnType::Integer(3), "Numéro d'ordre de l'avenant dans le contrat"),
        required("CD_TYPE_AVT", text(3), "Code type d'avenant (voir liste des codes)"),
        required("DT_EFF", DATE, "Date d'effet de la modification"),
        required("DT_SAISIE", DATE, "Date de saisie de l'avenant dans le système de gestion"),
        required("MT_PRIME_AVANT", AMOUNT, "Prime annuelle TTC avant l'avenant"),
        required("MT_PRIME_APRES", AMOUNT, "Prime annuelle TTC après l'avenant"),
        optional("LB_MOTIF", text(200), "Motif de l'avenant en texte libre"),
        required("ID_GEST", ID, "Collaborateur ayant saisi l'avenant"),
    ],
    primary_key: &["ID_AVENANT"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_AVENANTS_CONTRAT",
            columns: &["ID_CONTRAT"],
            references: "CONTRATS",
            referenced_columns: &["ID_CONTRAT"],
        },
        ForeignKeyDef {
            name: "FK_AVENANTS_GEST",
            columns: &["ID_GEST"],
            references: "GESTIONNAIRES",
            referenced_columns: &["ID_GEST"],
        },
    ],
};

/// Vehicles insured by motor contracts.
pub(super) const VEHICULES: TableDef = TableDef {
    name: "VEHICULES",
    comment: "Véhicules assurés par les contrats automobile ; un changement de véhicule clôt la ligne précédente.",
    columns: &[
        required("ID_VEHICULE", ID, "Identifiant technique du véhicule assuré"),
        required("ID_CONTRAT", ID, "Contrat automobile"),
        required("IMMAT", text(10), "Numéro d'immatriculation (format SIV AA-123-AA)"),
        required("MARQUE", text(30), "Marque du véhicule"),
        required("MODELE", text(40), "Modèle du véhicule"),
        required("CD_ENERGIE", text(2), "Code énergie de la carte grise (voir liste des codes)"),
        required("DT_1MEC", DATE, "Date de première mise en circulation"),
        required("PUISS_FISC", ColumnType::Integer(2), "Puissance fiscale en chevaux fiscaux (CV)"),
        required("VAL_ACHAT", ColumnType::Decimal(10, 2), "Valeur d'achat du véhicule en euros"),
        required("CD_USAGE", text(3), "Code usage déclaré du véhicule (voir liste des codes)"),
        required("DT_DEBUT", DATE, "Date à laquelle le véhicule est assuré par le contrat"),
        optional("DT_FIN", DATE, "Date de sortie du véhicule du contrat ; vide si toujours assuré"),
    ],
    primary_key: &["ID_VEHICULE"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_VEHICULES_CONTRAT",
        columns: &["ID_CONTRAT"],
        references: "CONTRATS",
        referenced_columns: &["ID_CONTRAT"],
    }],
};

/// Homes insured by household contracts.
pub(super) const BIENS_IMMOBILIERS: TableDef = TableDef {
    name: "BIENS_IMMOBILIERS",
    comment: "Biens immobiliers assurés par les contrats multirisque habitation.",
    columns: &[
        required("ID_BIEN", ID, "Identifiant technique du bien"),
        required("ID_CONTRAT", ID, "Contrat habitation"),
        required("ID_ADRESSE", ID, "Adresse du bien"),
        required("CD_TYPE_BIEN", text(3), "Code type de bien (voir liste des codes)"),
        required("CD_QUALITE", text(3), "Code qualité de l'assuré vis-à-vis du bien (voir liste des codes)"),
        required("NB_PIECES", ColumnType::Integer(2), "Nombre de pièces principales"),
        required("SURFACE", ColumnType::Integer(4), "Surface habitable en mètres carrés"),
        optional("ANNEE_CONSTR", ColumnType::Integer(4), "Année de construction"),
        required("TOP_RES_PRINC", FLAG, "Indicateur résidence principale (O/N)"),
        required("MT_CAPITAL_MOB", ColumnType::Decimal(10, 2), "Capital mobilier assuré en euros"),
    ],
    primary_key: &["ID_BIEN"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_BIENS_CONTRAT",
            columns: &["ID_CONTRAT"],
            references: "CONTRATS",
            referenced_columns: &["ID_CONTRAT"],
        },
        ForeignKeyDef {
            name: "FK_BIENS_ADRESSE",
            columns: &["ID_ADRESSE"],
            references: "ADRESSES",
            referenced_columns: &["ID_ADRESSE"],
        },
    ],
};
