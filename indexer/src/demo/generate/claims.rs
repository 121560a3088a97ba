//! Generates the claims (`SINISTRES`): when they happen on each contract, which cover they hit, their cost
//! estimate, expert, handler and status at the reference date.

use std::collections::BTreeMap;

use time::Date;

use super::Value;
use super::calendar::{REFERENCE_DATE, add_days, days_between};
use super::catalog::{Branch, cover_by_id, expert_speciality};
use super::clients::Client;
use super::contracts::Portfolio;
use super::network::Network;
use super::places::random_city;
use super::rng::{Rng, ln};

/// A claim.
#[derive(Debug, Clone)]
pub(crate) struct Claim {
    /// Position of the contract in the portfolio.
    pub(crate) contract: usize,
    pub(crate) cover: i64,
    pub(crate) occurred: Date,
    pub(crate) declared: Date,
    pub(crate) closed: Option<Date>,
    pub(crate) status: &'static str,
    pub(crate) cause: &'static str,
    pub(crate) postal_code: Option<&'static str>,
    pub(crate) estimate_cents: i64,
    pub(crate) responsibility: Option<i64>,
    pub(crate) expert: Option<i64>,
    pub(crate) manager: i64,
    pub(crate) circumstances: Option<&'static str>,
}

impl Claim {
    /// Returns the claim's row, in `SINISTRES` column order.
    pub(crate) fn row(&self, id: i64, number: &str, contract_id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::text(number),
            Value::Integer(contract_id),
            Value::Integer(self.cover),
            Value::Date(self.occurred),
            Value::Date(self.declared),
            Value::opt_date(self.closed),
            Value::text(self.status),
            Value::text(self.cause),
            Value::opt_text(self.postal_code),
            Value::Decimal(self.estimate_cents),
            self.responsibility.map_or(Value::Null, Value::Integer),
            self.expert.map_or(Value::Null, Value::Integer),
            Value::Integer(self.manager),
            Value::opt_text(self.circumstances),
        ]
    }
}

