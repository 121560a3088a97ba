//! Generates the premium notices (`QUITTANCES`) of every contract, one per insurance year, and the payments
//! received for them (`ENCAISSEMENTS`), including rejected direct debits and unpaid notices. Split payments
//! (half-yearly, quarterly, monthly) are recorded as one cumulative payment per notice, as the accounting
//! system reconciles them.

use time::Date;

use super::Value;
use super::calendar::{REFERENCE_DATE, add_days, add_months, add_years, days_between};
use super::contracts::{Contract, Portfolio, tax_of};
use super::rng::Rng;

/// A payment received (or rejected) for a notice.
#[derive(Debug, Clone)]
pub(crate) struct Payment {
    pub(crate) day: Date,
    pub(crate) amount_cents: i64,
    pub(crate) mode: &'static str,
    pub(crate) status: &'static str,
    pub(crate) reference: Option<String>,
}

/// A premium notice and its payments.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) contract: i64,
    pub(crate) issued: Date,
    pub(crate) period_start: Date,
    pub(crate) period_end: Date,
    pub(crate) due: Date,
    pub(crate) premium_cents: i64,
    pub(crate) tax_cents: i64,
    pub(crate) commission_cents: Option<i64>,
    pub(crate) status: &'static str,
    pub(crate) payments: Vec<Payment>,
}

impl Notice {
    /// Returns the notice's row, in `QUITTANCES` column order.
    pub(crate) fn row(&self, id: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::text(format!("Q{}{:08}", self.issued.year(), id * 3 + 11)),
            Value::Integer(self.contract),
            Value::Date(self.issued),
            Value::Date(self.period_start),
            Value::Date(self.period_end),
            Value::Date(self.due),
            Value::Decimal(self.premium_cents),
            Value::Decimal(self.tax_cents),
            Value::Decimal(self.premium_cents + self.tax_cents),
            self.commission_cents.map_or(Value::Null, Value::Decimal),
            Value::text(self.status),
        ]
    }

    /// Returns the payment's row, in `ENCAISSEMENTS` column order.
    pub(crate) fn payment_row(payment: &Payment, id: i64, notice: i64) -> Vec<Value> {
        vec![
            Value::Integer(id),
            Value::Integer(notice),
            Value::Date(payment.day),
            Value::Decimal(payment.amount_cents),
            Value::text(payment.mode),
            Value::text(payment.status),
            Value::opt_text(payment.reference.clone()),
        ]
    }
}

/// Generates the notices of every contract, sorted by issue date.
pub(crate) fn generate(rng: &mut Rng, portfolio: &Portfolio) -> Vec<Notice> {
    let mut notices = Vec::new();
    for contract in &portfolio.contracts {
        contract_notices(rng, contract, &mut notices);
    }
    notices.sort_by_key(|notice| (notice.issued, notice.contract, notice.period_start));
    notices
}

/// Issues one notice per insurance year (anniversary to anniversary), the last one cut at the termination date.
fn contract_notices(rng: &mut Rng, contract: &Contract, notices: &mut Vec<Notice>) {
    let still_running = contract.status == "EC" && contract.cover_end == REFERENCE_DATE;
    // The renewal notice of a year starting early next year is already issued at the reference date.
    let last_start = if still_running { add_days(REFERENCE_DATE, 30) } else { contract.cover_end };
    let mut year = 0;
    loop {
        let anniversary = add_years(contract.effective, year);
        let full_end = add_days(add_years(contract.effective, year + 1), -1);
        year += 1;
        if anniversary > last_start {
            break;
        }
        // A year starting during a suspension is billed from the reinstatement on.
        let start = contract
            .suspensions
            .iter()
            .find(|(from, until)| *from <= anniversary && until.is_some_and(|until| anniversary <= until))
            .and_then(|(_, until)| *until)
            .map_or(anniversary, |until| add_days(until, 1));
        let end = if contract.status == "RS" { full_end.min(contract.cover_end) } else { full_end };
        if start > end {
            continue;
        }
        let issued = add_days(start, -30).max(contract.signed);
        let annual = contract.premium_on(start);
        let premium_cents = if (start, end) == (anniversary, full_end) {
            annual
        } else {
            annual * (days_between(start, end) + 1) / (days_between(anniversary, full_end) + 1)
        };
        let tax_cents = tax_of(premium_cents, contract.product.tax_basis_points);
        let mut notice = Notice {
            contract: contract.id,
            issued,
            period_start: start,
            period_end: end,
            due: start,
            premium_cents,
            tax_cents,
            // Rounded to the cent, half up (premiums are positive), as the documents say.
            commission_cents: contract.broker.map(|(_, rate)| (premium_cents * rate + 5_000) / 10_000),
            status: "EM",
            payments: Vec::new(),
        };
        if contract.status == "AN" {
            notice.status = "AN";
            notices.push(notice);
            break;
        }
        let unpaid = contract.termination_reason == Some("NPP")
            && contract.terminated.is_some_and(|terminated| days_between(start, terminated) <= 365);
        settle(rng, contract, &mut notice, unpaid, notices);
        notices.push(notice);
    }
}

