//! Preview 1 rights: which operations a descriptor allows.
//!
//! The runtime grants every right that makes sense for the kind of object
//! and lets a guest drop rights (`fd_fdstat_set_rights`, `path_open`'s
//! requested rights); reading needs `FD_READ` and writing `FD_WRITE`.

#![allow(
    missing_docs,
    reason = "each constant is the preview 1 right of the same name"
)]

pub const FD_DATASYNC: u64 = 1 << 0;
pub const FD_READ: u64 = 1 << 1;
pub const FD_SEEK: u64 = 1 << 2;
pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
pub const FD_SYNC: u64 = 1 << 4;
pub const FD_TELL: u64 = 1 << 5;
pub const FD_WRITE: u64 = 1 << 6;
pub const FD_ADVISE: u64 = 1 << 7;
pub const FD_ALLOCATE: u64 = 1 << 8;
pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
pub const PATH_CREATE_FILE: u64 = 1 << 10;
pub const PATH_LINK_SOURCE: u64 = 1 << 11;
pub const PATH_LINK_TARGET: u64 = 1 << 12;
pub const PATH_OPEN: u64 = 1 << 13;
pub const FD_READDIR: u64 = 1 << 14;
pub const PATH_READLINK: u64 = 1 << 15;
pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
pub const PATH_RENAME_TARGET: u64 = 1 << 17;
pub const PATH_FILESTAT_GET: u64 = 1 << 18;
pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
pub const FD_FILESTAT_GET: u64 = 1 << 21;
pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
pub const PATH_SYMLINK: u64 = 1 << 24;
pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
pub const PATH_UNLINK_FILE: u64 = 1 << 26;
pub const POLL_FD_READWRITE: u64 = 1 << 27;
pub const SOCK_SHUTDOWN: u64 = 1 << 28;
pub const SOCK_ACCEPT: u64 = 1 << 29;

/// Every right a regular file can have.
pub const FILE_BASE: u64 = FD_DATASYNC
    | FD_READ
    | FD_SEEK
    | FD_FDSTAT_SET_FLAGS
    | FD_SYNC
    | FD_TELL
    | FD_WRITE
    | FD_ADVISE
    | FD_ALLOCATE
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_SIZE
    | FD_FILESTAT_SET_TIMES
    | POLL_FD_READWRITE;

/// Every right a directory can have.
pub const DIR_BASE: u64 = FD_DATASYNC
    | FD_FDSTAT_SET_FLAGS
    | FD_SYNC
    | PATH_CREATE_DIRECTORY
    | PATH_CREATE_FILE
    | PATH_LINK_SOURCE
    | PATH_LINK_TARGET
    | PATH_OPEN
    | FD_READDIR
    | PATH_READLINK
    | PATH_RENAME_SOURCE
    | PATH_RENAME_TARGET
    | PATH_FILESTAT_GET
    | PATH_FILESTAT_SET_SIZE
    | PATH_FILESTAT_SET_TIMES
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_TIMES
    | PATH_SYMLINK
    | PATH_REMOVE_DIRECTORY
    | PATH_UNLINK_FILE;

/// Rights of a stream channel going the given ways: no seeking, so that
/// `isatty`-style probes and seeks see a pipe.
pub fn stream(readable: bool, writable: bool) -> u64 {
    let mut r = FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
    if readable {
        r |= FD_READ;
    }
    if writable {
        r |= FD_WRITE | FD_SYNC | FD_DATASYNC;
    }
    r
}

/// Rights of a character device of the filesystem.
pub const DEVICE_BASE: u64 = FD_READ
    | FD_WRITE
    | FD_FDSTAT_SET_FLAGS
    | FD_FILESTAT_GET
    | POLL_FD_READWRITE
    | FD_SEEK
    | FD_TELL;

/// Rights of a declared channel going the given ways.
pub fn channel(readable: bool, writable: bool, random: bool) -> u64 {
    let mut r = stream(readable, writable);
    if random {
        r |= FD_SEEK | FD_TELL;
    }
    r
}
