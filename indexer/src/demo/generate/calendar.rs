//! Date helpers for the generator: the data set's time window and calendar arithmetic on `time::Date`.

use time::macros::date;
use time::{Date, Duration, Month};

use super::rng::Rng;

/// The date at which the demo data is frozen (« date d'arrêté »): nothing happens after it.
pub(crate) const REFERENCE_DATE: Date = date!(2025 - 12 - 31);

/// Returns `day` moved by `days` days.
pub(crate) fn add_days(day: Date, days: i64) -> Date {
    day.checked_add(Duration::days(days)).expect("BUG: demo dates stay far from the calendar's limits")
}

/// Returns `day` moved by `months` months, clamped to the end of shorter months (31 January + 1 month gives
/// 28 or 29 February).
pub(crate) fn add_months(day: Date, months: i32) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months;
    let year = index.div_euclid(12);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("BUG: a month index is in 1..=12");
    let last_day = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last_day)).expect("BUG: a clamped day is valid")
}

/// Returns `day` moved by `years` years (29 February becomes 28 February in common years).
pub(crate) fn add_years(day: Date, years: i32) -> Date {
    add_months(day, years * 12)
}

/// Returns the number of days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    i64::from(to.to_julian_day() - from.to_julian_day())
}

/// Returns a date in `low..=high`, uniformly (or `low` when the range is empty).
pub(crate) fn random_date(rng: &mut Rng, low: Date, high: Date) -> Date {
    add_days(low, rng.between(0, days_between(low, high)))
}

/// Returns a date in the given year, uniformly, never after the reference date.
pub(crate) fn random_date_in_year(rng: &mut Rng, year: i32) -> Date {
    let first = Date::from_calendar_date(year, Month::January, 1).expect("BUG: 1 January exists");
    let last = Date::from_calendar_date(year, Month::December, 31).expect("BUG: 31 December exists");
    random_date(rng, first, last.min(REFERENCE_DATE))
}

/// Returns the premium indexation rate applied at anniversaries falling in `year`, in percent.
pub(crate) fn indexation_rate(year: i32) -> f64 {
    match year {
        ..=2016 => 1.0,
        2017 => 1.2,
        2018 => 1.5,
        2019 => 1.8,
        2020 => 1.5,
        2021 => 1.2,
        2022 => 3.0,
        2023 => 6.5,
        2024 => 5.0,
        _ => 3.5,
    }
}

/// Returns `day` as `YYYY-MM-DD`, the text form SQLite stores.
pub(crate) fn iso(day: Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_months_clamps_to_the_end_of_the_month() {
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2023 - 11 - 15), 3), date!(2024 - 02 - 15));
        assert_eq!(add_months(date!(2023 - 03 - 31), -1), date!(2023 - 02 - 28));
        assert_eq!(add_years(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 28));
        assert_eq!(days_between(date!(2025 - 01 - 01), date!(2025 - 12 - 31)), 364);
        assert_eq!(iso(date!(2025 - 03 - 07)), "2025-03-07");
    }
}