/// Returns the days on which the installments of a notice fall due, within its period: one for annual
/// payment, two, four or twelve for split payment.
fn installments(contract: &Contract, notice: &Notice) -> Vec<Date> {
    let months = match contract.periodicity {
        "M" => 1,
        "T" => 3,
        "S" => 6,
        _ => 12,
    };
    (0..12 / months)
        .map(|index| add_months(notice.period_start, index * months))
        .take_while(|day| *day <= notice.period_end)
        .collect()
}

/// Decides the notice's status at the reference date and records its payments. Installments of a split
/// payment are recorded as one cumulative payment per notice. A notice cancelled and reissued pushes its
/// replacement to `notices`.
fn settle(rng: &mut Rng, contract: &Contract, notice: &mut Notice, unpaid: bool, notices: &mut Vec<Notice>) {
    let total = notice.premium_cents + notice.tax_cents;
    let mode = contract.payment;
    let schedule = installments(contract, notice);
    let installment = total / schedule.len().max(1) as i64;
    let fallen_due: Vec<Date> = schedule.iter().copied().filter(|day| *day <= REFERENCE_DATE).collect();
    if fallen_due.is_empty() {
        return;
    }
    if unpaid {
        // Unpaid premiums lead to the termination: some installments were paid, then a debit bounced.
        let paid = rng.below(fallen_due.len() as u64) as usize;
        if paid > 0 {
            notice.payments.push(payment(rng, fallen_due[paid - 1], installment * paid as i64, mode, "VAL"));
        }
        if mode == "PRL" {
            notice.payments.push(payment(rng, fallen_due[paid], installment, "PRL", "REJ"));
        }
        notice.status = "IM";
        return;
    }
    let draw = rng.unit();
    if draw < 0.01 {
        // Cancelled and reissued (wrong amount, late endorsement): the replacement carries the payment.
        notice.status = "AN";
        let mut replacement = notice.clone();
        replacement.issued = add_days(notice.issued, rng.between(5, 20)).min(REFERENCE_DATE);
        replacement.status = "EM";
        settle(rng, contract, &mut replacement, false, notices);
        notices.push(replacement);
        return;
    }
    let overdue = days_between(notice.due, REFERENCE_DATE);
    if schedule.len() == 1 && overdue <= 20 && rng.chance(0.3) {
        return;
    }
    if draw < 0.02 + if overdue <= 120 { 0.03 } else { 0.0 } {
        notice.status = "IM";
        if mode == "PRL" {
            notice.payments.push(payment(rng, notice.due, installment, "PRL", "REJ"));
        }
        return;
    }
    if schedule.len() > 1 {
        let last = *fallen_due.last().expect("BUG: checked non-empty above");
        if mode == "PRL" && rng.chance(0.03) {
            // One direct debit bounced before being presented again.
            let bounced = rng.pick(&fallen_due);
            notice.payments.push(payment(rng, bounced, installment, "PRL", "REJ"));
        }
        let paid = if fallen_due.len() == schedule.len() { total } else { installment * fallen_due.len() as i64 };
        notice.payments.push(payment(rng, last, paid, mode, "VAL"));
        notice.status = if paid == total { "SO" } else { "PP" };
        return;
    }
    if draw < 0.07 {
        let partial = (total as f64 * (0.3 + rng.unit() * 0.4)).round() as i64;
        let day = add_days(notice.due, rng.between(0, 20)).min(REFERENCE_DATE);
        notice.payments.push(payment(rng, day, partial, mode, "VAL"));
        notice.status = "PP";
        return;
    }
    let delay = match mode {
        "PRL" => 0,
        "CB" => rng.between(-10, 2),
        "VIR" => rng.between(-5, 15),
        _ => rng.between(3, 25),
    };
    let day = add_days(notice.due, delay).max(notice.issued);
    if day > REFERENCE_DATE {
        return;
    }
    if mode == "PRL" && rng.chance(0.02) {
        // A rejected direct debit, paid later by cheque or transfer.
        notice.payments.push(payment(rng, day, total, "PRL", "REJ"));
        let retry = add_days(day, rng.between(10, 30));
        if retry > REFERENCE_DATE {
            notice.status = "IM";
            return;
        }
        let retry_mode = if rng.chance(0.5) { "CHQ" } else { "VIR" };
        notice.payments.push(payment(rng, retry, total, retry_mode, "VAL"));
    } else if mode != "PRL" && rng.chance(0.03) {
        let first = (total as f64 * (0.5 + rng.unit() * 0.3)).round() as i64;
        let second_day = add_days(day, rng.between(15, 45)).min(REFERENCE_DATE);
        notice.payments.push(payment(rng, day, first, mode, "VAL"));
        notice.payments.push(payment(rng, second_day, total - first, mode, "VAL"));
    } else {
        notice.payments.push(payment(rng, day, total, mode, "VAL"));
    }
    notice.status = "SO";
}

/// Returns a payment with a reference in the format of its mode.
fn payment(rng: &mut Rng, day: Date, amount_cents: i64, mode: &'static str, status: &'static str) -> Payment {
    let date = format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day());
    let reference = match mode {
        "CHQ" => Some(rng.digits(7)),
        "VIR" => Some(format!("VIR{date}{}", rng.digits(6))),
        "PRL" => Some(format!("SEPA-{date}-{}", rng.digits(10))),
        _ if rng.chance(0.9) => Some(format!("CB{}", rng.digits(12))),
        _ => None,
    };
    Payment { day, amount_cents, mode, status, reference }
}
