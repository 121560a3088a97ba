//! Login throttling: after repeated failures, a user name (from one address) and an address (for any user name)
//! are refused for a while, before the password is even checked.
//!
//! In memory: a restart forgets the counts, and each replica counts its own (the audit log keeps every failure).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures counted within this window.
const WINDOW: Duration = Duration::from_secs(300);
/// Failures allowed per user name and address within the window.
const PER_ACCOUNT: usize = 5;
/// Failures allowed per address (any user name) within the window.
const PER_ADDRESS: usize = 20;

/// Failure times per key.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    /// Returns how long to wait when `username` from `address` must be refused now.
    pub fn check(&self, username: &str, address: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().ok()?;
        [(account_key(username, address), PER_ACCOUNT), (address_key(address), PER_ADDRESS)].into_iter().find_map(
            |(key, limit)| {
                let times = failures.get_mut(&key)?;
                while times.front().is_some_and(|time| now.duration_since(*time) > WINDOW) {
                    times.pop_front();
                }
                let oldest = *times.front()?;
                (times.len() >= limit).then(|| WINDOW.saturating_sub(now.duration_since(oldest)))
            },
        )
    }

    /// Records a failed attempt.
    pub fn failed(&self, username: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        if let Ok(mut failures) = self.failures.lock() {
            if failures.len() > 100_000 {
                failures.retain(|_, times| times.back().is_some_and(|time| now.duration_since(*time) <= WINDOW));
            }
            for key in [account_key(username, address), address_key(address)] {
                failures.entry(key).or_default().push_back(now);
            }
        }
    }

    /// Forgets an account's failures after a successful login.
    pub fn succeeded(&self, username: &str, address: Option<IpAddr>) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&account_key(username, address));
        }
    }
}

fn account_key(username: &str, address: Option<IpAddr>) -> String {
    format!("user:{}@{}", username.trim().to_lowercase(), address.map(|ip| ip.to_string()).unwrap_or_default())
}

fn address_key(address: Option<IpAddr>) -> String {
    format!("ip:{}", address.map(|ip| ip.to_string()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_refused_after_five_failures_and_freed_by_a_success() {
        let throttle = LoginThrottle::default();
        let address = Some(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..PER_ACCOUNT {
            assert!(throttle.check("Alice", address).is_none());
            throttle.failed("alice", address);
        }
        let wait = throttle.check("ALICE", address).expect("refused");
        assert!(wait <= WINDOW && wait > Duration::from_secs(200));
        assert!(throttle.check("bob", address).is_none(), "another account from the same address");
        throttle.succeeded("alice", address);
        assert!(throttle.check("alice", address).is_none());
    }

    #[test]
    fn an_address_trying_many_names_is_refused() {
        let throttle = LoginThrottle::default();
        let address = Some(IpAddr::from([10, 0, 0, 2]));
        for attempt in 0..PER_ADDRESS {
            throttle.failed(&format!("user{attempt}"), address);
        }
        assert!(throttle.check("someone-new", address).is_some());
        assert!(throttle.check("someone-new", Some(IpAddr::from([10, 0, 0, 3]))).is_none());
    }
}
