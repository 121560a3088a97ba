//! Generates the contracts: which clients buy what and when, through which channel, and how each contract's
//! life goes until the reference date (renewals, suspensions, terminations). Endorsements, premiums, claims and
//! billing are generated from these contracts by the sibling modules.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;
use time::macros::date;

use super::Value;
use super::assets::{Home, Vehicle};
use super::calendar::{REFERENCE_DATE, add_days, add_months, random_date};
use super::catalog::{Branch, PRODUCTS, Product, cover_id, on_sale, product_id};
use super::clients::Client;
use super::endorsements::Endorsement;
use super::lifecycle::{live, payment_mode, periodicity};
use super::names::Trade;
use super::network::Network;
use super::places::region_of;
use super::premiums;
use super::rng::Rng;

/// A cover held by a contract (`CONTRATS_GARANTIES`).
#[derive(Debug, Clone)]
pub(crate) struct ContractCover {
    pub(crate) cover: i64,
    pub(crate) from: Date,
    /// The day the cover was withdrawn by an endorsement; the cover applies strictly before it.
    pub(crate) until: Option<Date>,
    pub(crate) limit_euros: Option<i64>,
    pub(crate) deductible_euros: i64,
    pub(crate) premium_cents: i64,
}

impl ContractCover {
    /// Returns whether the cover applied on `day`.
    pub(crate) fn applies_on(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|until| day < until)
    }
}

/// A contract (`CONTRATS`) with everything the other generators need to know about it.
#[derive(Debug)]
pub(crate) struct Contract {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) client: usize,
    pub(crate) product: &'static Product,
    pub(crate) channel: &'static str,
    pub(crate) agency: Option<i64>,
    pub(crate) broker: Option<(i64, i64)>,
    pub(crate) manager: i64,
    pub(crate) region: &'static str,
    pub(crate) status: &'static str,
    pub(crate) signed: Date,
    pub(crate) effective: Date,
    pub(crate) due: Date,
    pub(crate) terminated: Option<Date>,
    pub(crate) termination_reason: Option<&'static str>,
    pub(crate) periodicity: &'static str,
    pub(crate) payment: &'static str,
    pub(crate) discount_hundredths: Option<i64>,
    /// Bonus-malus coefficient at signature, then (after `premiums::apply`) at the reference date.
    pub(crate) crm_hundredths: Option<i64>,
    /// The last day the contract covered within the data window.
    pub(crate) cover_end: Date,
    /// Suspension periods: first day and, once the contract was reinstated, last day.
    pub(crate) suspensions: Vec<(Date, Option<Date>)>,
    pub(crate) covers: Vec<ContractCover>,
    /// The annual premium before tax at signature, in cents; `premiums::apply` builds the history from it.
    pub(crate) initial_premium_cents: i64,
    /// Changes of the annual premium before tax: from which day, and the new amount in cents.
    pub(crate) premium_changes: Vec<(Date, i64)>,
    pub(crate) claim_count: i64,
    /// Claims where the insured driver was at fault: day of the accident and responsibility in percent.
    pub(crate) at_fault_claims: Vec<(Date, i64)>,
    pub(crate) endorsements: Vec<Endorsement>,
}

impl Contract {
    /// Returns the branch of the contract's product.
    pub(crate) fn branch(&self) -> Branch {
        self.product.branch
    }

    /// Returns whether the contract covered `day` (in force and not suspended).
    pub(crate) fn covered_on(&self, day: Date) -> bool {
        self.effective <= day
            && day <= self.cover_end
            && self.status != "AN"
            && !self.suspensions.iter().any(|(from, until)| *from <= day && until.is_none_or(|until| day <= until))
    }

    /// Returns the annual premium before tax in force on `day`, in cents.
    pub(crate) fn premium_on(&self, day: Date) -> i64 {
        self.premium_changes
            .iter()
            .take_while(|(from, _)| *from <= day)
            .last()
            .map_or(self.initial_premium_cents, |(_, amount)| *amount)
    }

