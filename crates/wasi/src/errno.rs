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
    Mlink = 34,
    Msgsize = 35,
    Multihop = 36,
    Nametoolong = 37,
    Netdown = 38,
    Netreset = 39,
    Netunreach = 40,
    Nfile = 41,
    Nobufs = 42,
    Nodev = 43,
    Noent = 44,
    Noexec = 45,
    Nolck = 46,
    Nolink = 47,
    Nomem = 48,
    Nomsg = 49,
    Noprotoopt = 50,
    Nospc = 51,
    Nosys = 52,
    Notconn = 53,
    Notdir = 54,
    Notempty = 55,
    Notrecoverable = 56,
    Notsock = 57,
    Notsup = 58,
    Notty = 59,
    Nxio = 60,
    Overflow = 61,
    Ownerdead = 62,
    Perm = 63,
    Pipe = 64,
    Proto = 65,
    Protonosupport = 66,
    Prototype = 67,
    Range = 68,
    Rofs = 69,
    Spipe = 70,
    Srch = 71,
    Stale = 72,
    Timedout = 73,
    Txtbsy = 74,
    Xdev = 75,
    Notcapable = 76,
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
            ChannelError::NotSeekable => Errno::Spipe,
            ChannelError::BadOffset => Errno::Inval,
            ChannelError::Corrupted(_) => Errno::Io,
            ChannelError::Quota => Errno::Dquot,
            ChannelError::BrokenPipe => Errno::Pipe,
            ChannelError::Io(_) => Errno::Io,
        }
    }
}
