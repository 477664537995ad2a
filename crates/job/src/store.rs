//! The local object store: `swift://account/container/object` as the file
//! `ROOT/account/container/object`.
//!
//! An object's content type and metadata live beside it in
//! `object.meta.json` (`{"content_type": "…", "meta": {…}}`); objects
//! whose name ends in `.meta.json`, or any part of which starts with `.`,
//! cannot be stored, since they would be taken for sidecars or temporary
//! files. Listings are sorted by name. Every write goes to a temporary
//! file in the same directory and is renamed into place, sidecar first,
//! so a reader sees the old object or the new one, never half of one.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Suffix of metadata sidecars.
pub const SIDECAR: &str = ".meta.json";

/// A parsed `swift://` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectPath {
    /// The account (`~` and `.` already replaced by the job's account).
    pub account: String,
    /// The container.
    pub container: String,
    /// The object name, which may hold `/`; empty for a container path.
    pub object: String,
}

impl ObjectPath {
    /// Parses `swift://account/container/object`; `~` or `.` as the
    /// account means `default_account`.
    pub fn parse(url: &str, default_account: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("swift://")
            .ok_or_else(|| format!("{url:?} is not a swift:// path"))?;
        let mut parts = rest.splitn(3, '/');
        let account = parts.next().unwrap_or_default();
        let container = parts.next().unwrap_or_default();
        let object = parts.next().unwrap_or_default();
        let account = match account {
            "~" | "." => default_account,
            a => a,
        };
        if account.is_empty() || container.is_empty() {
            return Err(format!(
                "{url:?} names no container: expected swift://account/container/object"
            ));
        }
        for (what, part) in [("account", account), ("container", container)] {
            if part.starts_with('.') {
                return Err(format!("{url:?}: the {what} may not start with `.`"));
            }
        }
        if !object.is_empty() {
            if object
                .split('/')
                .any(|c| c.is_empty() || c.starts_with('.'))
            {
                return Err(format!(
                    "{url:?}: object name parts may not be empty or start with `.`"
                ));
            }
            if object.ends_with(SIDECAR) {
                return Err(format!(
                    "{url:?}: object names ending in {SIDECAR} are reserved for metadata"
                ));
            }
        }
        Ok(ObjectPath {
            account: account.to_owned(),
            container: container.to_owned(),
            object: object.to_owned(),
        })
    }

    /// Back to `swift://account/container/object`.
    pub fn url(&self) -> String {
        if self.object.is_empty() {
            format!("swift://{}/{}", self.account, self.container)
        } else {
            format!(
                "swift://{}/{}/{}",
                self.account, self.container, self.object
            )
        }
    }
}

/// What is stored beside an object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Its content type.
    pub content_type: Option<String>,
    /// `X-Object-Meta-*` values.
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
}

/// A directory tree of objects.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    account: String,
}

