//! Generates the demo warehouse's rows, deterministically: the same rows on every machine, forever.
//!
//! Randomness comes from a fixed-seed SplitMix64 generator (`rng`), with one forked stream per domain so that
//! changing one generator does not reshuffle the others. The data is frozen at the reference date (31 December
//! 2025); nothing happens after it. Rows come out in `schema::tables()` order and column order, and every
//! foreign key points to an existing row. This module does not touch any database.

mod assets;
mod billing;
mod calendar;
mod catalog;
mod claims;
mod clients;
mod contracts;
mod endorsements;
mod lifecycle;
mod names;
mod network;
mod places;
mod premiums;
mod rng;
mod settlements;

use std::fmt;

use time::Date;

use super::schema::{TableDef, table};
use rng::Rng;

pub(crate) use calendar::iso;

/// The seed of the generator. Changing it changes every row (and breaks nothing else).
const SEED: u64 = 0x5053_5452_414c_2025;

/// One value of a generated row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// A whole number.
    Integer(i64),
    /// A decimal number with two decimals, stored in hundredths (`1234` is `12.34`).
    Decimal(i64),
    /// Text.
    Text(String),
    /// A calendar date.
    Date(Date),
}

impl Value {
    /// Returns a text value.
    pub(crate) fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// Returns a text value, or `Null` for `None`.
    pub(crate) fn opt_text(text: Option<impl Into<String>>) -> Self {
        text.map_or(Self::Null, |text| Self::Text(text.into()))
    }

    /// Returns a date value, or `Null` for `None`.
    pub(crate) fn opt_date(day: Option<Date>) -> Self {
        day.map_or(Self::Null, Self::Date)
    }
}

impl fmt::Display for Value {
    /// Formats the value the way a SQL client shows it: decimals with two digits, dates as `YYYY-MM-DD`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => formatter.write_str("NULL"),
            Self::Integer(number) => write!(formatter, "{number}"),
            Self::Decimal(hundredths) => {
                let sign = if *hundredths < 0 { "-" } else { "" };
                write!(formatter, "{sign}{}.{:02}", hundredths.abs() / 100, hundredths.abs() % 100)
            }
            Self::Text(text) => formatter.write_str(text),
            Self::Date(day) => formatter.write_str(&iso(*day)),
        }
    }
}

/// The rows of one table.
#[derive(Debug, Clone)]
pub struct TableData {
    /// The table's definition; every row has one value per column, in column order.
    pub definition: &'static TableDef,
    /// The rows, in primary key order.
    pub rows: Vec<Vec<Value>>,
}

impl TableData {
    /// Returns the values of the column called `name` (an empty iterator if there is no such column).
    pub fn column<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Value> + 'a {
        let index = self.definition.column_index(name);
        self.rows.iter().filter_map(move |row| index.map(|index| &row[index]))
    }
}

/// The whole generated data set: one [`TableData`] per table, in load order.
#[derive(Debug, Clone)]
pub struct Dataset {
    tables: Vec<TableData>,
}

impl Dataset {
    /// Returns every table's rows, parents before children.
    pub fn tables(&self) -> &[TableData] {
        &self.tables
    }

    /// Returns the rows of the table called `name`, if there is one.
    pub fn table(&self, name: &str) -> Option<&TableData> {
        self.tables.iter().find(|data| data.definition.name == name)
    }

    /// Returns the total number of rows.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|data| data.rows.len() as u64).sum()
    }

    /// Returns a 64-bit FNV-1a fingerprint of every value of every row, to compare two data sets cheaply.
    pub fn fingerprint(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for byte in bytes {
                hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for data in &self.tables {
            feed(data.definition.name.as_bytes());
            for row in &data.rows {
                for value in row {
                    // A type tag keeps `Integer(1)` and `Text("1")` apart.
                    let tag: &[u8] = match value {
                        Value::Null => b"n",
                        Value::Integer(_) => b"i",
                        Value::Decimal(_) => b"d",
                        Value::Text(_) => b"t",
                        Value::Date(_) => b"D",
                    };
                    feed(tag);
                    feed(value.to_string().as_bytes());
                    feed(b"\x1f");
                }
                feed(b"\x1e");
            }
        }
        hash
    }
}

