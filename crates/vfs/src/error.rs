//! The error vocabulary of the filesystem: POSIX-style error numbers.
//!
//! Every filesystem failure a guest can cause is one of these; the WASI layer
//! maps each to its preview 1 errno. Setup failures (a bad image, a missing
//! host directory) have their own richer types in [`crate::image`] and
//! [`crate::MountError`].

use std::io;

/// A filesystem error as the guest sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Errno {
    /// The path names nothing.
    #[error("no such file or directory")]
    NoEnt,
    /// The path already names something.
    #[error("file exists")]
    Exist,
    /// A directory was needed.
    #[error("not a directory")]
    NotDir,
    /// A non-directory was needed.
    #[error("is a directory")]
    IsDir,
    /// A directory to remove or replace still has entries.
    #[error("directory not empty")]
    NotEmpty,
    /// Too many symbolic links were followed.
    #[error("too many levels of symbolic links")]
    Loop,
    /// A path or a component of it is too long.
    #[error("file name too long")]
    NameTooLong,
    /// The path leads outside the directory it is relative to.
    #[error("path escapes its directory")]
    NotCapable,
    /// The operation is not permitted on this object.
    #[error("operation not permitted")]
    Perm,
    /// The object lives on a read-only mount.
    #[error("read-only file system")]
    ReadOnly,
    /// Source and target are on different mounts.
    #[error("cross-device link")]
    CrossDevice,
    /// The filesystem's byte budget is exhausted.
    #[error("no space left on device")]
    NoSpace,
    /// An argument is invalid (an empty name, `.` where a name is needed).
    #[error("invalid argument")]
    Inval,
    /// A file would grow beyond the largest size allowed.
    #[error("file too large")]
    FileTooBig,
    /// The object is busy (a mount point).
    #[error("device or resource busy")]
    Busy,
    /// Access denied by the host.
    #[error("permission denied")]
    Access,
    /// The operation is not supported on this object.
    #[error("operation not supported")]
    NotSup,
    /// The host failed in a way with no better name.
    #[error("input/output error")]
    Io,
}

impl From<io::Error> for Errno {
    fn from(err: io::Error) -> Self {
        // Raw OS numbers carry the most precise meaning for host mounts.
        if let Some(code) = err.raw_os_error() {
            return match code {
                libc_codes::ENOENT => Errno::NoEnt,
                libc_codes::EEXIST => Errno::Exist,
                libc_codes::ENOTDIR => Errno::NotDir,
                libc_codes::EISDIR => Errno::IsDir,
                libc_codes::ENOTEMPTY => Errno::NotEmpty,
                libc_codes::ELOOP => Errno::Loop,
                libc_codes::ENAMETOOLONG => Errno::NameTooLong,
                libc_codes::EPERM => Errno::Perm,
                libc_codes::EACCES => Errno::Access,
                libc_codes::EROFS => Errno::ReadOnly,
                libc_codes::EXDEV => Errno::CrossDevice,
                libc_codes::ENOSPC | libc_codes::EDQUOT => Errno::NoSpace,
                libc_codes::EINVAL => Errno::Inval,
                libc_codes::EFBIG => Errno::FileTooBig,
                libc_codes::EBUSY => Errno::Busy,
                _ => Errno::Io,
            };
        }
        match err.kind() {
            io::ErrorKind::NotFound => Errno::NoEnt,
            io::ErrorKind::AlreadyExists => Errno::Exist,
            io::ErrorKind::PermissionDenied => {
                // cap-std reports an attempted escape as PermissionDenied
                // without an OS code.
                Errno::NotCapable
            }
            io::ErrorKind::InvalidInput => Errno::Inval,
            _ => Errno::Io,
        }
    }
}

/// Linux error numbers, which host mounts report; spelled out here so the
/// crate needs no libc binding for eighteen constants.
mod libc_codes {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const EACCES: i32 = 13;
    pub const EBUSY: i32 = 16;
    pub const EEXIST: i32 = 17;
    pub const EXDEV: i32 = 18;
    pub const ENOTDIR: i32 = 20;
    pub const EISDIR: i32 = 21;
    pub const EINVAL: i32 = 22;
    pub const EFBIG: i32 = 27;
    pub const ENOSPC: i32 = 28;
    pub const EROFS: i32 = 30;
    pub const ENAMETOOLONG: i32 = 36;
    pub const ENOTEMPTY: i32 = 39;
    pub const ELOOP: i32 = 40;
    pub const EDQUOT: i32 = 122;
}

/// Shorthand for filesystem results.
pub type Result<T, E = Errno> = std::result::Result<T, E>;
