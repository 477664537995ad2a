//! Where a job comes from: a JSON file, or a zapp (a directory or a tar,
//! plain or gzipped, holding `boot/system.map`) whose whole image every
//! node sees at `/`.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::spec::{self, JobSpec, SpecError, MAX_JOB_BYTES};

/// The job description inside a zapp.
pub const SYSTEM_MAP: &str = "boot/system.map";

/// A zapp's image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// A directory, mounted read-only at `/`.
    Dir(PathBuf),
    /// A tar or gzipped tar, mounted at `/`.
    Tar(PathBuf),
}

impl Image {
    /// Reads the file at `path` (relative to the image's root).
    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let rel = path.trim_start_matches('/');
        if rel.split('/').any(|c| c == "..") {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{path:?} leaves the image"),
            ));
        }
        match self {
            Image::Dir(dir) => fs::read(dir.join(rel)),
            Image::Tar(tar) => read_from_tar(tar, rel),
        }
    }
}

/// A job ready to expand.
#[derive(Debug, Clone)]
pub struct JobSource {
    /// Where it came from, for messages.
    pub path: PathBuf,
    /// The description.
    pub spec: JobSpec,
    /// The zapp's image, if the job came in one.
    pub image: Option<Image>,
}

/// Why a job could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file or zapp could not be read.
    #[error("failed to read job {path}: {source}")]
    Io {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The description is wrong.
    #[error("{path}: {source}")]
    Spec {
        /// The path given.
        path: PathBuf,
        /// What is wrong.
        source: SpecError,
    },
}

impl JobSource {
    /// Reads a job JSON file, a zapp directory or a zapp tar.
    pub fn load(path: &Path) -> Result<Self, SourceError> {
        let io_err = |source| SourceError::Io {
            path: path.to_owned(),
            source,
        };
        let (text, image) = if path.is_dir() {
            let map = path.join(SYSTEM_MAP);
            (
                read_limited(&map).map_err(io_err)?,
                Some(Image::Dir(path.to_owned())),
            )
        } else {
            let head = read_head(path).map_err(io_err)?;
            if is_archive(&head) {
                let image = Image::Tar(path.to_owned());
                let text = image.read(SYSTEM_MAP).map_err(|e| {
                    io_err(io::Error::new(
                        e.kind(),
                        format!("no {SYSTEM_MAP} in the zapp: {e}"),
                    ))
                })?;
                (text, Some(image))
            } else {
                (read_limited(path).map_err(io_err)?, None)
            }
        };
        let spec = spec::parse(&text).map_err(|source| SourceError::Spec {
            path: path.to_owned(),
            source,
        })?;
        Ok(JobSource {
            path: path.to_owned(),
            spec,
            image,
        })
    }
}

fn read_limited(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(MAX_JOB_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_head(path: &Path) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)?.take(512).read_to_end(&mut head)?;
    Ok(head)
}

/// A gzip stream, or a tar whose first header says `ustar`.
fn is_archive(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b]) || head.get(257..262) == Some(b"ustar")
}

fn read_from_tar(tar: &Path, rel: &str) -> io::Result<Vec<u8>> {
    let file = File::open(tar)?;
    let mut magic = [0u8; 2];
    File::open(tar)?.read_exact(&mut magic).ok();
    let reader: Box<dyn Read> = if magic == [0x1f, 0x8b] {
        Box::new(flate2::read::GzDecoder::new(io::BufReader::new(file)))
    } else {
        Box::new(io::BufReader::new(file))
    };
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.to_string_lossy().into_owned();
        if path.trim_start_matches("./").trim_start_matches('/') == rel
            && entry.header().entry_type().is_file()
        {
            let mut out = Vec::new();
            entry.read_to_end(&mut out)?;
            return Ok(out);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("{rel} is not in {}", tar.display()),
    ))
}
