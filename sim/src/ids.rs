//! Deterministic hashing, and the codecs for object IDs and paging cursors.
//!
//! Every ID carries the indices it names plus a tag derived from the seed, so the simulator
//! can turn an ID back into "thread i" or "message j of thread i" without storing anything,
//! and an ID from another seed (or a made-up one) is simply unknown.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Which inbox an object lives in. The Page's Instagram inbox and the Instagram account's
/// inbox are the same threads, reached with different tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Inbox {
    Messenger,
    Instagram,
}

impl Inbox {
    #[cfg(test)]
    pub const ALL: [Inbox; 2] = [Inbox::Messenger, Inbox::Instagram];

    pub fn name(self) -> &'static str {
        match self {
            Inbox::Messenger => "messenger",
            Inbox::Instagram => "instagram",
        }
    }

    pub fn slot(self) -> usize {
        self as usize
    }

    fn code(self) -> u64 {
        self as u64 + 1
    }
}

/// SplitMix64's finaliser: a cheap, well-mixed 64-bit permutation.
pub fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hashes a sequence of words; the same words always give the same value on every platform.
pub fn hash(parts: &[u64]) -> u64 {
    extend(0x9e37_79b9_7f4a_7c15, parts.iter().copied())
}

/// Continues a hash: `extend(hash(a), b) == hash(a ++ b)`, without building `a ++ b`.
pub fn extend(h: u64, parts: impl IntoIterator<Item = u64>) -> u64 {
    parts
        .into_iter()
        .fold(h, |h, p| mix(h ^ p.wrapping_mul(0xd6e8_feb8_6659_fd93)))
}

/// Maps a hash to [0, 1), for comparing against a rate or a probability.
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

const THREAD: u64 = 0x7468;
const MESSAGE: u64 = 0x6d73;
const CURSOR: u64 = 0x6375;

/// One account's inbox of one platform. `page` 0 is the fixed Page (whose Instagram inbox is
/// also the Instagram Login account's); `page` k ≥ 1 is extra Page k (`--pages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox {
    pub page: u32,
    pub inbox: Inbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreadRef {
    pub page: u32,
    pub inbox: Inbox,
    pub index: u32,
}

impl ThreadRef {
    pub fn new(mailbox: Mailbox, index: u32) -> Self {
        Self {
            page: mailbox.page,
            inbox: mailbox.inbox,
            index,
        }
    }