/// Generates the demo warehouse's rows. The result is the same on every call.
pub fn generate() -> Dataset {
    let root = Rng::new(SEED);
    let mut network = network::generate(&mut root.fork("network"));
    let clients = clients::generate(&mut root.fork("clients"), &mut network);
    let mut portfolio = contracts::generate(&mut root.fork("contracts"), &mut network, &clients);
    endorsements::generate(&mut root.fork("endorsements"), &network, &mut portfolio);
    let mut claims = claims::generate(&mut root.fork("claims"), &network, &clients, &mut portfolio);
    for contract in &mut portfolio.contracts {
        // A termination "after a claim" needs a claim; without one it was an ordinary termination at renewal.
        if contract.termination_reason == Some("SIN") && contract.claim_count == 0 {
            contract.termination_reason = Some("ECH");
        }
    }
    endorsements::add_terminations(&mut root.fork("terminations"), &network, &mut portfolio);
    for contract in &mut portfolio.contracts {
        contract.endorsements.sort_by_key(|endorsement| (endorsement.effective, endorsement.entered));
        premiums::apply(contract);
    }
    let notices = billing::generate(&mut root.fork("billing"), &portfolio);
    let settlements = settlements::generate(&mut root.fork("settlements"), &network, &clients, &portfolio, &mut claims);

    let rows: Vec<(&str, Vec<Vec<Value>>)> = vec![
        ("ADRESSES", network.addresses.iter().zip(1..).map(|(address, id)| address.row(id)).collect()),
        ("AGENCES", network.agencies.iter().map(network::Agency::row).collect()),
        ("GESTIONNAIRES", network.staff.iter().map(network::Staff::row).collect()),
        ("COURTIERS", network.brokers.iter().map(network::Broker::row).collect()),
        ("EXPERTS", network.experts.iter().map(network::Expert::row).collect()),
        ("PRODUITS", catalog_rows::products()),
        ("GARANTIES", catalog_rows::covers()),
        ("PRODUITS_GARANTIES", catalog_rows::product_covers()),
        ("CLIENTS", clients.iter().map(clients::Client::row).collect()),
        ("CONTRATS", portfolio.contracts.iter().map(contracts::Contract::row).collect()),
        ("CONTRATS_GARANTIES", portfolio_rows::contract_covers(&portfolio)),
        ("AVENANTS", portfolio_rows::endorsements(&portfolio)),
        ("VEHICULES", portfolio.vehicles.iter().zip(1..).map(|(vehicle, id)| vehicle.row(id)).collect()),
        ("BIENS_IMMOBILIERS", portfolio.homes.iter().zip(1..).map(|(home, id)| home.row(id)).collect()),
        ("QUITTANCES", notices.iter().zip(1..).map(|(notice, id)| notice.row(id)).collect()),
        ("ENCAISSEMENTS", portfolio_rows::payments(&notices)),
        ("SINISTRES", portfolio_rows::claims(&portfolio, &claims)),
        ("REGLEMENTS", settlements.iter().zip(1..).map(|(settlement, id)| settlement.row(id)).collect()),
    ];

    let tables = rows
        .into_iter()
        .map(|(name, rows)| TableData {
            definition: table(name).expect("BUG: the generator only fills known tables"),
            rows,
        })
        .collect();
    Dataset { tables }
}

/// Rows of the catalogue tables, straight from `catalog`'s static lists.
mod catalog_rows {
    use super::Value;
    use super::catalog::{COVERS, PRODUCTS, cover_id};

    /// Returns the `PRODUITS` rows.
    pub(super) fn products() -> Vec<Vec<Value>> {
        PRODUCTS
            .iter()
            .zip(1..)
            .map(|(product, id)| {
                vec![
                    Value::Integer(id),
                    Value::text(product.code),
                    Value::text(product.label),
                    Value::text(product.branch.code()),
                    Value::Date(product.launched),
                    Value::opt_date(product.withdrawn),
                    Value::Decimal(product.tax_basis_points),
                ]
            })
            .collect()
    }