impl Store {
    /// The store under `root`; `account` stands for `~` and `.` in paths.
    pub fn new(root: impl Into<PathBuf>, account: impl Into<String>) -> Self {
        Store {
            root: root.into(),
            account: account.into(),
        }
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The account `~` and `.` stand for.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Parses a `swift://` path against this store's account.
    pub fn parse(&self, url: &str) -> Result<ObjectPath, String> {
        ObjectPath::parse(url, &self.account)
    }

    /// The host file of an object.
    pub fn file(&self, path: &ObjectPath) -> PathBuf {
        let mut p = self.root.join(&path.account).join(&path.container);
        for part in path.object.split('/').filter(|c| !c.is_empty()) {
            p.push(part);
        }
        p
    }

    /// Whether the object exists as a regular file.
    pub fn exists(&self, path: &ObjectPath) -> bool {
        fs::metadata(self.file(path)).is_ok_and(|m| m.is_file())
    }

    /// The containers of `account`, sorted.
    pub fn containers(&self, account: &str) -> io::Result<Vec<String>> {
        let dir = self.root.join(account);
        let mut out = Vec::new();
        match fs::read_dir(&dir) {
            Ok(entries) => {
                for entry in entries {
                    let entry = entry?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !name.starts_with('.') && entry.file_type()?.is_dir() {
                        out.push(name);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        out.sort();
        Ok(out)
    }

    /// The objects of a container, sorted; names hold `/` for objects in
    /// subdirectories.
    pub fn objects(&self, account: &str, container: &str) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        let dir = self.root.join(account).join(container);
        if dir.is_dir() {
            walk(&dir, "", &mut out)?;
        }
        out.sort();
        Ok(out)
    }

    /// The metadata stored with an object (empty when none is).
    pub fn metadata(&self, path: &ObjectPath) -> io::Result<Metadata> {
        match fs::read(sidecar(&self.file(path))) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Metadata::default()),
            Err(e) => Err(e),
        }
    }

    /// Moves the finished file `data` in as the object `path`, with its
    /// metadata: the sidecar is renamed into place first, then the data.
    /// `data` must be on the store's filesystem (the job stages its
    /// outputs under the store).
    pub fn put_file(&self, path: &ObjectPath, data: &Path, meta: &Metadata) -> io::Result<()> {
        let target = self.file(path);
        let dir = target
            .parent()
            .ok_or_else(|| io::Error::other("object path has no parent"))?;
        fs::create_dir_all(dir)?;
        let json = serde_json::to_vec_pretty(meta).map_err(io::Error::other)?;
        let mut tmp = tempfile::Builder::new().prefix(".meta-").tempfile_in(dir)?;
        tmp.write_all(&json)?;
        tmp.write_all(b"\n")?;
        tmp.as_file().sync_all()?;
        tmp.persist(sidecar(&target)).map_err(|e| e.error)?;
        fs::rename(data, &target)
    }

    /// Writes `bytes` as the object `path` (tests and examples).
    pub fn put(&self, path: &ObjectPath, bytes: &[u8], meta: &Metadata) -> io::Result<()> {
        let target = self.file(path);
        let dir = target
            .parent()
            .ok_or_else(|| io::Error::other("object path has no parent"))?;
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new().prefix(".put-").tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        let (_, tmp_path) = tmp.keep().map_err(|e| e.error)?;
        self.put_file(path, &tmp_path, meta)
    }
}

/// The sidecar of the object file `file`.
fn sidecar(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_owned();
    name.push(SIDECAR);
    file.with_file_name(name)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(SIDECAR) {
            continue;
        }
        let full = format!("{prefix}{name}");
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), &format!("{full}/"), out)?;
        } else if kind.is_file() {
            out.push(full);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = ObjectPath::parse("swift://~/c/a/b.txt", "me").unwrap();
        assert_eq!((p.account.as_str(), p.object.as_str()), ("me", "a/b.txt"));
        assert_eq!(p.url(), "swift://me/c/a/b.txt");
        assert!(ObjectPath::parse("swift://a", "me").is_err());
        assert!(ObjectPath::parse("swift://a/c/../x", "me").is_err());
        assert!(ObjectPath::parse("swift://a/c/x.meta.json", "me").is_err());
        assert!(ObjectPath::parse("file://a/c", "me").is_err());
    }

    #[test]
    fn put_list_and_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), "me");
        let meta = Metadata {
            content_type: Some("text/plain".into()),
            meta: [("k".to_owned(), "v".to_owned())].into(),
        };
        for name in ["b", "a/x", "c"] {
            let p = store.parse(&format!("swift://me/box/{name}")).unwrap();
            store.put(&p, name.as_bytes(), &meta).unwrap();
        }
        assert_eq!(store.objects("me", "box").unwrap(), ["a/x", "b", "c"]);
        assert_eq!(store.containers("me").unwrap(), ["box"]);
        let p = store.parse("swift://me/box/a/x").unwrap();
        assert_eq!(fs::read(store.file(&p)).unwrap(), b"a/x");
        assert_eq!(store.metadata(&p).unwrap(), meta);
    }
}