/// Generates the claims of every contract, sorted by declaration date, and records on each contract its claim
/// count and at-fault motor claims.
pub(crate) fn generate(rng: &mut Rng, network: &Network, clients: &[Client], portfolio: &mut Portfolio) -> Vec<Claim> {
    let home_postal_codes: BTreeMap<i64, &'static str> =
        portfolio.homes.iter().map(|home| (home.contract, home.postal_code)).collect();
    let mut claims = Vec::new();
    for (index, contract) in portfolio.contracts.iter_mut().enumerate() {
        if contract.status == "AN" {
            continue;
        }
        let branch = contract.branch();
        let yearly_rate = match branch {
            Branch::Auto => 0.12,
            Branch::Home => 0.06,
            Branch::Health => 0.4,
            Branch::Protection => 0.012,
            Branch::Liability => 0.09,
        };
        let client = &clients[contract.client];
        let mut day = contract.effective;
        loop {
            // Exponential waiting times make claims a Poisson process over the covered days.
            let wait = -ln(1.0 - rng.unit()) * 365.0 / yearly_rate;
            day = add_days(day, wait.ceil() as i64);
            if day > contract.cover_end {
                break;
            }
            if !contract.covered_on(day) {
                continue;
            }
            let candidates: Vec<(usize, u32)> = contract
                .covers
                .iter()
                .enumerate()
                .filter(|(_, cover)| cover.applies_on(day))
                .map(|(position, cover)| (position, cover_by_id(cover.cover).claim_weight))
                .filter(|(_, weight)| *weight > 0)
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let held = &contract.covers[rng.weighted(&candidates)];
            let cover = cover_by_id(held.cover);
            let causes: Vec<((&'static str, f64, f64), u32)> =
                cover.claims.iter().map(|(cause, weight, low, high)| ((*cause, *low, *high), *weight)).collect();
            let (cause, low, high) = rng.weighted(&causes);
            let mut estimate_cents = rng.euros(low, high);
            if let Some(limit) = held.limit_euros {
                estimate_cents = estimate_cents.min(limit * 100);
            }
            let delay = match (branch, rng.below(20)) {
                (Branch::Health, _) => rng.between(3, 60),
                (_, 0) => rng.between(31, 120),
                (_, 1..=5) => rng.between(6, 30),
                _ => rng.between(0, 5),
            };
            let declared = add_days(day, delay);
            if declared > REFERENCE_DATE {
                // Occurred but not yet reported at the reference date.
                continue;
            }
            let responsibility = match (branch, cover.code) {
                (Branch::Auto, "RC_AUTO") => Some(rng.weighted(&[(50, 25), (100, 75)])),
                (Branch::Auto, "DOM_TA") => Some(rng.weighted(&[(0, 45), (50, 15), (100, 40)])),
                (Branch::Auto, _) => Some(0),
                _ => None,
            };
            if let Some(responsibility) = responsibility.filter(|responsibility| *responsibility > 0) {
                contract.at_fault_claims.push((day, responsibility));
            }
            let postal_code = match branch {
                Branch::Home => home_postal_codes.get(&contract.id).copied(),
                Branch::Auto => {
                    let city = if rng.chance(0.6) { client.city } else { random_city(rng) };
                    Some(rng.pick(city.postal_codes))
                }
                Branch::Liability => Some(rng.pick(client.city.postal_codes)),
                Branch::Health | Branch::Protection => None,
            };
            let threshold = match branch {
                Branch::Liability => 300_000,
                Branch::Protection => 0,
                _ => 150_000,
            };
            let expert = expert_speciality(branch, cause)
                .filter(|_| estimate_cents >= threshold || cause == "COR")
                .map(|speciality| choose_expert(rng, network, speciality, contract.region));
            let (status, closed) = status_at_reference(rng, branch, cause, declared, expert.is_some());
            let manager = network.staff_for(rng, "GSI", None, contract.region, declared);
            contract.claim_count += 1;
            claims.push(Claim {
                contract: index,
                cover: held.cover,
                occurred: day,
                declared,
                closed,
                status,
                cause,
                postal_code,
                estimate_cents,
                responsibility,
                expert,
                manager,
                circumstances: circumstances(rng, branch, cause),
            });
        }
    }
    claims.sort_by_key(|claim| (claim.declared, claim.contract, claim.occurred));
    claims
}

/// Returns an expert of `speciality`, preferably an approved one in `region`.
fn choose_expert(rng: &mut Rng, network: &Network, speciality: &str, region: &str) -> i64 {
    let matching: Vec<&super::network::Expert> =
        network.experts.iter().filter(|expert| expert.speciality == speciality).collect();
    let local: Vec<&&super::network::Expert> = matching.iter().filter(|expert| expert.region == region).collect();
    if !local.is_empty() && rng.chance(0.8) {
        return rng.pick(&local).id;
    }
    rng.pick(&matching).id
}

/// Draws a claim's status and closing date at the reference date, from how long ago it was declared.
fn status_at_reference(
    rng: &mut Rng,
    branch: Branch,
    cause: &str,
    declared: Date,
    has_expert: bool,
) -> (&'static str, Option<Date>) {
    let age = days_between(declared, REFERENCE_DATE);
    let status = match (branch, age) {
        (Branch::Health, ..20) => rng.weighted(&[("OU", 50), ("RG", 50)]),
        (Branch::Health, _) => rng.weighted(&[("CL", 92), ("SS", 8)]),
        (_, ..30) => rng.weighted(&[("OU", 55), ("EX", 25), ("RG", 20)]),
        (_, ..180) => rng.weighted(&[("OU", 8), ("EX", 17), ("RG", 20), ("CL", 48), ("SS", 7)]),
        _ => rng.weighted(&[("CL", 85), ("SS", 10), ("RO", 3), ("RG", 2)]),
    };
    let status = if status == "EX" && !has_expert { "OU" } else { status };
    if !matches!(status, "CL" | "SS") {
        return (status, None);
    }
    let duration = match (branch, cause) {
        (Branch::Health, _) => rng.between(5, 30),
        (_, "BDG" | "PAN") => rng.between(10, 45),
        _ => rng.log_between(20.0, 240.0).round() as i64,
    };
    let closed = add_days(declared, duration);
    if closed > REFERENCE_DATE { ("RG", None) } else { (status, Some(closed)) }
}

/// Returns the declared circumstances of a claim, or `None` when the handler left the field empty.
fn circumstances(rng: &mut Rng, branch: Branch, cause: &str) -> Option<&'static str> {
    let options: &[&'static str] = match (branch, cause) {
        (Branch::Auto, "COL") => &[
            "Collision avec un véhicule tiers à une intersection",
            "Accrochage sur un parking de supermarché",
            "Choc arrière dans un embouteillage",
            "Sortie de route par temps de pluie",
        ],
        (Branch::Auto, "VOL") => {
            &["Vol du véhicule stationné sur la voie publique", "Tentative de vol : serrure forcée"]
        }
        (Branch::Auto, "INC") => &["Incendie du véhicule dans un parking souterrain"],
        (Branch::Auto, "BDG") => &["Impact de gravillon sur le pare-brise", "Vitre latérale brisée"],
        (Branch::Auto, "PAN") => &["Panne de batterie au domicile", "Crevaison sur autoroute"],
        (Branch::Auto, "COR") => &["Blessure du conducteur lors d'un accident responsable"],
        (_, "CAT") => &[
            "Inondation reconnue catastrophe naturelle par arrêté",
            "Sécheresse : fissures sur les murs (arrêté CatNat)",
        ],
        (_, "LIT") => &["Litige avec un garagiste sur une réparation", "Litige avec un fournisseur"],
        (_, "DDE") => &[
            "Fuite d'eau provenant de l'appartement du dessus",
            "Rupture de canalisation encastrée",
            "Débordement de machine à laver",
        ],
        (Branch::Home, "VOL") => {
            &["Cambriolage avec effraction pendant les vacances", "Vol de vélo dans le local commun"]
        }
        (_, "VOL") => &["Vol de marchandises après effraction du local"],
        (_, "INC") => &["Départ de feu dans la cuisine", "Court-circuit à l'origine d'un incendie"],
        (_, "BDG") => &["Vitre brisée par un ballon", "Baie vitrée fissurée"],
        (_, "PAN") => &["Intervention d'un serrurier après perte de clés", "Dépannage de chaudière en urgence"],
        (_, "RCV") => &["Dégât causé chez un voisin par un enfant", "Chute d'un pot de fleurs sur un véhicule"],
        (_, "TGN") => &["Tuiles arrachées lors d'une tempête", "Grêle : véranda endommagée"],
        (_, "LOY") => &["Locataire défaillant : loyers impayés"],
        (_, "HOS") => &["Hospitalisation pour intervention chirurgicale", "Séjour en maternité"],
        (_, "SOI") => &["Consultations et analyses médicales", "Séances de kinésithérapie"],
        (_, "OPT") => &["Renouvellement de lunettes", "Lentilles de contact"],
        (_, "DEN") => &["Pose d'une couronne dentaire", "Soins dentaires et détartrage"],
        (_, "AUD") => &["Appareillage auditif"],
        (_, "DCD") => &["Décès de l'assuré"],
        (_, "ARR") => &["Arrêt de travail suite à une maladie", "Arrêt de travail suite à un accident de ski"],
        (_, "INV") => &["Invalidité reconnue après accident"],
        (_, "ACC") => &["Chute domestique avec fracture", "Accident de sport"],
        (_, "RCT") => &["Client blessé dans les locaux", "Dommage causé chez un client lors d'une intervention"],
        (_, "ERR") => {
            &["Erreur de conseil reprochée par un client", "Retard dans une procédure reproché par un client"]
        }
        (_, "MAL") => &[
            "Fissures apparues après travaux (garantie décennale)",
            "Infiltrations sur une toiture réalisée par l'assuré",
        ],
        (_, "PEX") => &["Fermeture du commerce après un dégât des eaux"],
        _ => &[],
    };
    if options.is_empty() || rng.chance(0.2) { None } else { Some(rng.pick(options)) }
}