    /// Returns the `GARANTIES` rows.
    pub(super) fn covers() -> Vec<Vec<Value>> {
        COVERS
            .iter()
            .zip(1..)
            .map(|(cover, id)| {
                vec![
                    Value::Integer(id),
                    Value::text(cover.code),
                    Value::text(cover.label),
                    Value::text(cover.branch.code()),
                    Value::text(if cover.legal { "O" } else { "N" }),
                ]
            })
            .collect()
    }

    /// Returns the `PRODUITS_GARANTIES` rows, ordered by product then cover.
    pub(super) fn product_covers() -> Vec<Vec<Value>> {
        let mut rows = Vec::new();
        for (product, product_id) in PRODUCTS.iter().zip(1..) {
            let mut covers: Vec<_> = product.covers.iter().map(|cover| (cover_id(cover.code), cover)).collect();
            covers.sort_by_key(|(id, _)| *id);
            for (cover_id, cover) in covers {
                rows.push(vec![
                    Value::Integer(product_id),
                    Value::Integer(cover_id),
                    Value::text(if cover.included { "O" } else { "N" }),
                    cover.limit.map_or(Value::Null, |limit| Value::Decimal(limit * 100)),
                    Value::Decimal(cover.deductible * 100),
                ]);
            }
        }
        rows
    }
}

/// Rows of the tables whose identifiers are assigned after generation.
mod portfolio_rows {
    use super::Value;
    use super::billing::Notice;
    use super::claims::Claim;
    use super::contracts::Portfolio;

    /// Returns the `CONTRATS_GARANTIES` rows, ordered by contract then cover.
    pub(super) fn contract_covers(portfolio: &Portfolio) -> Vec<Vec<Value>> {
        let mut rows = Vec::new();
        for contract in &portfolio.contracts {
            let mut covers: Vec<_> = contract.covers.iter().collect();
            covers.sort_by_key(|cover| cover.cover);
            for cover in covers {
                rows.push(vec![
                    Value::Integer(contract.id),
                    Value::Integer(cover.cover),
                    Value::Date(cover.from),
                    Value::opt_date(cover.until),
                    cover.limit_euros.map_or(Value::Null, |limit| Value::Decimal(limit * 100)),
                    Value::Decimal(cover.deductible_euros * 100),
                    Value::Decimal(cover.premium_cents),
                ]);
            }
        }
        rows
    }

    /// Returns the `AVENANTS` rows, numbered per contract and identified in order of entry.
    pub(super) fn endorsements(portfolio: &Portfolio) -> Vec<Vec<Value>> {
        let mut all: Vec<_> = portfolio
            .contracts
            .iter()
            .flat_map(|contract| {
                contract
                    .endorsements
                    .iter()
                    .zip(1..)
                    .map(move |(endorsement, number)| (contract.id, number, endorsement))
            })
            .collect();
        all.sort_by_key(|(contract, number, endorsement)| (endorsement.entered, *contract, *number));
        all.into_iter()
            .zip(1..)
            .map(|((contract, number, endorsement), id)| endorsement.row(id, contract, number))
            .collect()
    }

    /// Returns the `ENCAISSEMENTS` rows, identified in order of payment date.
    pub(super) fn payments(notices: &[Notice]) -> Vec<Vec<Value>> {
        let mut all: Vec<_> = notices
            .iter()
            .zip(1_i64..)
            .flat_map(|(notice, notice_id)| notice.payments.iter().map(move |payment| (notice_id, payment)))
            .collect();
        all.sort_by_key(|(notice_id, payment)| (payment.day, *notice_id));
        all.into_iter().zip(1..).map(|((notice_id, payment), id)| Notice::payment_row(payment, id, notice_id)).collect()
    }

