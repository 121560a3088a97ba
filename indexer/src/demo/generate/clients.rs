//! Generates the clients: private persons (with a birth date, a socio-professional category and a family
//! situation) and companies (with a SIREN number and a trade that decides what they buy).

use time::Date;
use time::macros::date;

use super::Value;
use super::calendar::{REFERENCE_DATE, add_days, add_years, random_date_in_year};
use super::names::{
    Trade, company, first_name, landline_phone, legacy_upper, luhn_number, mobile_phone, personal_email, slug, surname,
};
use super::network::Network;
use super::places::{City, random_city, region_of};
use super::rng::Rng;

/// How many clients the warehouse holds.
const CLIENT_COUNT: usize = 5_000;

/// A client (`CLIENTS`).
#[derive(Debug)]
pub(crate) struct Client {
    /// The company's trade; `None` for a private person.
    pub(crate) trade: Option<Trade>,
    pub(crate) birth: Option<Date>,
    pub(crate) created: Date,
    pub(crate) address: i64,
    pub(crate) city: &'static City,
    /// The name written on cheques and transfers (`Jean DUPONT`, `BOULANGERIE MARTIN`).
    pub(crate) display_name: String,
    row: Vec<Value>,
}

impl Client {
    /// Returns the client's row, in `CLIENTS` column order.
    pub(crate) fn row(&self) -> Vec<Value> {
        self.row.clone()
    }

    /// Returns the client's age in whole years on `day`, if the client is a person.
    pub(crate) fn age_on(&self, day: Date) -> Option<i32> {
        self.birth.map(|birth| {
            let had_birthday = (day.month(), day.day()) >= (birth.month(), birth.day());
            day.year() - birth.year() - i32::from(!had_birthday)
        })
    }
}

/// Weights of the year a client entered the company: the portfolio grows over time.
static CREATION_YEARS: [(i32, u32); 11] = [
    (2015, 6),
    (2016, 7),
    (2017, 8),
    (2018, 9),
    (2019, 10),
    (2020, 9),
    (2021, 11),
    (2022, 12),
    (2023, 12),
    (2024, 12),
    (2025, 10),
];

/// Generates the clients, in order of their creation date, adding their addresses to `network`.
pub(crate) fn generate(rng: &mut Rng, network: &mut Network) -> Vec<Client> {
    let mut created: Vec<Date> = (0..CLIENT_COUNT)
        .map(|_| {
            let year = rng.weighted(&CREATION_YEARS);
            random_date_in_year(rng, year).min(date!(2025 - 11 - 30))
        })
        .collect();
    created.sort();
    created
        .into_iter()
        .enumerate()
        .map(|(index, day)| {
            let id = index as i64 + 1;
            if rng.chance(0.07) { company_client(rng, network, id, day) } else { person_client(rng, network, id, day) }
        })
        .collect()
}

fn person_client(rng: &mut Rng, network: &mut Network, id: i64, created: Date) -> Client {
    let city = random_city(rng);
    let address = network.new_address(rng, city);
    let male = rng.chance(0.5);
    let given = first_name(rng, male);
    let family = surname(rng);
    let age = rng.weighted(&[
        ((18, 25), 8),
        ((26, 35), 18),
        ((36, 45), 20),
        ((46, 55), 20),
        ((56, 65), 17),
        ((66, 80), 14),
        ((81, 90), 3),
    ]);
    let age = rng.between(age.0, age.1);
    let birth = add_days(add_years(created, -(age as i32)), -rng.between(0, 364));
    let category = if age >= 63 && rng.chance(0.9) {
        "7"
    } else if age < 23 && rng.chance(0.5) {
        "8"
    } else {
        rng.weighted(&[("1", 1), ("2", 6), ("3", 18), ("4", 24), ("5", 28), ("6", 14), ("8", 9)])
    };
    let family_situation = match (age, rng.below(10)) {
        (_, 0) => None,
        (..=30, digit) if digit < 6 => Some("C"),
        (..=30, _) => Some("P"),
        (71.., digit) if digit < 3 => Some("V"),
        (_, digit) => Some(["M", "M", "M", "C", "P", "D", "M", "D", "C"][digit as usize - 1]),
    };
    let email =
        if rng.chance(if age > 70 { 0.45 } else { 0.8 }) { Some(personal_email(rng, given, family)) } else { None };
    let row = vec![
        Value::Integer(id),
        Value::text(format!("C{:09}", 100_000_000 + id)),
        Value::text("PP"),
        Value::text(if male { "M" } else { "MME" }),
        Value::text(legacy_upper(family)),
        Value::text(given),
        Value::Date(birth),
        Value::opt_text(family_situation),
        Value::text(category),
        Value::Null,
        Value::Integer(address),
        if rng.chance(0.85) { Value::text(mobile_phone(rng)) } else { Value::Null },
        Value::opt_text(email),
        Value::Integer(network.agency_for(rng, city.departement, REFERENCE_DATE)),
        Value::Date(created),
        Value::text(if rng.chance(0.35) { "O" } else { "N" }),
    ];
    Client {
        trade: None,
        birth: Some(birth),
        created,
        address,
        city,
        display_name: format!("{given} {}", legacy_upper(family)),
        row,
    }
}

fn company_client(rng: &mut Rng, network: &mut Network, id: i64, created: Date) -> Client {
    let city = random_city(rng);
    let address = network.new_address(rng, city);
    let (trade, name) = company(rng);
    let phone = if rng.chance(0.6) { landline_phone(rng, region_of(city.departement)) } else { mobile_phone(rng) };
    let email = rng.chance(0.7).then(|| format!("contact@{}.fr", slug(&name)));
    let row = vec![
        Value::Integer(id),
        Value::text(format!("C{:09}", 100_000_000 + id)),
        Value::text("PM"),
        Value::Null,
        Value::text(name.clone()),
        Value::Null,
        Value::Null,
        Value::Null,
        Value::Null,
        Value::text(luhn_number(rng, 9)),
        Value::Integer(address),
        Value::text(phone),
        Value::opt_text(email),
        Value::Integer(network.agency_for(rng, city.departement, REFERENCE_DATE)),
        Value::Date(created),
        Value::text(if rng.chance(0.5) { "O" } else { "N" }),
    ];
    Client { trade: Some(trade), birth: None, created, address, city, display_name: name, row }
}
