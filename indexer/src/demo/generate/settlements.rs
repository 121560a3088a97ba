//! Generates the claim payments (`REGLEMENTS`): indemnities to the insured or to third parties, expert fees and
//! recoveries from the other party's insurer (negative amounts).

use time::Date;

use super::Value;
use super::calendar::{REFERENCE_DATE, add_days, random_date};
use super::catalog::{Branch, cover_by_id};
use super::claims::Claim;
use super::clients::Client;
use super::contracts::Portfolio;
use super::names::{first_name, legacy_upper, surname};
use super::network::Network;
use super::rng::Rng;

/// A payment on a claim.
#[derive(Debug, Clone)]
pub(crate) struct Settlement {
    /// Position of the claim in the claim list.
    pub(crate) claim: usize,
    pub(crate) day: Date,
    pub(crate) amount_cents: i64,
    pub(crate) kind: &'static str,
    pub(crate) mode: &'static str,
    pub(crate) payee: String,
    pub(crate) expert: Option<i64>,
}

impl Settlement {
    /// Returns the payment's row, in `REGLEMENTS` column order.
    pub(crate) fn row(&self, id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Integer(self.claim as i64 + 1),
            Value::Date(self.day),
            Value::Decimal(self.amount_cents),
            Value::text(self.kind),
            Value::text(self.mode),
            Value::text(self.payee.clone()),
            self.expert.map_or(Value::Null, Value::Integer),
        ]
    }
}

/// Generates the payments of every claim, sorted by date. Claims whose cost stays under the deductible are
/// classified without follow-up (`SS`) here, since that is only known once the cost is.
pub(crate) fn generate(
    rng: &mut Rng,
    network: &Network,
    clients: &[Client],
    portfolio: &Portfolio,
    claims: &mut [Claim],
) -> Vec<Settlement> {
    let mut settlements = Vec::new();
    for (index, claim) in claims.iter_mut().enumerate() {
        let contract = &portfolio.contracts[claim.contract];
        let client = &clients[contract.client];
        let branch = contract.branch();
        let cover = cover_by_id(claim.cover);
        let deductible =
            contract.covers.iter().find(|held| held.cover == claim.cover).map_or(0, |held| held.deductible_euros * 100);
        let last_day = claim.closed.unwrap_or(REFERENCE_DATE);
        let first_day = add_days(claim.declared, 3).min(last_day);
        let mut pay = |rng: &mut Rng, day: Date, amount_cents: i64, kind: &'static str, payee: String, expert| {
            let mode = if kind == "REC" || rng.chance(0.85) { "VIR" } else { "CHQ" };
            settlements.push(Settlement { claim: index, day, amount_cents, kind, mode, payee, expert });
        };
        if let Some(expert) = claim.expert.filter(|_| !matches!(claim.status, "OU" | "EX") || rng.chance(0.1)) {
            let fee = rng.between(150, 900) * 100 + rng.between(0, 99);
            let day = random_date(rng, add_days(claim.declared, 10).min(last_day), last_day);
            let payee = network.experts[(expert - 1) as usize].name.clone();
            pay(rng, day, fee, "HON", payee, Some(expert));
        }
        let cost = (claim.estimate_cents as f64 * (0.5 + rng.unit() * 0.75)).round() as i64;
        let indemnity = cost - deductible;
        if indemnity <= 0 {
            if claim.status == "CL" {
                claim.status = "SS";
            }
            continue;
        }
        let paid_share = match claim.status {
            "OU" | "EX" if rng.chance(0.12) => 0.3 + rng.unit() * 0.2,
            "RG" => 0.4 + rng.unit() * 0.5,
            "CL" | "RO" => 1.0,
            _ => 0.0,
        };
        let to_pay = (indemnity as f64 * paid_share).round() as i64;
        if to_pay <= 0 {
            continue;
        }
        let third_party = matches!(cover.code, "RC_AUTO" | "RC_VP" | "RC_EXPL" | "RC_PRO" | "DECENN");
        let (kind, payee) = if third_party {
            ("TIE", third_party_name(rng))
        } else if branch == Branch::Health && rng.chance(0.4) {
            ("TIE", health_provider(rng, claim.cause, client.city.name))
        } else if branch == Branch::Auto && matches!(claim.cause, "COL" | "BDG") && rng.chance(0.5) {
            ("IND", format!("Garage {}", legacy_upper(surname(rng))))
        } else {
            ("IND", client.display_name.clone())
        };
        let parts = if paid_share < 1.0 { 1 } else { rng.weighted(&[(1, 65), (2, 25), (3, 10)]) };
        // A payment split in parts: the parts before the last share at most 60 % of the total between them, so
        // the last part, the remainder, is always positive (the documents say indemnities are positive).
        let parts = if to_pay < 100 * parts as i64 { 1 } else { parts };
        let mut days: Vec<Date> = (0..parts).map(|_| random_date(rng, first_day, last_day)).collect();
        days.sort();
        let mut remaining = to_pay;
        for (position, day) in days.iter().enumerate() {
            let amount = if position + 1 == parts {
                remaining
            } else {
                (to_pay as f64 * (0.3 + rng.unit() * 0.3) / (parts - 1) as f64).round() as i64
            };
            remaining -= amount;
            pay(rng, *day, amount, kind, payee.clone(), None);
        }
        let last_payment = days.last().copied().unwrap_or(first_day);
        if claim.status == "RO" {
            let extra = rng.between(200, 3000) * 100;
            let day = random_date(rng, last_payment, REFERENCE_DATE);
            pay(rng, day, extra, kind, payee.clone(), None);
        }
        let recoverable = branch == Branch::Auto && cover.code == "DOM_TA" && claim.responsibility == Some(0);
        if recoverable && matches!(claim.status, "CL" | "RO") && rng.chance(0.8) {
            let day = add_days(last_payment, rng.between(30, 200));
            if day <= REFERENCE_DATE {
                let recovered = -((to_pay as f64 * (0.7 + rng.unit() * 0.3)).round() as i64);
                pay(rng, day, recovered, "REC", "Assureur adverse (convention IRSA)".to_owned(), None);
            }
        }
    }
    settlements.sort_by_key(|settlement| (settlement.day, settlement.claim));
    settlements
}

/// Returns the name of a third party compensated under a liability cover.
fn third_party_name(rng: &mut Rng) -> String {
    if rng.chance(0.75) {
        let male = rng.chance(0.5);
        format!("{} {}", first_name(rng, male), legacy_upper(surname(rng)))
    } else {
        format!("SARL {}", legacy_upper(surname(rng)))
    }
}

/// Returns the health provider paid directly (« tiers payant ») for a health claim.
fn health_provider(rng: &mut Rng, cause: &str, city: &str) -> String {
    match cause {
        "HOS" if rng.chance(0.5) => format!("Centre hospitalier de {city}"),
        "HOS" => {
            format!("Clinique {}", rng.pick(&["Saint-Joseph", "du Parc", "Pasteur", "des Cèdres", "Sainte-Marie"]))
        }
        "OPT" => format!("Optique {}", legacy_upper(surname(rng))),
        "DEN" => format!("Cabinet dentaire {}", legacy_upper(surname(rng))),
        "AUD" => format!("Audition {}", legacy_upper(surname(rng))),
        _ => format!("Pharmacie {}", legacy_upper(surname(rng))),
    }
}
