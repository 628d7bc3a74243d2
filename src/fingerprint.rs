//! The `Hasher` the page fingerprints are made with: a page's key (kept in the build's manifest
//! for the next build) and the values it is made of (a post's shown version), what related
//! posts are found from, a search run's routes. Byte strings are fingerprinted by the XXH3
//! functions directly (a post's version, the templates'), index files by `search::fingerprint`.
//!
//! XXH3 rather than the standard library's SipHash: a key hashes a few dozen small values (the
//! versions of the posts a page shows), and SipHash's round per value made hashing the 11,062
//! pages' keys a third of a 10,000-post rebuild under `boke serve`. Its 64 bits are a
//! fingerprint of quality, not a keyed hash: no one chooses these inputs to collide.

pub use xxhash_rust::xxh3::Xxh3Default as Fingerprint;
