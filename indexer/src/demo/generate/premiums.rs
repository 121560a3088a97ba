//! Sets each contract's premium at signature (from its product, insured object, bonus-malus and discount), then
//! builds its premium history: yearly indexation and bonus-malus at every anniversary, and the premium factor of
//! every endorsement. It then fills the endorsements' before/after premiums, the contract's current premium and
//! bonus-malus, and splits the premium between the contract's covers.

use super::assets::{new_home, new_vehicle};
use super::calendar::{REFERENCE_DATE, add_days, add_years, indexation_rate};
use super::catalog::{Branch, cover_by_id};
use super::clients::Client;
use super::contracts::{Contract, Portfolio, with_tax};
use super::network::Network;
use super::rng::Rng;

/// Lowest bonus-malus coefficient (50 % bonus), in hundredths.
const BEST_CRM: i64 = 50;
/// Highest bonus-malus coefficient (350 % malus), in hundredths.
const WORST_CRM: i64 = 350;

/// Computes the premium history of `contract` and everything derived from it.
pub(crate) fn apply(contract: &mut Contract) {
    let tax = contract.product.tax_basis_points;
    let mut premium = contract.initial_premium_cents;
    let mut crm = contract.crm_hundredths;
    let mut changes = Vec::new();
    let last_day = contract.cover_end.min(REFERENCE_DATE);
    let mut next_endorsement = 0;
    let mut year = 1;
    loop {
        let anniversary = add_years(contract.effective, year);
        // Endorsements effective before this anniversary come first.
        while let Some(endorsement) = contract.endorsements.get_mut(next_endorsement) {
            if endorsement.effective >= anniversary && anniversary <= last_day {
                break;
            }
            endorsement.premium_before = with_tax(premium, tax);
            if endorsement.factor != 1.0 {
                premium = (premium as f64 * endorsement.factor).round() as i64;
                changes.push((endorsement.effective, premium));
            }
            endorsement.premium_after = with_tax(premium, tax);
            next_endorsement += 1;
        }
        if anniversary > last_day {
            break;
        }
        let mut factor = 1.0 + indexation_rate(anniversary.year()) / 100.0;
        if let (Branch::Auto, Some(old)) = (contract.branch(), crm) {
            let new = next_crm(old, contract, anniversary);
            factor *= new as f64 / old as f64;
            crm = Some(new);
        }
        premium = (premium as f64 * factor).round() as i64;
        changes.push((anniversary, premium));
        year += 1;
    }
    contract.premium_changes = changes;
    contract.crm_hundredths = crm;
    split_between_covers(contract);
}

/// Returns the bonus-malus coefficient after the year ending on `anniversary`: 5 % better without an at-fault
/// claim, 25 % worse for each one (12.5 % when the fault is shared).
fn next_crm(old: i64, contract: &Contract, anniversary: time::Date) -> i64 {
    let year_start = add_years(anniversary, -1);
    let mut factor = 1.0;
    let mut at_fault = false;
    for (day, responsibility) in &contract.at_fault_claims {
        if year_start <= *day && *day < anniversary {
            at_fault = true;
            factor *= if *responsibility >= 100 { 1.25 } else { 1.125 };
        }
    }
    if !at_fault {
        factor = 0.95;
    }
    ((old as f64 * factor).round() as i64).clamp(BEST_CRM, WORST_CRM)
}

/// Splits the premium between the covers by their weights: the covers still held share the current premium
/// exactly, and a withdrawn cover keeps the share it had the day before its withdrawal.
fn split_between_covers(contract: &mut Contract) {
    let current = contract.current_premium();
    let removed: Vec<(usize, i64)> = contract
        .covers
        .iter()
        .enumerate()
        .filter_map(|(index, cover)| {
            let until = cover.until?;
            let day_before = add_days(until, -1);
            let premium = contract.premium_on(day_before);
            let total: u32 = contract
                .covers
                .iter()
                .filter(|other| other.applies_on(day_before))
                .map(|other| cover_by_id(other.cover).premium_weight)
                .sum();
            let weight = cover_by_id(cover.cover).premium_weight;
            Some((index, premium * i64::from(weight) / i64::from(total.max(1))))
        })
        .collect();
    for (index, premium) in removed {
        contract.covers[index].premium_cents = premium;
    }
    let held: Vec<usize> =
        contract.covers.iter().enumerate().filter(|(_, cover)| cover.until.is_none()).map(|(index, _)| index).collect();
    let total: i64 =
        held.iter().map(|index| i64::from(cover_by_id(contract.covers[*index].cover).premium_weight)).sum();
    let mut remaining = current;
    for (position, index) in held.iter().enumerate() {
        let share = if position + 1 == held.len() {
            remaining
        } else {
            current * i64::from(cover_by_id(contract.covers[*index].cover).premium_weight) / total.max(1)
        };
        contract.covers[*index].premium_cents = share;
        remaining -= share;
    }
}

/// Creates the insured object (vehicle or home) and returns the annual premium before tax at signature.
pub(crate) fn initial(
    rng: &mut Rng,
    network: &mut Network,
    client: &Client,
    portfolio: &mut Portfolio,
    contract: &mut Contract,
) -> i64 {
    let (low, high) = contract.product.premium;
    let mut premium = rng.log_between(low, high);
    match contract.branch() {
        Branch::Auto => {
            let utility = client.trade.is_some();
            let vehicle = new_vehicle(rng, contract.id, contract.effective, utility, &mut portfolio.plates);
            let crm = if utility || rng.chance(0.35) {
                rng.between(50, 70)
            } else if client.age_on(contract.effective).unwrap_or(40) < 25 || rng.chance(0.15) {
                rng.between(85, 100)
            } else if rng.chance(0.94) {
                rng.between(50, 95)
            } else {
                rng.between(101, 156)
            };
            contract.crm_hundredths = Some(crm);
            premium *= crm as f64 / 100.0 * (0.75 + vehicle.value_cents as f64 / 6_000_000.0);
            if client.age_on(contract.effective).is_some_and(|age| age < 25) {
                premium *= 1.5;
            }
            portfolio.vehicles.push(vehicle);
        }
        Branch::Home => {
            let quality = match contract.product.code {
                "MRH-LOC" => "LOC",
                "MRH-PRO" => "PRO",
                _ => "PNO",
            };
            let home = new_home(rng, network, client, contract.id, quality, contract.signed.year());
            premium *= 0.6 + home.rooms as f64 * 0.15;
            portfolio.homes.push(home);
        }
        Branch::Health => {
            let age = client.age_on(contract.effective).unwrap_or(45);
            premium *= (0.7 + f64::from(age - 20) / 80.0).clamp(0.7, 1.5);
        }
        Branch::Protection | Branch::Liability => {}
    }
    if rng.chance(0.25) {
        let discount = rng.pick(&[500, 500, 1000, 1000, 1500]);
        contract.discount_hundredths = Some(discount);
        premium *= 1.0 - discount as f64 / 10_000.0;
    }
    (premium * 100.0).round() as i64
}
