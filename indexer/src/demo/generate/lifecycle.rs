//! Plays each contract's life: how its premium is paid, and what happens to it year after year until the
//! reference date (renewal, termination with a reason, suspension, expiry without renewal).

use time::macros::date;

use super::calendar::{REFERENCE_DATE, add_days, add_years, random_date};
use super::catalog::Branch;
use super::contracts::Contract;
use super::rng::Rng;

/// Draws the premium payment frequency.
pub(crate) fn periodicity(rng: &mut Rng, branch: Branch) -> &'static str {
    match branch {
        Branch::Auto => rng.weighted(&[("A", 50), ("S", 14), ("T", 10), ("M", 26)]),
        Branch::Home => rng.weighted(&[("A", 60), ("S", 10), ("T", 8), ("M", 22)]),
        Branch::Health => rng.weighted(&[("M", 60), ("T", 20), ("A", 20)]),
        Branch::Protection => rng.weighted(&[("M", 40), ("T", 20), ("A", 40)]),
        Branch::Liability => rng.weighted(&[("A", 55), ("S", 20), ("T", 25)]),
    }
}

/// Draws the premium payment mode; monthly premiums are always collected by direct debit.
pub(crate) fn payment_mode(rng: &mut Rng, periodicity: &str, channel: &str) -> &'static str {
    match (periodicity, channel) {
        ("M", _) => "PRL",
        (_, "CRT") => rng.weighted(&[("PRL", 35), ("VIR", 35), ("CHQ", 25), ("CB", 5)]),
        (_, "WEB") => rng.weighted(&[("PRL", 45), ("CB", 50), ("VIR", 5)]),
        ("A", _) => rng.weighted(&[("CHQ", 35), ("PRL", 25), ("VIR", 20), ("CB", 20)]),
        _ => rng.weighted(&[("PRL", 60), ("CHQ", 20), ("VIR", 10), ("CB", 10)]),
    }
}

/// Plays the contract's life from its effective date to the reference date: yearly renewals, a possible
/// termination, suspension or expiry.
pub(crate) fn live(rng: &mut Rng, contract: &mut Contract) {
    if rng.chance(0.02) {
        // Cancelled within the 14-day withdrawal period: it never covered anything.
        contract.status = "AN";
        contract.terminated = Some(contract.effective);
        contract.termination_reason = Some("RET");
        contract.due = add_years(contract.effective, 1);
        contract.cover_end = contract.effective;
        return;
    }
    let branch = contract.branch();
    let hazard = match branch {
        Branch::Auto => 0.10,
        Branch::Home => 0.09,
        Branch::Health => 0.11,
        Branch::Protection => 0.05,
        Branch::Liability => 0.08,
    };
    let movable = matches!(branch, Branch::Auto | Branch::Home);
    let mut year = 0;
    loop {
        let start = add_years(contract.effective, year);
        let end = add_years(contract.effective, year + 1);
        if start > REFERENCE_DATE {
            contract.due = start;
            break;
        }
        if rng.chance(hazard) {
            let reason = if year == 0 {
                rng.weighted(&[("ECH", 45), ("NPP", 25), ("VTE", if movable { 25 } else { 0 }), ("DCD", 3), ("AUT", 2)])
            } else {
                rng.weighted(&[
                    ("ECH", 40),
                    ("HAM", if movable { 25 } else { 0 }),
                    ("NPP", 10),
                    ("VTE", if movable { 12 } else { 0 }),
                    ("SIN", 8),
                    ("DCD", 3),
                    ("AUT", 2),
                ])
            };
            let last_day = match reason {
                "ECH" | "SIN" => add_days(end, -1),
                _ => random_date(rng, add_days(start, 30), add_days(end, -2)),
            };
            if last_day <= REFERENCE_DATE {
                contract.status = "RS";
                contract.terminated = Some(last_day);
                contract.termination_reason = Some(reason);
                contract.due = end;
                contract.cover_end = last_day;
                return;
            }
        }
        year += 1;
    }
    // The contract is still alive at the reference date.
    let years_run = year;
    if years_run >= 2 && rng.chance(0.012) {
        // A temporary contract whose last term ended without renewal, but whose status was never updated.
        contract.due = add_years(contract.effective, years_run - 1);
        contract.cover_end = add_days(contract.due, -1);
    } else if rng.chance(if branch == Branch::Auto { 0.04 } else { 0.015 }) {
        let earliest = add_days(contract.effective, 60).max(date!(2025 - 01 - 01));
        if earliest < add_days(REFERENCE_DATE, -15) {
            let from = random_date(rng, earliest, add_days(REFERENCE_DATE, -15));
            contract.status = "SU";
            contract.suspensions.push((from, None));
            contract.cover_end = add_days(from, -1);
        }
    }
    if branch == Branch::Auto && contract.status == "EC" && rng.chance(0.03) {
        // A past suspension (vehicle off the road), lifted since.
        let earliest = add_days(contract.effective, 180);
        let latest = add_days(contract.cover_end, -300);
        if earliest < latest {
            let from = random_date(rng, earliest, latest);
            let until = add_days(from, rng.between(30, 240));
            contract.suspensions.push((from, Some(until)));
        }
    }
}
