//! Preview 1 error numbers, in the order `wasi_snapshot_preview1` fixes.

use zerovm_channels::ChannelError;
use zerovm_vfs::Errno as FsErrno;

/// An error number returned to the guest (`errno` in preview 1).
///
/// Success (0) is not a variant: host calls return `Result<(), Errno>`.
#[allow(
    missing_docs,
    reason = "the names are preview 1's own, one per POSIX errno"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Errno {
    TooBig = 1,
    Acces = 2,
    Addrinuse = 3,
    Addrnotavail = 4,
    Afnosupport = 5,
    Again = 6,
    Already = 7,
    Badf = 8,
    Badmsg = 9,
    Busy = 10,
    Canceled = 11,
    Child = 12,
    Connaborted = 13,
    Connrefused = 14,
    Connreset = 15,
    Deadlk = 16,
    Destaddrreq = 17,
    Dom = 18,
    Dquot = 19,
    Exist = 20,
    Fault = 21,
    Fbig = 22,
    Hostunreach = 23,
    Idrm = 24,
    Ilseq = 25,
    Inprogress = 26,
    Intr = 27,
    Inval = 28,
    Io = 29,
    Isconn = 30,
    Isdir = 31,
    Loop = 32,
    Mfile = 33,
    Msgsize = 34,
    Multihop = 35,
    Nametoolong = 36,
    Netdown = 37,
    Netreset = 38,
    Netunreach = 39,
    Nfile = 40,
    Nobufs = 41,
    Nodev = 42,
    Noent = 43,
    Noexec = 44,
    Nolck = 45,
    Nolink = 46,
    Nomem = 47,
    Nomsg = 48,
    Noprotoopt = 49,
    Nospc = 50,
    Nosys = 51,
    Notconn = 52,
    Notdir = 53,
    Notempty = 54,
    Notrecoverable = 55,
    Notsock = 56,
    Notsup = 57,
    Notty = 58,
    Nxio = 59,
    Overflow = 60,
    Ownerdead = 61,
    Perm = 62,
    Pipe = 63,
    Proto = 64,
    Protonosupport = 65,
    Prototype = 66,
    Range = 67,
    Rofs = 68,
    Spipe = 69,
    Srch = 70,
    Stale = 71,
    Timedout = 72,
    Txtbsy = 73,
    Xdev = 74,
    Notcapable = 75,
}

impl From<FsErrno> for Errno {
    fn from(e: FsErrno) -> Self {
        match e {
            FsErrno::NoEnt => Errno::Noent,
            FsErrno::Exist => Errno::Exist,
            FsErrno::NotDir => Errno::Notdir,
            FsErrno::IsDir => Errno::Isdir,
            FsErrno::NotEmpty => Errno::Notempty,
            FsErrno::Loop => Errno::Loop,
            FsErrno::NameTooLong => Errno::Nametoolong,
            FsErrno::NotCapable => Errno::Notcapable,
            FsErrno::Perm => Errno::Perm,
            FsErrno::ReadOnly => Errno::Rofs,
            FsErrno::CrossDevice => Errno::Xdev,
            FsErrno::NoSpace => Errno::Nospc,
            FsErrno::Inval => Errno::Inval,
            FsErrno::FileTooBig => Errno::Fbig,
            FsErrno::Busy => Errno::Busy,
            FsErrno::Access => Errno::Acces,
            FsErrno::NotSup => Errno::Notsup,
            FsErrno::Io => Errno::Io,
        }
    }
}

impl From<&ChannelError> for Errno {
    fn from(e: &ChannelError) -> Self {
        match e {
            ChannelError::WrongDirection(_) => Errno::Badf,
            ChannelError::Quota => Errno::Dquot,
            ChannelError::BrokenPipe => Errno::Pipe,
            ChannelError::Io(_) => Errno::Io,
        }
    }
}
