//! A deterministic synthetic catalog shaped like a large French enterprise warehouse (cryptic names, French
//! comments, foreign keys), for benchmarks at 10,000 tables and more.

use indexer::catalog::{Catalog, Column, Engine, ForeignKey, Table};

const DOMAINS: &[(&str, &str)] = &[
    ("CLI", "clients"),
    ("CTR", "contrats"),
    ("SIN", "sinistres"),
    ("PRD", "produits"),
    ("AGC", "agences"),
    ("FAC", "factures"),
    ("PAI", "paiements"),
    ("CPT", "comptes comptables"),
    ("ECR", "écritures comptables"),
    ("EMP", "employés"),
    ("FRN", "fournisseurs"),
    ("CMD", "commandes"),
    ("STK", "stocks"),
    ("LIV", "livraisons"),
    ("BUD", "budgets"),
    ("RIS", "risques"),
    ("COT", "cotisations"),
    ("PRE", "prestations"),
    ("DOS", "dossiers"),
    ("MAR", "campagnes marketing"),
];

const QUALIFIERS: &[(&str, &str)] = &[
    ("HIST", "historique des"),
    ("DET", "détail des"),
    ("AGG", "agrégats mensuels des"),
    ("REF", "référentiel des"),
    ("TMP", "table de travail des"),
    ("ARCH", "archive des"),
    ("PARAM", "paramètres des"),
    ("LOG", "journal des"),
];

const COLUMNS: &[(&str, &str, &str)] = &[
    ("DT_EFF", "DATE", "date d'effet"),
    ("DT_ECH", "DATE", "date d'échéance"),
    ("DT_CREA", "DATE", "date de création de la ligne"),
    ("MT_HT", "NUMBER(12,2)", "montant hors taxes en euros"),
    ("MT_TTC", "NUMBER(12,2)", "montant toutes taxes comprises en euros"),
    ("MT_REGL", "NUMBER(12,2)", "montant réglé"),
    ("CD_STATUT", "VARCHAR2(2)", "code statut (voir la liste des codes)"),
    ("CD_BRANCHE", "VARCHAR2(5)", "code branche d'activité"),
    ("CD_DEVISE", "VARCHAR2(3)", "code devise ISO"),
    ("LB_LIBELLE", "VARCHAR2(120)", "libellé court"),
    ("LB_COMMENT", "VARCHAR2(400)", "commentaire libre du gestionnaire"),
    ("NB_LIGNES", "NUMBER(8)", "nombre de lignes"),
    ("TX_REMISE", "NUMBER(5,2)", "taux de remise appliqué"),
    ("CP", "VARCHAR2(5)", "code postal"),
    ("VILLE", "VARCHAR2(80)", "ville"),
    ("NUM_SIRET", "VARCHAR2(14)", "numéro SIRET de l'entreprise"),
    ("ID_GEST", "NUMBER(10)", "identifiant du gestionnaire"),
    ("FL_ACTIF", "VARCHAR2(1)", "indicateur actif (O/N)"),
];

/// Returns a catalog of `tables` tables with `columns` columns each (key columns included), the same every time.
pub(crate) fn catalog(tables: usize, columns: usize) -> Catalog {
    let mut state: u64 = 0x5eed_cafe;
    let mut next = move |bound: usize| {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % bound.max(1) as u64) as usize
    };
    let mut result = Vec::with_capacity(tables);
    for position in 0..tables {
        let (domain, domain_words) = DOMAINS[position % DOMAINS.len()];
        let (qualifier, qualifier_words) = QUALIFIERS[(position / DOMAINS.len()) % QUALIFIERS.len()];
        let name = format!("{domain}_{qualifier}_{position:05}");
        let key = format!("ID_{domain}_{position:05}");
        let mut table_columns = vec![Column {
            name: key.clone(),
            data_type: "NUMBER(10)".into(),
            comment: Some(format!("identifiant de la ligne de {name}")),
            ..Column::default()
        }];
        let mut foreign_keys = Vec::new();
        if position > 0 {
            let parent = next(position);
            let parent_domain = DOMAINS[parent % DOMAINS.len()].0;
            let parent_key = format!("ID_{parent_domain}_{parent:05}");
            table_columns.push(Column {
                name: parent_key.clone(),
                data_type: "NUMBER(10)".into(),
                ..Column::default()
            });
            let parent_qualifier = QUALIFIERS[(parent / DOMAINS.len()) % QUALIFIERS.len()].0;
            foreign_keys.push(ForeignKey {
                columns: vec![parent_key.clone()],
                referenced_schema: Some("DWH".into()),
                referenced_table: format!("{parent_domain}_{parent_qualifier}_{parent:05}"),
                referenced_columns: vec![parent_key],
            });
        }
        let start = next(COLUMNS.len());
        while table_columns.len() < columns {
            let (column, data_type, comment) = COLUMNS[(start + table_columns.len()) % COLUMNS.len()];
            let name = if table_columns.iter().any(|existing| existing.name == column) {
                format!("{column}_{}", table_columns.len())
            } else {
                column.to_owned()
            };
            table_columns.push(Column {
                name,
                data_type: data_type.into(),
                comment: Some(comment.into()),
                nullable: true,
                ..Column::default()
            });
        }
        result.push(Table {
            schema: Some("DWH".into()),
            name,
            comment: Some(format!("{qualifier_words} {domain_words}, périmètre {position}")),
            columns: table_columns,
            primary_key: vec![key],
            foreign_keys,
            row_estimate: Some(next(1_000_000) as u64),
            ..Table::default()
        });
    }
    Catalog { engine: Some(Engine::Oracle), tables: result, terms: Vec::new() }
}

/// Returns `count` questions about tables of a synthetic catalog, with the table each is about.
pub(crate) fn questions(catalog: &Catalog, count: usize) -> Vec<(String, String)> {
    let step = (catalog.tables.len() / count.max(1)).max(1);
    catalog
        .tables
        .iter()
        .step_by(step)
        .take(count)
        .map(|table| {
            let comment = table.comment.clone().unwrap_or_default();
            (format!("Quel est le montant TTC total dans l'{comment} ?"), table.qualified_name())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_catalog_is_deterministic_and_well_formed() {
        let first = catalog(200, 15);
        assert_eq!(first, catalog(200, 15));
        assert_eq!(first.tables.len(), 200);
        assert!(first.tables.iter().all(|table| table.columns.len() == 15));
        for table in &first.tables {
            for key in &table.foreign_keys {
                assert!(
                    first.table(Some("DWH"), &key.referenced_table).is_some(),
                    "{} → {}",
                    table.name,
                    key.referenced_table
                );
            }
        }
        assert_eq!(questions(&first, 10).len(), 10);
    }
}
