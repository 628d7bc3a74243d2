//! The hasher of the fingerprints that decide what a rebuild redoes: a page's key (kept in the
//! build's manifest for the next build), what related posts are found from, a search run's
//! routes. One home, so that they are made alike.
//!
//! XXH3 rather than the standard library's SipHash: a key hashes a few dozen small values (the
//! versions of the posts a page shows), and SipHash's round per value made hashing the 11,062
//! pages' keys a third of a 10,000-post rebuild under `boke serve`. Its 64 bits are a
//! fingerprint of quality, not a keyed hash: no one chooses these inputs to collide.

pub use xxhash_rust::xxh3::Xxh3Default as Fingerprint;
