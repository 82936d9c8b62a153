//! A set of ids (cursors, conversation and message ids) that holds about 20 bytes an id.
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

/// Digests in 256 sorted `Vec`s by the digest's low byte (FNV-1a's best mixed: two ids of one
/// length that differ in one byte always differ there). An insert shifts n/512 digests on
/// average (1.5 KB at 50,000 ids) and no `Vec` is ever large, so growing one never needs a
/// second copy of the set: about 20 bytes an id with the `Vec`s' spare room. A set costs
/// nothing until its first insert, then 3 KB for the 256 `Vec`s (a small set, such as a
/// thread's message ids, lives only while its thread is being synced).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdSet(Vec<Vec<u128>>);

impl IdSet {
    pub fn new() -> Self {
        IdSet::default()
    }

    /// `true` when `id` was not in the set yet.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.0.is_empty() {
            self.0 = (0..256).map(|_| Vec::new()).collect();
        }
        let d = digest(id);
        let bucket = &mut self.0[usize::from(d as u8)];
        let Err(at) = bucket.binary_search(&d) else {
            return false;
        };
        bucket.insert(at, d);
        true
    }

    // The sync only inserts; tests look.
    #[cfg(test)]
    pub fn contains(&self, id: &str) -> bool {
        let d = digest(id);
        self.0
            .get(usize::from(d as u8))
            .is_some_and(|b| b.binary_search(&d).is_ok())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
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
        assert_eq!(s.len(), 3);
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
        assert_eq!(s.len(), 50_000);
        assert!((0..50_000).all(|i| s.contains(&id(i))));
        assert!((50_000..60_000).all(|i| !s.contains(&id(i))));
        // 16 bytes an id, give or take the Vecs' spare room; and the digests spread evenly.
        let capacity: usize = s.0.iter().map(Vec::capacity).sum();
        assert!(capacity <= 2 * 50_000, "{capacity}");
        assert!(s.0.iter().all(|b| (100..300).contains(&b.len())));
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
    fn equal_whatever_the_order() {
        let mut a = IdSet::new();
        let mut b = IdSet::new();
        assert_eq!(a, b);
        for i in 0..40 {
            a.insert(&i.to_string());
        }
        for i in (0..40).rev() {
            b.insert(&i.to_string());
        }
        assert_eq!(a, b);
        b.insert("x");
        assert_ne!(a, b);
    }
}
