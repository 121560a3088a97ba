//! Generates the endorsements (`AVENANTS`): changes of vehicle, covers, capital or beneficiaries during a
//! contract's life, suspensions and reinstatements, and the termination endorsement of every terminated contract.
//! Each endorsement carries a premium factor that `premiums` applies.

use time::Date;

use super::Value;
use super::assets::replace_vehicle;
use super::calendar::{REFERENCE_DATE, add_days, add_years, random_date};
use super::catalog::{Branch, ProductCover, cover_by_id, cover_id};
use super::contracts::{ContractCover, Portfolio};
use super::network::Network;
use super::rng::Rng;

/// An endorsement of a contract.
#[derive(Debug, Clone)]
pub(crate) struct Endorsement {
    pub(crate) kind: &'static str,
    pub(crate) effective: Date,
    pub(crate) entered: Date,
    /// The factor the endorsement applies to the annual premium.
    pub(crate) factor: f64,
    pub(crate) reason: Option<String>,
    pub(crate) manager: i64,
    /// Annual premium with tax before and after the endorsement, in cents (filled by `premiums`).
    pub(crate) premium_before: i64,
    pub(crate) premium_after: i64,
}

impl Endorsement {
    /// Returns the endorsement's row, in `AVENANTS` column order.
    pub(crate) fn row(&self, id: i64, contract: i64, number: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Integer(contract),
            Value::Integer(number),
            Value::text(self.kind),
            Value::Date(self.effective),
            Value::Date(self.entered),
            Value::Decimal(self.premium_before),
            Value::Decimal(self.premium_after),
            Value::opt_text(self.reason.clone()),
            Value::Integer(self.manager),
        ]
    }
}

/// Generates the endorsements made during the contracts' lives (termination endorsements come later, from
/// [`add_terminations`], once claims have settled each termination's reason).
pub(crate) fn generate(rng: &mut Rng, network: &Network, portfolio: &mut Portfolio) {
    let Portfolio { contracts, vehicles, plates, .. } = portfolio;
    for contract in contracts.iter_mut() {
        if contract.status == "AN" {
            continue;
        }
        let function = if contract.agency.is_some() { "CCL" } else { "SOU" };
        let mut endorsements = Vec::new();
        for (from, until) in contract.suspensions.clone() {
            let reason = match contract.branch() {
                Branch::Auto => "Suspension : véhicule immobilisé",
                _ => "Suspension à la demande de l'assuré",
            };
            endorsements.push((("SUS", from, 1.0), Some(reason.to_owned())));
            if let Some(until) = until {
                endorsements.push((("REM", add_days(until, 1), 1.0), Some("Remise en vigueur du contrat".to_owned())));
            }
        }
        let rate = match contract.branch() {
            Branch::Auto => 0.12,
            Branch::Home => 0.08,
            Branch::Health => 0.10,
            Branch::Protection => 0.06,
            Branch::Liability => 0.12,
        };
        let mut year = 0;
        loop {
            let start = add_years(contract.effective, year).max(add_days(contract.effective, 30));
            let end = add_days(add_years(contract.effective, year + 1), -1).min(add_days(contract.cover_end, -1));
            year += 1;
            if start > end {
                break;
            }
            if !rng.chance(rate) {
                continue;
            }
            let day = random_date(rng, start, end);
            if !contract.covered_on(day) {
                continue;
            }
            let kind = match contract.branch() {
                Branch::Auto => rng.weighted(&[("CHV", 35), ("GAR", 20), ("COO", 20), ("ADR", 15)]),
                Branch::Home => rng.weighted(&[("CAP", 35), ("GAR", 35), ("COO", 30)]),
                Branch::Health => rng.weighted(&[("BEN", 45), ("GAR", 25), ("COO", 30)]),
                Branch::Protection => rng.weighted(&[("BEN", 40), ("CAP", 40), ("COO", 20)]),
                Branch::Liability => rng.weighted(&[("CAP", 45), ("GAR", 30), ("COO", 25)]),
            };
            let (kind, factor, reason) = match kind {
                "CHV" => match replace_vehicle(rng, vehicles, contract.id, day, plates) {
                    Some((vehicle, reason)) => {
                        vehicles.push(vehicle);
                        ("CHV", 0.85 + rng.unit() * 0.4, reason)
                    }
                    None => coordinates(rng),
                },
                "GAR" => {
                    let change = change_covers(rng, &mut contract.covers, contract.product.covers, day);
                    change.unwrap_or_else(|| coordinates(rng))
                }
                "CAP" => {
                    let reason = match contract.branch() {
                        Branch::Home => "Révision du capital mobilier assuré",
                        Branch::Protection => "Augmentation du capital garanti",
                        _ => "Mise à jour du chiffre d'affaires déclaré",
                    };
                    ("CAP", 0.92 + rng.unit() * 0.33, reason.to_owned())
                }
                "BEN" if contract.branch() == Branch::Health => {
                    if rng.chance(0.7) {
                        ("BEN", 1.2 + rng.unit() * 0.25, "Ajout d'un bénéficiaire (conjoint ou enfant)".to_owned())
                    } else {
                        ("BEN", 0.7 + rng.unit() * 0.15, "Retrait d'un bénéficiaire".to_owned())
                    }
                }
                "BEN" => ("BEN", 1.0, "Modification de la clause bénéficiaire".to_owned()),
                "ADR" => ("ADR", 0.95 + rng.unit() * 0.13, "Changement d'adresse de garage du véhicule".to_owned()),
                _ => coordinates(rng),
            };
            let reason = (!rng.chance(0.08)).then_some(reason);
            endorsements.push(((kind, day, factor), reason));
        }
        for ((kind, effective, factor), reason) in endorsements {
            let entered = add_days(effective, rng.between(-20, 10)).clamp(contract.signed, REFERENCE_DATE);
            let manager = network.staff_for(rng, function, contract.agency, contract.region, entered);
            contract.endorsements.push(Endorsement {
                kind,
                effective,
                entered,
                factor,
                reason,
                manager,
                premium_before: 0,
                premium_after: 0,
            });
        }
        contract.endorsements.sort_by_key(|endorsement| (endorsement.effective, endorsement.entered));
    }
}