    /// Returns the current annual premium before tax, in cents.
    pub(crate) fn current_premium(&self) -> i64 {
        self.premium_changes.last().map_or(self.initial_premium_cents, |(_, amount)| *amount)
    }

    /// Returns the contract's row, in `CONTRATS` column order.
    pub(crate) fn row(&self) -> Vec<Value> {
        let premium = self.current_premium();
        vec![
            Value::Integer(self.id),
            Value::text(self.number.clone()),
            Value::Integer(self.client as i64 + 1),
            Value::Integer(product_id(self.product.code)),
            Value::text(self.branch().code()),
            Value::text(self.channel),
            self.agency.map_or(Value::Null, Value::Integer),
            self.broker.map_or(Value::Null, |(broker, _)| Value::Integer(broker)),
            Value::Integer(self.manager),
            Value::text(self.status),
            Value::Date(self.signed),
            Value::Date(self.effective),
            Value::Date(self.due),
            Value::opt_date(self.terminated),
            Value::opt_text(self.termination_reason),
            Value::text(self.periodicity),
            Value::text(self.payment),
            Value::Decimal(premium),
            Value::Decimal(with_tax(premium, self.product.tax_basis_points)),
            self.discount_hundredths.map_or(Value::Null, Value::Decimal),
            self.crm_hundredths.map_or(Value::Null, Value::Decimal),
            Value::Integer(self.claim_count),
        ]
    }
}

/// Returns an amount before tax plus the insurance tax at `tax_basis_points` (hundredths of a percent), in cents.
pub(crate) fn with_tax(cents: i64, tax_basis_points: i64) -> i64 {
    cents + tax_of(cents, tax_basis_points)
}

/// Returns the insurance tax on an amount before tax, in cents, rounded half away from zero.
pub(crate) fn tax_of(cents: i64, tax_basis_points: i64) -> i64 {
    let product = cents * tax_basis_points;
    (product + product.signum() * 5_000) / 10_000
}

/// Everything this module generates.
#[derive(Debug, Default)]
pub(crate) struct Portfolio {
    pub(crate) contracts: Vec<Contract>,
    pub(crate) vehicles: Vec<Vehicle>,
    pub(crate) homes: Vec<Home>,
    pub(crate) plates: BTreeSet<String>,
}

/// A contract before it gets its identifier: who buys which branch, and when.
struct Draft {
    client: usize,
    branch: Branch,
    signed: Date,
}

