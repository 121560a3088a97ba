//! Flow tables: premium notices and their payments, claims and claim payments.
//! This file is data; the meaning of every code lives in `deploy/demo/docs/codes.md`, not here.

use super::build::{AMOUNT, DATE, ID, LONG_ID, optional, required, text};
use super::{ColumnType, ForeignKeyDef, TableDef};

/// Premium notices.
pub(super) const QUITTANCES: TableDef = TableDef {
    name: "QUITTANCES",
    comment: "Quittances de prime : appels de cotisation émis pour chaque période de garantie d'un contrat.",
    columns: &[
        required("ID_QUITTANCE", LONG_ID, "Identifiant technique de la quittance"),
        required("NUM_QUITTANCE", text(14), "Numéro de quittance"),
        required("ID_CONTRAT", ID, "Contrat quittancé"),
        required("DT_EMISSION", DATE, "Date d'émission de la quittance"),
        required("DT_DEBUT_PER", DATE, "Premier jour de la période couverte par la quittance"),
        required("DT_FIN_PER", DATE, "Dernier jour de la période couverte par la quittance"),
        required("DT_ECH", DATE, "Date d'exigibilité de la quittance (date limite de paiement)"),
        required("MT_PRIME_HT", AMOUNT, "Montant de prime hors taxes de la période"),
        required("MT_TAXES", AMOUNT, "Montant des taxes d'assurance de la période"),
        required("MT_PRIME_TTC", AMOUNT, "Montant toutes taxes comprises appelé"),
        optional(
            "MT_COMMISSION",
            AMOUNT,
            "Commission due au courtier sur la quittance ; vide pour les affaires directes",
        ),
        required("CD_STATUT_QUIT", text(2), "Code statut de la quittance (voir liste des codes)"),
    ],
    primary_key: &["ID_QUITTANCE"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_QUITTANCES_CONTRAT",
        columns: &["ID_CONTRAT"],
        references: "CONTRATS",
        referenced_columns: &["ID_CONTRAT"],
    }],
};

/// Payments received against premium notices.
pub(super) const ENCAISSEMENTS: TableDef = TableDef {
    name: "ENCAISSEMENTS",
    comment: "Encaissements : paiements reçus des clients en règlement des quittances, y compris les prélèvements rejetés.",
    columns: &[
        required("ID_ENCAISSEMENT", LONG_ID, "Identifiant technique de l'encaissement"),
        required("ID_QUITTANCE", LONG_ID, "Quittance réglée"),
        required("DT_ENCAISSEMENT", DATE, "Date de l'encaissement (ou du rejet)"),
        required("MT_ENCAISSE", AMOUNT, "Montant encaissé en euros"),
        required("CD_MODE_PAIEMENT", text(3), "Code mode de paiement (voir liste des codes)"),
        required("CD_STATUT_ENC", text(3), "Code statut de l'encaissement (voir liste des codes)"),
        optional(
            "REF_PAIEMENT",
            text(35),
            "Référence du paiement : numéro de chèque, référence de virement ou de prélèvement",
        ),
    ],
    primary_key: &["ID_ENCAISSEMENT"],
    foreign_keys: &[ForeignKeyDef {
        name: "FK_ENCAISSEMENTS_QUITTANCE",
        columns: &["ID_QUITTANCE"],
        references: "QUITTANCES",
        referenced_columns: &["ID_QUITTANCE"],
    }],
};

/// Claims.
pub(super) const SINISTRES: TableDef = TableDef {
    name: "SINISTRES",
    comment: "Sinistres déclarés par les assurés, rattachés au contrat et à la garantie mise en jeu.",
    columns: &[
        required("ID_SINISTRE", ID, "Identifiant technique du sinistre"),
        required("NUM_SINISTRE", text(12), "Numéro de dossier sinistre"),
        required("ID_CONTRAT", ID, "Contrat sinistré"),
        required("ID_GARANTIE", ID, "Garantie mise en jeu"),
        required("DT_SURV", DATE, "Date de survenance du sinistre"),
        required("DT_DECL", DATE, "Date de déclaration du sinistre à la compagnie"),
        optional("DT_CLOTURE", DATE, "Date de clôture du dossier ; vide tant que le dossier est ouvert"),
        required("CD_STATUT_SIN", text(2), "Code statut du dossier sinistre (voir liste des codes)"),
        required("CD_CAUSE", text(3), "Code cause du sinistre (voir liste des codes)"),
        optional("CP_SURV", text(5), "Code postal du lieu de survenance"),
        required("MT_ESTIM", AMOUNT, "Évaluation initiale du coût du sinistre en euros"),
        optional("TX_RESP", ColumnType::Integer(3), "Taux de responsabilité de l'assuré en pourcentage (automobile)"),
        optional("ID_EXPERT", ID, "Expert mandaté ; vide si aucune expertise"),
        required("ID_GEST", ID, "Gestionnaire sinistre en charge du dossier"),
        optional("LB_CIRCONSTANCES", text(250), "Circonstances déclarées, en texte libre"),
    ],
    primary_key: &["ID_SINISTRE"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_SINISTRES_CONTRAT",
            columns: &["ID_CONTRAT"],
            references: "CONTRATS",
            referenced_columns: &["ID_CONTRAT"],
        },
        ForeignKeyDef {
            name: "FK_SINISTRES_CTRGAR",
            columns: &["ID_CONTRAT", "ID_GARANTIE"],
            references: "CONTRATS_GARANTIES",
            referenced_columns: &["ID_CONTRAT", "ID_GARANTIE"],
        },
        ForeignKeyDef {
            name: "FK_SINISTRES_EXPERT",
            columns: &["ID_EXPERT"],
            references: "EXPERTS",
            referenced_columns: &["ID_EXPERT"],
        },
        ForeignKeyDef {
            name: "FK_SINISTRES_GEST",
            columns: &["ID_GEST"],
            references: "GESTIONNAIRES",
            referenced_columns: &["ID_GEST"],
        },
    ],
};

/// Payments (and recoveries) on claims.
pub(super) const REGLEMENTS: TableDef = TableDef {
    name: "REGLEMENTS",
    comment: "Règlements de sinistres : indemnités versées, honoraires d'expert et recours encaissés.",
    columns: &[
        required("ID_REGLEMENT", ID, "Identifiant technique du règlement"),
        required("ID_SINISTRE", ID, "Sinistre réglé"),
        required("DT_REGLEMENT", DATE, "Date du règlement"),
        required("MT_REGLE", AMOUNT, "Montant du règlement en euros (négatif pour un recours encaissé)"),
        required("CD_TYPE_REG", text(3), "Code type de règlement (voir liste des codes)"),
        required("CD_MODE_PAIEMENT", text(3), "Code mode de paiement (voir liste des codes)"),
        required("BENEFICIAIRE", text(100), "Bénéficiaire du paiement ou tiers débiteur du recours"),
        optional("ID_EXPERT", ID, "Expert payé, pour les règlements d'honoraires"),
    ],
    primary_key: &["ID_REGLEMENT"],
    foreign_keys: &[
        ForeignKeyDef {
            name: "FK_REGLEMENTS_SINISTRE",
            columns: &["ID_SINISTRE"],
            references: "SINISTRES",
            referenced_columns: &["ID_SINISTRE"],
        },
        ForeignKeyDef {
            name: "FK_REGLEMENTS_EXPERT",
            columns: &["ID_EXPERT"],
            references: "EXPERTS",
            referenced_columns: &["ID_EXPERT"],
        },
    ],
};