    pub fn mailbox(self) -> Mailbox {
        Mailbox {
            page: self.page,
            inbox: self.inbox,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageRef {
    pub thread: ThreadRef,
    /// 0 is the oldest message of the thread.
    pub index: u32,
}

/// Encodes and decodes IDs and cursors for one seed.
#[derive(Debug, Clone, Copy)]
pub struct Codec {
    seed: u64,
}

const IG_THREAD_PREFIX: &[u8] = b"ig_";
const IG_MESSAGE_PREFIX: &[u8] = b"igID:";
/// Real Graph cursors are base64 and start `QVFIU`, which is what these bytes encode to.
const CURSOR_PREFIX: &[u8] = b"AQHS";

impl Codec {
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    fn tag(&self, domain: u64, plain: &[u8]) -> [u8; 4] {
        let h = extend(
            hash(&[self.seed, domain]),
            plain.iter().map(|&b| u64::from(b)),
        );
        (h as u32).to_be_bytes()
    }

    fn keystream(&self, domain: u64, tag: &[u8], data: &mut [u8]) {
        let t = u64::from(u32::from_be_bytes(tag.try_into().unwrap_or_default()));
        for (i, chunk) in data.chunks_mut(8).enumerate() {
            let ks = hash(&[self.seed, domain, t, i as u64]).to_be_bytes();
            chunk.iter_mut().zip(ks).for_each(|(b, k)| *b ^= k);
        }
    }

    /// `tag ++ (plain XOR keystream(tag))`: every ID and cursor looks random, and only this
    /// seed's codec can open it (the tag is checked after decoding).
    fn seal(&self, domain: u64, plain: &[u8]) -> Vec<u8> {
        let tag = self.tag(domain, plain);
        let mut body = plain.to_vec();
        self.keystream(domain, &tag, &mut body);
        [&tag[..], &body].concat()
    }

    fn open(&self, domain: u64, sealed: &[u8]) -> Option<Vec<u8>> {
        let (tag, body) = sealed.split_at_checked(4)?;
        let mut plain = body.to_vec();
        self.keystream(domain, tag, &mut plain);
        (self.tag(domain, &plain) == tag).then_some(plain)
    }

    pub fn thread_id(&self, t: ThreadRef) -> String {
        let sealed = self.seal(THREAD + t.inbox.code(), &words(t.page, &[t.index]));
        match t.inbox {
            Inbox::Messenger => format!("t_{}", URL_SAFE_NO_PAD.encode(sealed)),
            Inbox::Instagram => URL_SAFE_NO_PAD.encode([IG_THREAD_PREFIX, &sealed].concat()),
        }
    }

    pub fn message_id(&self, m: MessageRef) -> String {
        let inbox = m.thread.inbox;
        let plain = words(m.thread.page, &[m.thread.index, m.index]);
        let sealed = self.seal(MESSAGE + inbox.code(), &plain);
        match inbox {
            Inbox::Messenger => format!("m_{}", URL_SAFE_NO_PAD.encode(sealed)),
            Inbox::Instagram => URL_SAFE_NO_PAD.encode([IG_MESSAGE_PREFIX, &sealed].concat()),
        }
    }

    pub fn parse_thread(&self, id: &str) -> Option<ThreadRef> {
        let (inbox, sealed) = match id.strip_prefix("t_") {
            Some(rest) => (Inbox::Messenger, decode(rest, b"")?),
            None => (Inbox::Instagram, decode(id, IG_THREAD_PREFIX)?),
        };
        let (page, [index]) = unwords::<1>(&self.open(THREAD + inbox.code(), &sealed)?)?;
        Some(ThreadRef { page, inbox, index })
    }

    pub fn parse_message(&self, id: &str) -> Option<MessageRef> {
        let (inbox, sealed) = match id.strip_prefix("m_") {
            Some(rest) => (Inbox::Messenger, decode(rest, b"")?),
            None => (Inbox::Instagram, decode(id, IG_MESSAGE_PREFIX)?),
        };
        let (page, [thread, index]) = unwords::<2>(&self.open(MESSAGE + inbox.code(), &sealed)?)?;
        Some(MessageRef {
            thread: ThreadRef {
                page,
                inbox,
                index: thread,
            },
            index,
        })
    }

    /// A cursor naming a position in a list: `scope` says which list (an inbox, or one
    /// thread's messages), `key` and `index` the item's sort key.
    pub fn cursor(&self, scope: u64, key: i64, index: u32) -> String {
        let plain = [&key.to_be_bytes()[..], &index.to_be_bytes()].concat();
        let sealed = self.seal(CURSOR ^ (scope << 16), &plain);
        URL_SAFE_NO_PAD.encode([CURSOR_PREFIX, &sealed].concat())
    }

    /// The `(key, index)` a cursor of this `scope` names, or None when it is not one.
    pub fn parse_cursor(&self, scope: u64, cursor: &str) -> Option<(i64, u32)> {
        let plain = self.open(CURSOR ^ (scope << 16), &decode(cursor, CURSOR_PREFIX)?)?;
        let (key, index) = plain.split_at_checked(8)?;
        let (0, [index]) = unwords::<1>(index)? else {
            return None;
        };
        Some((i64::from_be_bytes(key.try_into().ok()?), index))
    }
}

/// The words of an ID, led by the page when it is an extra Page's: the fixed accounts' IDs
/// keep the bytes they had before extra Pages existed.
fn words(page: u32, ws: &[u32]) -> Vec<u8> {
    let lead = (page != 0).then_some(page);
    lead.iter()
        .chain(ws)
        .flat_map(|w| w.to_be_bytes())
        .collect()
}

/// `(page, words)`: N words for the fixed accounts, N + 1 (page first) for an extra Page.
fn unwords<const N: usize>(bytes: &[u8]) -> Option<(u32, [u32; N])> {
    let word = |chunk: &[u8]| chunk.try_into().ok().map(u32::from_be_bytes);
    let (page, rest) = match bytes.len() {
        n if n == N * 4 => (0, bytes),
        n if n == N * 4 + 4 => (word(&bytes[..4]).filter(|&p| p != 0)?, &bytes[4..]),
        _ => return None,
    };
    let mut out = [0u32; N];
    for (slot, chunk) in out.iter_mut().zip(rest.chunks_exact(4)) {
        *slot = word(chunk)?;
    }
    Some((page, out))
}

fn decode(text: &str, prefix: &[u8]) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    bytes.strip_prefix(prefix).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_look_like_graph_ids() {
        let c = Codec::new(42);
        for (inbox, page) in Inbox::ALL.into_iter().flat_map(|i| [(i, 0), (i, 3)]) {
            let t = ThreadRef {
                page,
                inbox,
                index: 7,
            };
            let m = MessageRef {
                thread: t,
                index: 3,
            };
            let (tid, mid) = (c.thread_id(t), c.message_id(m));
            assert_eq!(c.parse_thread(&tid), Some(t));
            assert_eq!(c.parse_message(&mid), Some(m));
            assert_eq!(c.parse_thread(&mid), None);
            assert_eq!(Codec::new(43).parse_thread(&tid), None);
            match inbox {
                Inbox::Messenger => assert!(tid.starts_with("t_") && mid.starts_with("m_")),
                Inbox::Instagram => {
                    assert!(tid.starts_with("aWdf"), "{tid}");
                    assert!(mid.starts_with("aWdJRD"), "{mid}");
                }
            }
        }
    }

    #[test]
    fn cursors_round_trip_only_in_their_scope() {
        let c = Codec::new(1);
        let cur = c.cursor(5, 1_700_000_000, 12);
        assert!(cur.starts_with("QVFIU"), "{cur}");
        assert_eq!(c.parse_cursor(5, &cur), Some((1_700_000_000, 12)));
        assert_eq!(c.parse_cursor(6, &cur), None);
        assert_eq!(c.parse_cursor(5, "QVFIUgarbage"), None);
    }
}