/// Generates the contracts of every client, numbered in order of signature.
pub(crate) fn generate(rng: &mut Rng, network: &mut Network, clients: &[Client]) -> Portfolio {
    let mut drafts = Vec::new();
    for (index, client) in clients.iter().enumerate() {
        draft_contracts(rng, index, client, &mut drafts);
    }
    drafts.sort_by_key(|draft| (draft.signed, draft.client));
    let mut portfolio = Portfolio::default();
    let mut sequences: BTreeMap<(&'static str, i32), i64> = BTreeMap::new();
    for draft in drafts {
        let id = portfolio.contracts.len() as i64 + 1;
        let contract = build_contract(rng, network, clients, &mut portfolio, &mut sequences, id, draft);
        portfolio.contracts.push(contract);
    }
    portfolio
}

/// Decides how many contracts a client signs, in which branches and when.
fn draft_contracts(rng: &mut Rng, index: usize, client: &Client, drafts: &mut Vec<Draft>) {
    let company = client.trade.is_some();
    let count = if company {
        rng.weighted(&[(1, 45), (2, 35), (3, 20)])
    } else {
        rng.weighted(&[(1, 48), (2, 30), (3, 14), (4, 8)])
    };
    let mut held: Vec<Branch> = Vec::new();
    for position in 0..count {
        let signed = if position == 0 {
            client.created
        } else {
            let earliest = add_days(client.created, 30);
            if earliest > date!(2025 - 11 - 30) {
                break;
            }
            random_date(rng, earliest, date!(2025 - 11 - 30))
        };
        let has = |branch: Branch| held.contains(&branch);
        let weights = if company {
            vec![
                (Branch::Liability, if has(Branch::Liability) { 0 } else { 85 }),
                (Branch::Auto, if has(Branch::Auto) { 10 } else { 30 }),
                (Branch::Health, if has(Branch::Health) { 0 } else { 15 }),
                (Branch::Protection, if has(Branch::Protection) { 0 } else { 12 }),
            ]
        } else {
            vec![
                (Branch::Auto, if has(Branch::Auto) { 8 } else { 42 }),
                (Branch::Home, if has(Branch::Home) { 4 } else { 33 }),
                (Branch::Health, if has(Branch::Health) { 0 } else { 15 }),
                (Branch::Protection, if has(Branch::Protection) { 2 } else { 10 }),
            ]
        };
        let branch = rng.weighted(&weights);
        held.push(branch);
        drafts.push(Draft { client: index, branch, signed });
    }
}

/// Returns the product a client buys in `branch` on `day`, and the day the contract is really signed (a product
/// launched later than the client's first contact delays the signature).
fn choose_product(rng: &mut Rng, client: &Client, branch: Branch, day: Date) -> (&'static Product, Date) {
    let age = client.age_on(day).unwrap_or(40);
    let code = match (branch, client.trade) {
        (Branch::Auto, Some(_)) => "AUT-PRO",
        (Branch::Auto, None) if age < 25 => rng.weighted(&[("AUT-ESS", 55), ("AUT-TPL", 35), ("AUT-TR", 10)]),
        (Branch::Auto, None) => rng.weighted(&[("AUT-ESS", 22), ("AUT-TPL", 36), ("AUT-TR", 42)]),
        (Branch::Home, _) if age < 30 => rng.weighted(&[("MRH-LOC", 80), ("MRH-PRO", 18), ("MRH-PNO", 2)]),
        (Branch::Home, _) => rng.weighted(&[("MRH-LOC", 40), ("MRH-PRO", 50), ("MRH-PNO", 10)]),
        (Branch::Health, Some(_)) => "SAN-TNS",
        (Branch::Health, None) if age >= 60 => "SAN-S21",
        (Branch::Health, None) => rng.weighted(&[("SAN-ESS", 45), ("SAN-CNF", 55)]),
        (Branch::Protection, Some(_)) => "PRV-ITT",
        (Branch::Protection, None) => rng.weighted(&[("PRV-DEC", 50), ("PRV-GAV", 50)]),
        (Branch::Liability, Some(Trade::Builder)) => "RCP-ART",
        (Branch::Liability, Some(Trade::Shop)) => "RCP-COM",
        (Branch::Liability, _) => "RCP-LIB",
    };
    // Products replaced by a newer version, or launched after the first contact, fall back to what was sold then.
    let fallback = match code {
        "AUT-PRO" => "AUT-TPL",
        "MRH-PNO" => "MRH-PRO",
        "SAN-S21" => "SAN-S15",
        other => other,
    };
    let product = &PRODUCTS[(product_id(code) - 1) as usize];
    if on_sale(product, day) {
        return (product, day);
    }
    let fallback = &PRODUCTS[(product_id(fallback) - 1) as usize];
    if on_sale(fallback, day) {
        return (fallback, day);
    }
    (product, add_days(product.launched, rng.between(0, 90)))
}

/// Builds one contract from its draft: product, channel, dates, life, covers, premium and manager.
fn build_contract(
    rng: &mut Rng,
    network: &mut Network,
    clients: &[Client],
    portfolio: &mut Portfolio,
    sequences: &mut BTreeMap<(&'static str, i32), i64>,
    id: i64,
    draft: Draft,
) -> Contract {
    let client = &clients[draft.client];
    let (product, signed) = choose_product(rng, client, draft.branch, draft.signed);
    let signed = signed.min(date!(2025 - 11 - 30));
    let departement = client.city.departement;
    let region = region_of(departement);
    let company = client.trade.is_some();

    let active_brokers: Vec<&super::network::Broker> =
        network.brokers.iter().filter(|broker| broker.active_on(signed)).collect();
    let broker_share = if company { 0.45 } else { 0.22 };
    let channel = if !active_brokers.is_empty() && rng.chance(broker_share) {
        "CRT"
    } else if !company && signed.year() >= 2017 && rng.chance(0.12) {
        "WEB"
    } else if rng.chance(0.05) {
        "TEL"
    } else {
        "AGE"
    };
    let broker = (channel == "CRT").then(|| {
        let local: Vec<&&super::network::Broker> =
            active_brokers.iter().filter(|broker| broker.region == region).collect();
        let chosen = if !local.is_empty() && rng.chance(0.75) { *rng.pick(&local) } else { rng.pick(&active_brokers) };
        (chosen.id, chosen.commission_hundredths)
    });
    let agency = (channel != "CRT").then(|| network.agency_for(rng, departement, signed));

    let effective = match product.branch {
        Branch::Auto if rng.chance(0.5) => signed,
        Branch::Health | Branch::Protection => {
            // Health and protection contracts start on the first day of a month.
            let next_month = add_months(signed, 1);
            Date::from_calendar_date(next_month.year(), next_month.month(), 1)
                .expect("BUG: the first of a month exists")
        }
        _ => add_days(signed, rng.between(0, 30)),
    };

    let mut contract = Contract {
        id,
        number: String::new(),
        client: draft.client,
        product,
        channel,
        agency,
        broker,
        manager: 0,
        region,
        status: "EC",
        signed,
        effective,
        due: effective,
        terminated: None,
        termination_reason: None,
        periodicity: periodicity(rng, product.branch),
        payment: "PRL",
        discount_hundredths: None,
        crm_hundredths: None,
        cover_end: REFERENCE_DATE,
        suspensions: Vec::new(),
        covers: Vec::new(),
        initial_premium_cents: 0,
        premium_changes: Vec::new(),
        claim_count: 0,
        at_fault_claims: Vec::new(),
        endorsements: Vec::new(),
    };
    contract.payment = payment_mode(rng, contract.periodicity, channel);
    let prefix = match product.branch {
        Branch::Auto => "AU",
        Branch::Home => "HA",
        Branch::Health => "SA",
        Branch::Protection => "PR",
        Branch::Liability => "RC",
    };
    let sequence = sequences.entry((prefix, signed.year())).or_insert(1_000);
    *sequence += 1 + rng.below(3) as i64;
    contract.number = format!("{prefix}{:02}{:06}", signed.year() % 100, sequence);

    live(rng, &mut contract);
    choose_covers(rng, &mut contract);
    contract.initial_premium_cents = premiums::initial(rng, network, client, portfolio, &mut contract);

    let manager_day = contract.cover_end.min(REFERENCE_DATE).max(signed);
    let (function, manager_agency) = match contract.agency {
        None => ("SOU", None),
        Some(agency) if network.agencies[(agency - 1) as usize].open_on(manager_day) => ("CCL", Some(agency)),
        Some(_) => ("CCL", Some(network.agency_for(rng, departement, manager_day))),
    };
    contract.manager = network.staff_for(rng, function, manager_agency, region, manager_day);
    contract
}

/// Picks the covers the contract starts with: every included cover and some optional ones.
fn choose_covers(rng: &mut Rng, contract: &mut Contract) {
    for product_cover in contract.product.covers {
        if !product_cover.included && !rng.chance(0.35) {
            continue;
        }
        let deductible_euros = match product_cover.code {
            "DOM_TA" => rng.pick(&[300, 300, 500, 800]),
            _ => product_cover.deductible,
        };
        contract.covers.push(ContractCover {
            cover: cover_id(product_cover.code),
            from: contract.effective,
            until: None,
            limit_euros: product_cover.limit,
            deductible_euros,
            premium_cents: 0,
        });
    }
}
