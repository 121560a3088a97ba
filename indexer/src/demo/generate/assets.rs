//! Generates the insured objects: vehicles of motor contracts (`VEHICULES`) and homes of household contracts
//! (`BIENS_IMMOBILIERS`).

use std::collections::BTreeSet;

use time::Date;

use super::Value;
use super::calendar::{add_days, add_years};
use super::catalog::VEHICLE_MODELS;
use super::clients::Client;
use super::network::Network;
use super::places::random_city;
use super::rng::Rng;

/// An insured vehicle.
#[derive(Debug, Clone)]
pub(crate) struct Vehicle {
    pub(crate) contract: i64,
    pub(crate) plate: String,
    pub(crate) make: &'static str,
    pub(crate) model: &'static str,
    pub(crate) fuel: &'static str,
    pub(crate) first_registration: Date,
    pub(crate) horsepower: i64,
    pub(crate) value_cents: i64,
    pub(crate) usage: &'static str,
    pub(crate) from: Date,
    pub(crate) until: Option<Date>,
}

impl Vehicle {
    /// Returns the vehicle's row, in `VEHICULES` column order.
    pub(crate) fn row(&self, id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Integer(self.contract),
            Value::text(self.plate.clone()),
            Value::text(self.make),
            Value::text(self.model),
            Value::text(self.fuel),
            Value::Date(self.first_registration),
            Value::Integer(self.horsepower),
            Value::Decimal(self.value_cents),
            Value::text(self.usage),
            Value::Date(self.from),
            Value::opt_date(self.until),
        ]
    }
}

/// An insured home.
#[derive(Debug, Clone)]
pub(crate) struct Home {
    pub(crate) contract: i64,
    pub(crate) address: i64,
    pub(crate) postal_code: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) quality: &'static str,
    pub(crate) rooms: i64,
    pub(crate) surface: i64,
    pub(crate) built: Option<i64>,
    pub(crate) main_residence: bool,
    pub(crate) furniture_cents: i64,
}

impl Home {
    /// Returns the home's row, in `BIENS_IMMOBILIERS` column order.
    pub(crate) fn row(&self, id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Integer(self.contract),
            Value::Integer(self.address),
            Value::text(self.kind),
            Value::text(self.quality),
            Value::Integer(self.rooms),
            Value::Integer(self.surface),
            self.built.map_or(Value::Null, Value::Integer),
            Value::text(if self.main_residence { "O" } else { "N" }),
            Value::Decimal(self.furniture_cents),
        ]
    }
}

/// Letters allowed in French SIV registration plates (I, O and U are never used).
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTVWXYZ";

