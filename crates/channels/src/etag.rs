//! Etags: a running hash of every byte that passes through a channel.

use md5::Digest as _;

/// The hash an etag uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EtagAlgorithm {
    /// MD5, as Swift object ETags are (the default).
    #[default]
    Md5,
    /// SHA-256.
    Sha256,
    /// BLAKE3.
    Blake3,
}

impl EtagAlgorithm {
    /// Parses `md5`, `sha256` or `blake3`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "md5" => Some(EtagAlgorithm::Md5),
            "sha256" | "sha-256" => Some(EtagAlgorithm::Sha256),
            "blake3" => Some(EtagAlgorithm::Blake3),
            _ => None,
        }
    }

    /// The name used in manifests and reports.
    pub fn name(self) -> &'static str {
        match self {
            EtagAlgorithm::Md5 => "md5",
            EtagAlgorithm::Sha256 => "sha256",
            EtagAlgorithm::Blake3 => "blake3",
        }
    }
}

/// A running hash.
#[derive(Clone)]
pub enum Etag {
    /// MD5 state.
    Md5(md5::Md5),
    /// SHA-256 state.
    Sha256(sha2::Sha256),
    /// BLAKE3 state.
    Blake3(Box<blake3::Hasher>),
}

impl std::fmt::Debug for Etag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Etag({})", self.algorithm().name())
    }
}

impl Etag {
    /// An empty hash.
    pub fn new(algorithm: EtagAlgorithm) -> Self {
        match algorithm {
            EtagAlgorithm::Md5 => Etag::Md5(md5::Md5::new()),
            EtagAlgorithm::Sha256 => Etag::Sha256(sha2::Sha256::new()),
            EtagAlgorithm::Blake3 => Etag::Blake3(Box::default()),
        }
    }

    /// Which algorithm.
    pub fn algorithm(&self) -> EtagAlgorithm {
        match self {
            Etag::Md5(_) => EtagAlgorithm::Md5,
            Etag::Sha256(_) => EtagAlgorithm::Sha256,
            Etag::Blake3(_) => EtagAlgorithm::Blake3,
        }
    }

    /// Adds bytes.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Etag::Md5(h) => h.update(data),
            Etag::Sha256(h) => h.update(data),
            Etag::Blake3(h) => {
                h.update(data);
            }
        }
    }

    /// The hex digest of everything so far (the state is kept).
    pub fn hex(&self) -> String {
        match self {
            Etag::Md5(h) => hex(&h.clone().finalize()),
            Etag::Sha256(h) => hex(&h.clone().finalize()),
            Etag::Blake3(h) => h.finalize().to_hex().to_string(),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hex digest of `data` in one go.
pub fn digest(algorithm: EtagAlgorithm, data: &[u8]) -> String {
    let mut etag = Etag::new(algorithm);
    etag.update(data);
    etag.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            digest(EtagAlgorithm::Md5, b""),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(
            digest(EtagAlgorithm::Sha256, b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest(EtagAlgorithm::Blake3, b"").len(), 64);
        let mut e = Etag::new(EtagAlgorithm::Md5);
        e.update(b"a");
        e.update(b"bc");
        assert_eq!(e.hex(), digest(EtagAlgorithm::Md5, b"abc"));
    }
}
