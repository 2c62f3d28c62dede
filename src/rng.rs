//! A small seeded pseudo-random generator.
//!
//! Kafka draws `segment.jitter.ms` offsets from `ThreadLocalRandom`; scenario
//! `generate` commands need random keys. Both must give the same result for
//! the same script on every machine, so the engine uses SplitMix64 with an
//! explicit seed and never an unseeded source (no `getrandom` in the wasm).

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for
/// picking keys; not for anything secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A Java-like `nextInt()`: 32 random bits as a signed int.
    pub fn next_i32(&mut self) -> i32 {
        (self.next_u64() >> 32) as u32 as i32
    }

    /// Uniform in `0..bound` (bound > 0), by Lemire's multiply-shift, which
    /// has no modulo bias worth speaking of for our bounds.
    pub fn below(&mut self, bound: u64) -> u64 {
        debug_assert!(bound > 0);
        mul_high(self.next_u64(), bound)
    }

    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The high 64 bits of the 128-bit product `a * b`. Natively one multiply;
/// wasm32 has no 128-bit product and calls a library routine for `u128`, so
/// there a `b` that fits a `u32` (every `generate` key bound, one draw per
/// record) takes two 64-bit products inline instead.
#[inline(always)]
fn mul_high(a: u64, b: u64) -> u64 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        ((u128::from(a) * u128::from(b)) >> 64) as u64
    }
    #[cfg(target_arch = "wasm32")]
    {
        match u32::try_from(b) {
            Ok(b) => mul_high_by_u32(a, b),
            Err(_) => ((u128::from(a) * u128::from(b)) >> 64) as u64,
        }
    }
}

/// [`mul_high`] of a `u32`, in two 64-bit products (the bounds `generate`
/// draws keys below fit a `u32`). LLVM turns the four-product form back
/// into a 128-bit multiply, and so into the library call; this one it
/// leaves alone.
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
#[inline(always)]
fn mul_high_by_u32(a: u64, b: u32) -> u64 {
    let b = u64::from(b);
    // (a_hi 2^32 + a_lo) b / 2^64 = (a_hi b + a_lo b / 2^32) / 2^32, floors
    // included; the sum is at most (2^32 - 1)^2 + 2^32 - 1 < 2^64.
    ((a >> 32) * b + (((a & 0xFFFF_FFFF) * b) >> 32)) >> 32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_high_product_by_a_u32_is_the_128_bit_one(a in any::<u64>(), b in any::<u32>()) {
            prop_assert_eq!(mul_high_by_u32(a, b), ((u128::from(a) * u128::from(b)) >> 64) as u64);
        }
    }

    #[test]
    fn the_high_product_by_a_u32_at_the_edges() {
        for a in [0, 1, u64::from(u32::MAX), 1 << 32, u64::MAX - 1, u64::MAX] {
            for b in [0, 1, 10, u32::MAX - 1, u32::MAX] {
                let wide = ((u128::from(a) * u128::from(b)) >> 64) as u64;
                assert_eq!(mul_high_by_u32(a, b), wide, "{a} {b}");
                assert_eq!(mul_high(a, u64::from(b)), wide, "{a} {b}");
            }
        }
    }

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SplitMix64::new(7);
        for bound in [1u64, 2, 3, 10, 1000] {
            for _ in 0..1000 {
                assert!(r.below(bound) < bound);
            }
        }
    }

    #[test]
    fn reference_value_for_seed_zero() {
        // The first output of SplitMix64 seeded with 0 (published reference).
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }
}