/// Returns a change of bank or postal details, which leaves the premium unchanged.
fn coordinates(rng: &mut Rng) -> (&'static str, f64, String) {
    let reason = if rng.chance(0.6) {
        "Mise à jour des coordonnées bancaires (nouveau RIB)"
    } else {
        "Changement d'adresse de correspondance"
    };
    ("COO", 1.0, reason.to_owned())
}

/// Adds an optional cover the contract lacks, or withdraws one it holds, from `day`. Returns `None` when the
/// product offers no such change.
fn change_covers(
    rng: &mut Rng,
    covers: &mut Vec<ContractCover>,
    offered: &'static [ProductCover],
    day: Date,
) -> Option<(&'static str, f64, String)> {
    let active_weight: u32 =
        covers.iter().filter(|cover| cover.applies_on(day)).map(|cover| cover_by_id(cover.cover).premium_weight).sum();
    let addable: Vec<&ProductCover> = offered
        .iter()
        .filter(|product_cover| !product_cover.included)
        .filter(|product_cover| covers.iter().all(|cover| cover.cover != cover_id(product_cover.code)))
        .collect();
    let removable: Vec<usize> = covers
        .iter()
        .enumerate()
        .filter(|(_, cover)| cover.applies_on(day))
        .filter(|(_, cover)| {
            offered.iter().any(|product_cover| !product_cover.included && cover_id(product_cover.code) == cover.cover)
        })
        .map(|(index, _)| index)
        .collect();
    if !addable.is_empty() && (removable.is_empty() || rng.chance(0.7)) {
        let chosen = rng.pick(&addable);
        let id = cover_id(chosen.code);
        let weight = cover_by_id(id).premium_weight;
        covers.push(ContractCover {
            cover: id,
            from: day,
            until: None,
            limit_euros: chosen.limit,
            deductible_euros: chosen.deductible,
            premium_cents: 0,
        });
        let factor = 1.0 + f64::from(weight) / f64::from(active_weight.max(1));
        return Some(("GAR", factor, format!("Ajout de la garantie {}", cover_by_id(id).label)));
    }
    if removable.is_empty() {
        return None;
    }
    let index = rng.pick(&removable);
    let cover = &mut covers[index];
    cover.until = Some(day);
    let weight = cover_by_id(cover.cover).premium_weight;
    let factor = 1.0 - f64::from(weight) / f64::from(active_weight.max(weight + 1));
    Some(("GAR", factor, format!("Retrait de la garantie {}", cover_by_id(cover.cover).label)))
}

/// Adds the termination endorsement (`RES`) of every terminated contract, with a reason matching its
/// termination code.
pub(crate) fn add_terminations(rng: &mut Rng, network: &Network, portfolio: &mut Portfolio) {
    for contract in portfolio.contracts.iter_mut().filter(|contract| contract.status == "RS") {
        let (Some(terminated), Some(code)) = (contract.terminated, contract.termination_reason) else {
            continue;
        };
        let reason = match code {
            "ECH" => "Résiliation à l'échéance à la demande de l'assuré",
            "HAM" => "Résiliation infra-annuelle (loi Hamon)",
            "NPP" => "Résiliation pour non-paiement de la prime",
            "VTE" => "Résiliation suite à la vente du bien assuré",
            "SIN" => "Résiliation par la compagnie après sinistre",
            "DCD" => "Résiliation suite au décès de l'assuré",
            _ => "Résiliation (autre motif)",
        };
        // Notice of a termination at renewal is given weeks in advance; other terminations are entered after the fact.
        let entered = match code {
            "ECH" | "SIN" => add_days(terminated, -rng.between(20, 75)),
            _ => add_days(terminated, rng.between(0, 15)),
        }
        .clamp(contract.signed, REFERENCE_DATE);
        let function = if contract.agency.is_some() { "CCL" } else { "SOU" };
        let manager = network.staff_for(rng, function, contract.agency, contract.region, entered);
        contract.endorsements.push(Endorsement {
            kind: "RES",
            effective: terminated,
            entered,
            factor: 1.0,
            reason: Some(reason.to_owned()),
            manager,
            premium_before: 0,
            premium_after: 0,
        });
    }
}