/// Returns a new, unique SIV registration plate (`AB-123-CD`).
fn plate(rng: &mut Rng, used: &mut BTreeSet<String>) -> String {
    loop {
        let mut letter = || char::from(PLATE_LETTERS[rng.index(PLATE_LETTERS.len())]);
        let (first, second, third, fourth) = (letter(), letter(), letter(), letter());
        let number = rng.between(1, 999);
        let candidate = format!("{first}{second}-{number:03}-{third}{fourth}");
        // SS and WW prefixes are reserved; they never appear on ordinary cars.
        if !matches!((first, second), ('S', 'S') | ('W', 'W')) && used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// Returns a vehicle a client starts insuring on `from`; `utility` asks for a light commercial vehicle.
pub(crate) fn new_vehicle(
    rng: &mut Rng,
    contract: i64,
    from: Date,
    utility: bool,
    plates: &mut BTreeSet<String>,
) -> Vehicle {
    let age_years = rng.weighted(&[((0, 1), 25), ((2, 5), 35), ((6, 10), 28), ((11, 15), 12)]);
    let age_days = rng.between(age_years.0 * 365, age_years.1 * 365 + 364);
    let first_registration = add_days(from, -age_days);
    let year = first_registration.year();
    let eligible: Vec<(usize, u32)> = VEHICLE_MODELS
        .iter()
        .enumerate()
        .filter(|(_, model)| model.utility == utility && model.since <= year)
        .map(|(index, model)| (index, model.weight))
        .collect();
    let model = &VEHICLE_MODELS[rng.weighted(&eligible)];
    // Petrol and diesel dominate the French fleet; electric and hybrid cars are recent and still rare.
    let fuels: Vec<(&'static str, u32)> = model
        .fuels
        .iter()
        .map(|fuel| match *fuel {
            "ES" => (*fuel, 50),
            "GO" => (*fuel, if year < 2018 { 45 } else { 20 }),
            "EH" if year >= 2012 => (*fuel, 10),
            "EL" if year >= 2012 => (*fuel, 4),
            "EE" if year >= 2019 => (*fuel, 4),
            "GP" => (*fuel, 6),
            _ => (*fuel, 0),
        })
        .collect();
    let fuel = if fuels.iter().all(|(_, weight)| *weight == 0) { model.fuels[0] } else { rng.weighted(&fuels) };
    let usage = if utility { "PRO" } else { rng.weighted(&[("PR", 45), ("TR", 45), ("PRO", 10)]) };
    Vehicle {
        contract,
        plate: plate(rng, plates),
        make: model.make,
        model: model.model,
        fuel,
        first_registration,
        horsepower: rng.between(model.horsepower.0, model.horsepower.1),
        value_cents: rng.euros(model.price.0, model.price.1),
        usage,
        from,
        until: None,
    }
}

/// Returns the home insured by a household contract of `quality` (`LOC`, `PRO` or `PNO`) signed in `year`.
pub(crate) fn new_home(
    rng: &mut Rng,
    network: &mut Network,
    client: &Client,
    contract: i64,
    quality: &'static str,
    year: i32,
) -> Home {
    let main_residence = quality != "PNO" && rng.chance(0.9);
    let (address, city) = if main_residence {
        (client.address, client.city)
    } else {
        let city = if rng.chance(0.6) { client.city } else { random_city(rng) };
        (network.new_address(rng, city), city)
    };
    let postal_code = network.addresses[(address - 1) as usize].postal_code;
    let apartment_chance = if quality == "PNO" || city.weight >= 300 { 0.8 } else { 0.45 };
    let kind = if rng.chance(apartment_chance) { "APP" } else { "MAI" };
    let rooms = if kind == "APP" { rng.between(1, 5) } else { rng.between(3, 7) };
    let surface = rooms * rng.between(17, 26) + rng.between(5, 20);
    let built = (!rng.chance(0.05)).then(|| {
        let (from, to) = rng.weighted(&[
            ((1850, 1899), 8),
            ((1900, 1945), 12),
            ((1946, 1970), 20),
            ((1971, 1990), 25),
            ((1991, 2010), 22),
            ((2011, 2023), 13),
        ]);
        rng.between(from, to).min(i64::from(year))
    });
    let furniture_cents = match quality {
        "LOC" => rng.between(8, 40) * 100_000,
        "PRO" => rng.between(15, 90) * 100_000,
        _ => 0,
    };
    Home { contract, address, postal_code, kind, quality, rooms, surface, built, main_residence, furniture_cents }
}

/// Closes the contract's current vehicle on `day` and returns its replacement, insured from `day`.
pub(crate) fn replace_vehicle(
    rng: &mut Rng,
    vehicles: &mut [Vehicle],
    contract: i64,
    day: Date,
    plates: &mut BTreeSet<String>,
) -> Option<(Vehicle, String)> {
    let current = vehicles.iter_mut().rev().find(|vehicle| vehicle.contract == contract && vehicle.until.is_none())?;
    current.until = Some(day);
    let utility =
        current.usage == "PRO" && VEHICLE_MODELS.iter().any(|model| model.utility && model.model == current.model);
    let old = format!("{} {}", current.make, current.model);
    let mut replacement = new_vehicle(rng, contract, day, utility, plates);
    // A replacement car is usually more recent than the one it replaces.
    if replacement.first_registration < add_years(day, -8) {
        replacement.first_registration = add_years(replacement.first_registration, 4).min(day);
    }
    let reason = format!("Remplacement du véhicule {old} par {} {}", replacement.make, replacement.model);
    Some((replacement, reason))
}
