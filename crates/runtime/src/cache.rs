//! The compiled-code cache: machine code on disk, by content hash.
//!
//! Compiling a large module (an interpreter) takes seconds; loading its
//! compiled form takes milliseconds, since Wasmtime maps the file instead of
//! reading it. An entry is named by a BLAKE3 hash of the module's bytes and
//! of everything about the engine that changes the code, so a module
//! compiled with other settings or another Wasmtime is never confused with
//! it. Beside each entry lives the hash of its own bytes: a truncated or
//! corrupted entry fails that check and is compiled again, never executed.
//! Entries are written to a temporary name and renamed, so a reader never
//! sees half an entry. The directory is made private to the user (0700).

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use wasmtime::{Engine, Module};

/// Bumped whenever the layout of entries changes.
const FORMAT: &str = "zerovm-cache-1";

/// A cache directory.
#[derive(Debug, Clone)]
pub struct ModuleCache {
    dir: PathBuf,
}

impl ModuleCache {
    /// The cache at `dir`, created private to the user if missing.
    pub fn open(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)?;
        // An existing directory others can read or write is made private.
        let meta = fs::metadata(&dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))?;
        }
        Ok(ModuleCache { dir })
    }

    /// The default place: `$ZEROVM_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/zerovm`, else `~/.cache/zerovm`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("ZEROVM_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
            return Some(Path::new(&dir).join("zerovm"));
        }
        std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/zerovm"))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry name for `bytes` compiled by `engine`.
    fn key(engine: &Engine, bytes: &[u8]) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(FORMAT.as_bytes());
        // Wasmtime's own fingerprint of the settings that change code.
        let mut settings = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut settings);
        hasher.update(&settings.finish().to_le_bytes());
        hasher.update(bytes);
        hasher.finalize().to_hex().to_string()
    }

    /// Loads the compiled module for `bytes`, compiling and storing it on a
    /// miss. Returns whether it was a hit.
    pub fn load_or_compile(
        &self,
        engine: &Engine,
        bytes: &[u8],
    ) -> wasmtime::Result<(Module, bool)> {
        let key = Self::key(engine, bytes);
        let code = self.dir.join(format!("{key}.cwasm"));
        let sum = self.dir.join(format!("{key}.sum"));

        if let Some(module) = self.try_load(engine, &code, &sum) {
            return Ok((module, true));
        }
        let module = Module::new(engine, bytes)?;
        if let Err(err) = self.store(&module, &code, &sum) {
            tracing::warn!(dir = %self.dir.display(), %err, "failed to store compiled module in the cache");
        }
        Ok((module, false))
    }

    /// Loads an entry if it is whole and its checksum matches.
    fn try_load(&self, engine: &Engine, code: &Path, sum: &Path) -> Option<Module> {
        let expected = fs::read_to_string(sum).ok()?;
        // Known cost: checking the checksum reads the whole entry once
        // (about 5 ms for CPython's 25 MB) before Wasmtime maps it. A
        // per-page check at fault time, or a signature over a smaller
        // manifest of page hashes, would remove the read.
        let data = fs::read(code).ok()?;
        if blake3::hash(&data).to_hex().as_str() != expected.trim() {
            tracing::warn!(entry = %code.display(), "cache entry is corrupt; compiling again");
            return None;
        }
        // SAFETY: the file was written by this cache (the checksum beside
        // it matches, and the directory is private to this user), so it is
        // the serialization of a module compiled by a compatible engine;
        // Wasmtime itself rejects entries from an incompatible engine.
        match unsafe { Module::deserialize_file(engine, code) } {
            Ok(module) => Some(module),
            Err(err) => {
                tracing::warn!(entry = %code.display(), %err, "cache entry unusable; compiling again");
                None
            }
        }
    }

    fn store(&self, module: &Module, code: &Path, sum: &Path) -> std::io::Result<()> {
        let data = module.serialize().map_err(std::io::Error::other)?;
        let checksum = blake3::hash(&data).to_hex().to_string();
        write_atomic(&self.dir, code, &data)?;
        write_atomic(&self.dir, sum, checksum.as_bytes())
    }
}

/// Writes `path` through a temporary file in `dir` and a rename.
fn write_atomic(dir: &Path, path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(data)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
