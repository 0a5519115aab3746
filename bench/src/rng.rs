//! A small deterministic random number generator (SplitMix64), so that one seed gives the same
//! data set on every machine and with every version of the `rand` crate.

#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Derives an independent generator for item `index` of a stream, so that a task's history
    /// does not depend on how many random numbers earlier tasks drew.
    pub fn fork(seed: u64, stream: u64, index: u64) -> Self {
        let mut base = Self::new(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mixed = base.next_u64() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Self::new(mixed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..high`; `low` when the range is empty.
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.next_u64() % (high - low)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.range(0, items.len() as u64)).unwrap_or(0);
        &items[index]
    }
}