    /// Returns the `SINISTRES` rows; claims are already sorted by declaration date.
    pub(super) fn claims(portfolio: &Portfolio, claims: &[Claim]) -> Vec<Vec<Value>> {
        claims
            .iter()
            .zip(1_i64..)
            .map(|(claim, id)| {
                let number = format!("S{}{:06}", claim.declared.year(), id * 7 + 100_000);
                claim.row(id, &number, portfolio.contracts[claim.contract].id)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::OnceLock;

    use super::*;
    use crate::demo::schema::{ColumnType, tables};

    /// Generating takes a moment in debug builds; the tests share one data set.
    fn dataset() -> &'static Dataset {
        static DATASET: OnceLock<Dataset> = OnceLock::new();
        DATASET.get_or_init(generate)
    }

    fn rows(name: &str) -> &'static TableData {
        dataset().table(name).unwrap_or_else(|| panic!("no table {name}"))
    }

    /// Returns the value of `column` in `row` of `data`.
    fn cell<'a>(data: &TableData, row: &'a [Value], column: &str) -> &'a Value {
        &row[data.definition.column_index(column).unwrap_or_else(|| panic!("no column {column}"))]
    }

    fn date(value: &Value) -> Date {
        match value {
            Value::Date(day) => *day,
            other => panic!("{other:?} is not a date"),
        }
    }

    fn number(value: &Value) -> i64 {
        match value {
            Value::Integer(number) | Value::Decimal(number) => *number,
            other => panic!("{other:?} is not a number"),
        }
    }

    #[test]
    fn the_generator_gives_identical_data_twice() {
        let again = generate();
        assert_eq!(again.fingerprint(), dataset().fingerprint());
        for (first, second) in again.tables().iter().zip(dataset().tables()) {
            assert_eq!(first.rows, second.rows, "{} differs", first.definition.name);
        }
    }

    #[test]
    fn row_counts_are_in_the_expected_ranges() {
        let expected: [(&str, usize, usize); 9] = [
            ("CLIENTS", 5_000, 5_000),
            ("ADRESSES", 5_200, 7_000),
            ("CONTRATS", 8_000, 10_000),
            ("QUITTANCES", 30_000, 80_000),
            ("ENCAISSEMENTS", 28_000, 80_000),
            ("SINISTRES", 2_500, 5_000),
            ("REGLEMENTS", 3_000, 7_000),
            ("VEHICULES", 3_000, 5_000),
            ("AVENANTS", 2_000, 8_000),
        ];
        for (name, low, high) in expected {
            let count = rows(name).rows.len();
            assert!((low..=high).contains(&count), "{name} has {count} rows, expected {low}..={high}");
        }
        assert_eq!(dataset().tables().len(), tables().len());
        assert!((60_000..=200_000).contains(&dataset().total_rows()), "{} rows in total", dataset().total_rows());
    }

    #[test]
    fn every_value_fits_its_column_definition() {
        for data in dataset().tables() {
            let name = data.definition.name;
            assert!(!data.rows.is_empty(), "{name} is empty");
            for row in &data.rows {
                assert_eq!(row.len(), data.definition.columns.len(), "{name} row width");
                for (value, column) in row.iter().zip(data.definition.columns) {
                    let fits = match (value, column.column_type) {
                        (Value::Null, _) => column.nullable,
                        (Value::Integer(number), ColumnType::Integer(precision)) => {
                            number.unsigned_abs() < 10_u64.pow(u32::from(precision))
                        }
                        (Value::Decimal(hundredths), ColumnType::Decimal(precision, _)) => {
                            hundredths.unsigned_abs() < 10_u64.pow(u32::from(precision))
                        }
                        (Value::Text(text), ColumnType::Varchar(length)) => {
                            !text.is_empty() && text.len() <= usize::from(length) && !text.contains('\n')
                        }
                        (Value::Date(_), ColumnType::Date) => true,
                        _ => false,
                    };
                    assert!(fits, "{name}.{} cannot hold {value:?}", column.name);
                }
            }
        }
    }

    #[test]
    fn primary_keys_are_unique_and_every_foreign_key_has_a_parent() {
        let key_of = |data: &TableData, row: &[Value], columns: &[&str]| -> Vec<Value> {
            columns.iter().map(|column| cell(data, row, column).clone()).collect()
        };
        let mut keys: BTreeMap<&str, BTreeSet<Vec<Value>>> = BTreeMap::new();
        for data in dataset().tables() {
            let mut seen = BTreeSet::new();
            for row in &data.rows {
                let key = key_of(data, row, data.definition.primary_key);
                assert!(seen.insert(key.clone()), "duplicate key {key:?} in {}", data.definition.name);
            }
            keys.insert(data.definition.name, seen);
        }
        for data in dataset().tables() {
            for foreign_key in data.definition.foreign_keys {
                let parents = &keys[foreign_key.references];
                for row in &data.rows {
                    let key = key_of(data, row, foreign_key.columns);
                    if key.contains(&Value::Null) {
                        continue;
                    }
                    assert!(parents.contains(&key), "{} {key:?} has no parent", foreign_key.name);
                }
            }
        }
    }

    #[test]
    fn contract_dates_counters_and_premiums_are_consistent() {
        let contracts = rows("CONTRATS");
        let products: BTreeMap<i64, i64> = rows("PRODUITS")
            .rows
            .iter()
            .map(|row| (number(&row[0]), number(cell(rows("PRODUITS"), row, "TX_TAXE"))))
            .collect();
        let mut claims_per_contract: BTreeMap<i64, i64> = BTreeMap::new();
        for claim in rows("SINISTRES").column("ID_CONTRAT") {
            *claims_per_contract.entry(number(claim)).or_default() += 1;
        }
        let mut cover_premiums: BTreeMap<i64, i64> = BTreeMap::new();
        let covers = rows("CONTRATS_GARANTIES");
        for row in &covers.rows {
            if *cell(covers, row, "DT_FIN") == Value::Null {
                *cover_premiums.entry(number(cell(covers, row, "ID_CONTRAT"))).or_default() +=
                    number(cell(covers, row, "MT_PRIME_HT"));
            }
        }
        for row in &contracts.rows {
            let id = number(&row[0]);
            let effective = date(cell(contracts, row, "DT_EFF"));
            assert!(date(cell(contracts, row, "DT_SOUSC")) <= effective, "contract {id} starts before it is signed");
            assert!(date(cell(contracts, row, "DT_ECH")) > effective, "contract {id} falls due before it starts");
            let status = cell(contracts, row, "CD_STATUT");
            let terminated = cell(contracts, row, "DT_RESIL");
            let terminated_status = matches!(status, Value::Text(code) if code == "RS" || code == "AN");
            assert_eq!(*terminated != Value::Null, terminated_status, "contract {id}: DT_RESIL and status disagree");
            assert_eq!(number(cell(contracts, row, "NB_SIN")), claims_per_contract.get(&id).copied().unwrap_or(0));
            let premium = number(cell(contracts, row, "MT_PRIME_HT"));
            assert_eq!(cover_premiums.get(&id).copied(), Some(premium), "contract {id}: cover premiums");
            let tax = products[&number(cell(contracts, row, "ID_PRODUIT"))];
            assert_eq!(number(cell(contracts, row, "MT_PRIME_TTC")), contracts::with_tax(premium, tax));
        }
    }

    #[test]
    fn claims_payments_and_notices_follow_each_other_in_time() {
        let reference = calendar::REFERENCE_DATE;
        let contracts = rows("CONTRATS");
        let covered: BTreeMap<i64, (Date, Date)> = contracts
            .rows
            .iter()
            .map(|row| {
                let end = match cell(contracts, row, "DT_RESIL") {
                    Value::Date(day) => *day,
                    _ => reference,
                };
                (number(&row[0]), (date(cell(contracts, row, "DT_EFF")), end))
            })
            .collect();
        let claims = rows("SINISTRES");
        let mut declared: BTreeMap<i64, Date> = BTreeMap::new();
        for row in &claims.rows {
            let occurred = date(cell(claims, row, "DT_SURV"));
            let reported = date(cell(claims, row, "DT_DECL"));
            let (start, end) = covered[&number(cell(claims, row, "ID_CONTRAT"))];
            assert!(start <= occurred && occurred <= end && occurred <= reported && reported <= reference);
            if let Value::Date(closed) = cell(claims, row, "DT_CLOTURE") {
                assert!(reported <= *closed && *closed <= reference);
            }
            declared.insert(number(&row[0]), reported);
        }
        let payments = rows("REGLEMENTS");
        for row in &payments.rows {
            let day = date(cell(payments, row, "DT_REGLEMENT"));
            assert!(declared[&number(cell(payments, row, "ID_SINISTRE"))] <= day && day <= reference);
        }
        let notices = rows("QUITTANCES");
        for row in &notices.rows {
            let (start, end) = (date(cell(notices, row, "DT_DEBUT_PER")), date(cell(notices, row, "DT_FIN_PER")));
            assert!(start <= end && date(cell(notices, row, "DT_EMISSION")) <= reference);
            let total = number(cell(notices, row, "MT_PRIME_HT")) + number(cell(notices, row, "MT_TAXES"));
            assert_eq!(number(cell(notices, row, "MT_PRIME_TTC")), total);
        }
        for (table, column) in [
            ("ENCAISSEMENTS", "DT_ENCAISSEMENT"),
            ("AVENANTS", "DT_SAISIE"),
            ("CLIENTS", "DT_CREATION"),
            ("CONTRATS", "DT_EFF"),
        ] {
            assert!(
                rows(table).column(column).all(|day| date(day) <= reference),
                "{table}.{column} after the reference date"
            );
        }
    }

    #[test]
    fn amounts_follow_the_documents_signs_and_rounding() {
        // codes.md: indemnities, third-party payments and fees are positive, recoveries negative.
        let payments = rows("REGLEMENTS");
        for row in &payments.rows {
            let amount = number(cell(payments, row, "MT_REGLE"));
            match cell(payments, row, "CD_TYPE_REG") {
                Value::Text(kind) if kind == "REC" => assert!(amount < 0, "a recovery of {amount}"),
                Value::Text(kind) => assert!(amount > 0, "a {kind} payment of {amount} cents"),
                other => panic!("{other:?}"),
            }
        }
        // regles-metier.md: a notice's commission is its pre-tax premium times the broker's rate, to the cent.
        let brokers: BTreeMap<i64, i64> = rows("COURTIERS")
            .rows
            .iter()
            .map(|row| (number(&row[0]), number(cell(rows("COURTIERS"), row, "TX_COMMISSION"))))
            .collect();
        let contracts: BTreeMap<i64, Option<i64>> = rows("CONTRATS")
            .rows
            .iter()
            .map(|row| match cell(rows("CONTRATS"), row, "ID_COURTIER") {
                Value::Integer(broker) => (number(&row[0]), Some(*broker)),
                _ => (number(&row[0]), None),
            })
            .collect();
        let notices = rows("QUITTANCES");
        let mut checked = 0;
        for row in &notices.rows {
            let Value::Decimal(commission) = cell(notices, row, "MT_COMMISSION") else { continue };
            let broker = contracts[&number(cell(notices, row, "ID_CONTRAT"))].expect("a brokered contract");
            let exact = number(cell(notices, row, "MT_PRIME_HT")) as f64 * brokers[&broker] as f64 / 10_000.0;
            assert_eq!(*commission, exact.round() as i64, "{exact} cents rounded");
            checked += 1;
        }
        assert!(checked > 1_000, "only {checked} commissions");
    }

    #[test]
    fn low_cardinality_columns_hold_realistic_values() {
        let distinct = |table: &str, column: &str| -> BTreeMap<String, usize> {
            let mut counts = BTreeMap::new();
            for value in rows(table).column(column) {
                *counts.entry(value.to_string()).or_default() += 1;
            }
            counts
        };
        let statuses = distinct("CONTRATS", "CD_STATUT");
        assert_eq!(statuses.keys().map(String::as_str).collect::<Vec<_>>(), ["AN", "EC", "RS", "SU"]);
        assert!(statuses["EC"] > statuses["RS"] && statuses["RS"] > statuses["SU"]);
        assert_eq!(distinct("CONTRATS", "CD_BRANCHE").len(), 5);
        let cities = distinct("ADRESSES", "VILLE");
        assert!(cities["Paris"] > cities["Lyon"] && cities["Lyon"] > 100, "{cities:?}");
        assert!(rows("VEHICULES").column("MARQUE").any(|make| make.to_string() == "RENAULT"));
        assert!(rows("VEHICULES").column("IMMAT").all(|plate| {
            let plate = plate.to_string();
            plate.len() == 9 && plate.as_bytes()[2] == b'-' && plate.as_bytes()[6] == b'-'
        }));
    }

    #[test]
    fn values_display_like_a_sql_client_shows_them() {
        assert_eq!(Value::Decimal(123_456).to_string(), "1234.56");
        assert_eq!(Value::Decimal(-5).to_string(), "-0.05");
        assert_eq!(Value::Date(time::macros::date!(2024 - 02 - 29)).to_string(), "2024-02-29");
        assert_eq!(Value::Null.to_string(), "NULL");
    }
}
