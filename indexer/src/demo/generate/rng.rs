//! A small deterministic pseudo-random generator (SplitMix64), so the demo data is the same on every machine and
//! with every dependency version. It is not suitable for anything but test data.
//!
//! The logarithm and exponential used to shape draws are computed here with plain arithmetic rather than the
//! platform's math library, whose last-bit results may differ between systems and would change the data.

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// Returns a generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Returns an independent generator for one part of the data set, so changing how one table is generated
    /// does not reshuffle the others.
    pub(crate) fn fork(&self, label: &str) -> Self {
        // FNV-1a over the label, mixed with this generator's seed.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in label.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut forked = Self::new(self.state ^ hash);
        forked.next_u64();
        forked
    }

    /// Returns the next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut mixed = self.state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^ (mixed >> 31)
    }

    /// Returns a number in `0..bound` (`bound` must not be zero).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        // Multiply-shift keeps the bias negligible for the small bounds used here.
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// Returns an index into a slice of length `length` (`length` must not be zero).
    pub(crate) fn index(&mut self, length: usize) -> usize {
        self.below(length as u64) as usize
    }

    /// Returns a number in `low..=high`.
    pub(crate) fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        low + self.below((high - low) as u64 + 1) as i64
    }

    /// Returns a float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Returns true with probability `probability`.
    pub(crate) fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// Returns (a copy of) one element of a non-empty slice, uniformly.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Returns (a copy of) one item of a non-empty slice of `(item, weight)` pairs, with probability
    /// proportional to its weight.
    pub(crate) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, weight)| u64::from(*weight)).sum();
        let mut target = self.below(total.max(1));
        for (item, weight) in items {
            if target < u64::from(*weight) {
                return *item;
            }
            target -= u64::from(*weight);
        }
        items[items.len() - 1].0
    }

    /// Returns a value between `low` and `high` spread on a log scale, so small values are more common than
    /// large ones (claim costs, vehicle values).
    pub(crate) fn log_between(&mut self, low: f64, high: f64) -> f64 {
        low * exp(self.unit() * ln(high / low))
    }

    /// Returns an amount in cents between `low` and `high` euros, on a log scale.
    pub(crate) fn euros(&mut self, low: f64, high: f64) -> i64 {
        (self.log_between(low, high) * 100.0).round() as i64
    }

    /// Returns a string of `count` decimal digits.
    pub(crate) fn digits(&mut self, count: usize) -> String {
        (0..count).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

/// Returns the natural logarithm of a positive finite `x`, with plain arithmetic (see the module documentation).
pub(crate) fn ln(x: f64) -> f64 {
    // x = m · 2^e with m in [1, 2); ln(m) = 2 atanh(z) with z = (m - 1) / (m + 1) <= 1/3, a fast series.
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let z = (mantissa - 1.0) / (mantissa + 1.0);
    let z_squared = z * z;
    let mut term = z;
    let mut series = 0.0;
    for power in (1..40).step_by(2) {
        series += term / power as f64;
        term *= z_squared;
    }
    exponent as f64 * std::f64::consts::LN_2 + 2.0 * series
}

/// Returns e raised to `x` (for |x| below about 700), with plain arithmetic (see the module documentation).
pub(crate) fn exp(x: f64) -> f64 {
    // e^x = 2^k · e^r with |r| <= ln(2) / 2, where the Taylor series converges quickly.
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut series = 1.0;
    for n in 1..25 {
        term *= r / n as f64;
        series += term;
    }
    series * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_forks_differ() {
        let mut first = Rng::new(42);
        let mut second = Rng::new(42);
        let drawn: Vec<u64> = (0..5).map(|_| first.next_u64()).collect();
        assert_eq!(drawn, (0..5).map(|_| second.next_u64()).collect::<Vec<_>>());
        assert_ne!(Rng::new(42).fork("a").next_u64(), Rng::new(42).fork("b").next_u64());
    }

    #[test]
    fn the_portable_logarithm_and_exponential_match_the_math_library() {
        for x in [1e-9, 0.001, 0.3, 1.0, 1.5, 2.0, 10.0, 365.0, 123_456.789] {
            assert!((ln(x) - x.ln()).abs() <= 1e-12 * x.ln().abs().max(1.0), "ln({x})");
        }
        for x in [-20.0, -1.0, -0.1, 0.0, 0.5, 1.0, 3.3, 12.0] {
            assert!((exp(x) - x.exp()).abs() <= 1e-12 * x.exp(), "exp({x})");
        }
    }

    #[test]
    fn bounded_draws_stay_in_range() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            assert!(rng.below(3) < 3);
            assert!((5..=9).contains(&rng.between(5, 9)));
            let unit = rng.unit();
            assert!((0.0..1.0).contains(&unit));
            assert!(rng.weighted(&[("a", 1), ("b", 0), ("c", 2)]) != "b");
        }
    }
}
