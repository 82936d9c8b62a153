//! A set of ids (cursors, conversation and message ids) that holds 16 bytes an id.
//!
//! A sync remembers every conversation id it has yielded, so what it holds grows with the
//! inbox: kept as strings in a map, an id cost about 90 bytes of wasm memory (measured: +3.2 MB
//! from 8,817 to 43,792 threads). Here each id is kept as its 128-bit FNV-1a digest, in plain
//! sorted `Vec`s (no new map or hasher in the wasm: see "The size budget" in ARCHITECTURE.md).
//!
//! A digest collision would make the set claim an id it never saw, and a sync would skip that
//! thread. Taking the digests of distinct ids as random 128-bit values, the chance that any two
//! of n ids collide is at most n²/2¹²⁹: 4·10⁻³⁰ for 50,000 threads, 1.5·10⁻²⁷ for a million,
//! 1.5·10⁻²¹ for a billion. FNV is not collision resistant against someone who picks the ids on
//! purpose; Graph assigns them, so nobody does. The set cannot list its ids: a checkpoint, which
//! needs them, keeps its own (`core::sync`).

/// FNV-1a, 128-bit (offset basis and prime from the FNV specification).
fn digest(id: &str) -> u128 {
    const PRIME: u128 = (1 << 88) + 0x13b;
    id.bytes()
        .fold(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d, |h, b| {
            (h ^ u128::from(b)).wrapping_mul(PRIME)
        })
}

/// Digests in two sorted runs: `recent` takes inserts (a short shift each) and is merged into
/// `old` once it holds more than about √(old) of them, so an insert costs O(√n) moves and a
/// lookup two binary searches.
#[derive(Debug, Clone, Default)]
pub struct IdSet {
    old: Vec<u128>,
    recent: Vec<u128>,
}

impl IdSet {
    pub fn new() -> Self {
        IdSet::default()
    }

    /// `true` when `id` was not in the set yet.
    pub fn insert(&mut self, id: &str) -> bool {
        let d = digest(id);
        if self.old.binary_search(&d).is_ok() {
            return false;
        }
        let Err(at) = self.recent.binary_search(&d) else {
            return false;
        };
        self.recent.insert(at, d);
        if self.recent.len() * self.recent.len() > self.old.len() {
            self.merge();
        }
        true
    }

    // The sync only inserts; tests look.
    #[cfg(test)]
    pub fn contains(&self, id: &str) -> bool {
        let d = digest(id);
        self.old.binary_search(&d).is_ok() || self.recent.binary_search(&d).is_ok()
    }

    /// Moves `recent` into `old`, merging from the back in place (no second copy of `old`).
    fn merge(&mut self) {
        let (mut i, mut j) = (self.old.len(), self.recent.len());
        self.old.extend_from_slice(&self.recent);
        while j > 0 {
            let k = i + j - 1;
            if i > 0 && self.old[i - 1] > self.recent[j - 1] {
                i -= 1;
                self.old[k] = self.old[i];
            } else {
                j -= 1;
                self.old[k] = self.recent[j];
            }
        }
        self.recent.clear();
    }
}

/// Equal when they hold the same ids, however they are split between the two runs.
impl PartialEq for IdSet {
    fn eq(&self, other: &Self) -> bool {
        let all = |s: &IdSet| {
            let mut s = s.clone();
            s.merge();
            s.old
        };
        all(self) == all(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_set() {
        let mut s = IdSet::new();
        assert!(s.insert("b"));
        assert!(s.insert("a"));
        assert!(!s.insert("a"));
        assert!(!s.insert("b"));
        assert!(s.contains("a") && s.contains("b") && !s.contains("c"));
        assert!(!s.contains("") && s.insert("") && s.contains(""));
        assert_eq!(s.old.len() + s.recent.len(), 3);
    }

    #[test]
    fn holds_many_ids_and_their_duplicates() {
        let id = |i: u32| format!("aWdfVQqvMWRm{i:08}");
        let mut s = IdSet::new();
        for i in 0..50_000 {
            assert!(s.insert(&id(i)), "{i} new");
            // Every tenth id comes again at once, every hundredth much later.
            if i % 10 == 0 {
                assert!(!s.insert(&id(i)));
            }
            if i % 100 == 99 {
                assert!(!s.insert(&id(i / 2)));
            }
        }
        assert_eq!(s.old.len() + s.recent.len(), 50_000);
        assert!((0..50_000).all(|i| s.contains(&id(i))));
        assert!((50_000..60_000).all(|i| !s.contains(&id(i))));
        // 16 bytes an id, give or take the Vec's spare capacity.
        assert!(s.old.capacity() + s.recent.capacity() <= 2 * 65_536);
    }

    #[test]
    fn ids_that_differ_little_have_different_digests() {
        // Same prefix, one byte apart, a byte moved, a prefix of another: all distinct.
        let ids = [
            "t_1", "t_2", "t_12", "t_21", "t_1\0", "t_", "aWdf", "aWdg", "bWdf",
        ];
        let mut digests: Vec<u128> = ids.iter().map(|i| digest(i)).collect();
        digests.sort();
        digests.dedup();
        assert_eq!(digests.len(), ids.len());
    }

    #[test]
    fn equal_whatever_the_split() {
        let mut a = IdSet::new();
        let mut b = IdSet::new();
        for i in 0..40 {
            a.insert(&i.to_string());
        }
        for i in (0..40).rev() {
            b.insert(&i.to_string());
        }
        b.merge();
        assert_eq!(a, b);
        b.insert("x");
        assert_ne!(a, b);
    }
}
