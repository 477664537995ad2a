//! The `path_*` functions: everything that names a file by path, always
//! relative to a directory descriptor the guest holds.

use zerovm_vfs::{Device, FileType, Handle, OpenOptions, Vfs};

use crate::fd::{dir_handle, port_mut, set_times, write_filestat, FDFLAG_APPEND};
use crate::fdtable::{Fd, FdKind};
use crate::memory::GuestMemory;
use crate::rights::{
    DEVICE_BASE, DIR_BASE, FD_WRITE, FILE_BASE, PATH_CREATE_DIRECTORY, PATH_CREATE_FILE,
    PATH_FILESTAT_GET, PATH_FILESTAT_SET_SIZE, PATH_FILESTAT_SET_TIMES, PATH_LINK_SOURCE,
    PATH_LINK_TARGET, PATH_OPEN, PATH_READLINK, PATH_REMOVE_DIRECTORY, PATH_RENAME_SOURCE,
    PATH_RENAME_TARGET, PATH_SYMLINK, PATH_UNLINK_FILE,
};
use crate::{rights, Errno, WasiCtx};

/// `lookupflags`: follow a symlink in the last component.
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// `oflags` bits.
const O_CREAT: u32 = 1;
const O_DIRECTORY: u32 = 2;
const O_EXCL: u32 = 4;
const O_TRUNC: u32 = 8;

fn follow(flags: u32) -> bool {
    flags & LOOKUP_SYMLINK_FOLLOW != 0
}

pub(crate) fn open(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    dirflags: u32,
    path: u32,
    len: u32,
    oflags: u32,
    base: u64,
    inheriting: u64,
    fdflags: u32,
    out: u32,
) -> Result<(), Errno> {
    if oflags & !(O_CREAT | O_DIRECTORY | O_EXCL | O_TRUNC) != 0 || fdflags & !0x1f != 0 {
        return Err(Errno::Inval);
    }
    // Fault before anything is opened, so a bad pointer leaks nothing.
    mem.slice(out, 4)?;
    let path = mem.str(path, len)?;
    let now = ctx.clock_ns;
    let WasiCtx {
        fds, vfs, ports, ..
    } = ctx;
    let dir_fd = fds.get(fd)?;
    // Creating needs PATH_CREATE_FILE and truncating PATH_FILESTAT_SET_SIZE
    // on the directory, besides PATH_OPEN itself.
    let mut needed = PATH_OPEN;
    if oflags & O_CREAT != 0 {
        needed |= PATH_CREATE_FILE;
    }
    if oflags & O_TRUNC != 0 {
        needed |= PATH_FILESTAT_SET_SIZE;
    }
    let dir = dir_handle(dir_fd, needed)?;
    // A descriptor can hand down only the rights its directory may.
    let base = base & dir_fd.rights_inheriting;
    let inheriting = inheriting & dir_fd.rights_inheriting;
    let append = fdflags as u16 & FDFLAG_APPEND != 0;
    let opts = OpenOptions {
        create: oflags & O_CREAT != 0,
        exclusive: oflags & O_EXCL != 0,
        truncate: oflags & O_TRUNC != 0,
        directory: oflags & O_DIRECTORY != 0,
        follow: follow(dirflags),
        write: base & FD_WRITE != 0 || append,
    };
    let handle = vfs.open(dir, path, opts, now)?;

    let new_fd = match handle.file_type() {
        FileType::Directory => Fd {
            kind: FdKind::Dir {
                handle,
                preopen: None,
            },
            rights_base: base & DIR_BASE,
            rights_inheriting: inheriting,
            flags: fdflags as u16,
        },
        _ if matches!(vfs.device(&handle), Some(Device::Channel(_))) => {
            let Some(Device::Channel(index)) = vfs.device(&handle) else {
                unreachable!("matched just above");
            };
            vfs.close(handle);
            let port = port_mut(ports, index)?;
            let allowed = rights::channel(port.readable(), port.writable(), port.size().is_some());
            Fd {
                kind: FdKind::Channel { index, offset: 0 },
                rights_base: base & allowed,
                rights_inheriting: 0,
                flags: fdflags as u16,
            }
        }
        file_type => {
            let device = vfs.device(&handle);
            let allowed = if file_type == FileType::Regular {
                FILE_BASE
            } else {
                DEVICE_BASE
            };
            let mut rights = base & allowed;
            if append {
                rights |= FD_WRITE;
            }
            Fd {
                kind: FdKind::File {
                    handle,
                    offset: 0,
                    device,
                },
                rights_base: rights,
                rights_inheriting: 0,
                flags: fdflags as u16,
            }
        }
    };
    match fds.insert(new_fd) {
        Ok(n) => mem.write_u32(out, n),
        Err(e) => Err(e),
    }
}

/// One path call that changes a directory's entries: checks `right` on
/// the directory descriptor and runs `op` at the virtual time.
fn change_entry(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    path: u32,
    len: u32,
    right: u64,
    op: fn(&mut Vfs, &Handle, &str, u64) -> zerovm_vfs::Result<()>,
) -> Result<(), Errno> {
    let path = mem.str(path, len)?;
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    Ok(op(vfs, dir_handle(fds.get(fd)?, right)?, path, now)?)
}

pub(crate) fn create_directory(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    path: u32,
    len: u32,
) -> Result<(), Errno> {
    change_entry(
        mem,
        ctx,
        fd,
        path,
        len,
        PATH_CREATE_DIRECTORY,
        Vfs::create_dir,
    )
}

pub(crate) fn remove_directory(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    path: u32,
    len: u32,
) -> Result<(), Errno> {
    change_entry(
        mem,
        ctx,
        fd,
        path,
        len,
        PATH_REMOVE_DIRECTORY,
        Vfs::remove_dir,
    )
}

pub(crate) fn unlink_file(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    path: u32,
    len: u32,
) -> Result<(), Errno> {
    change_entry(mem, ctx, fd, path, len, PATH_UNLINK_FILE, Vfs::unlink)
}

pub(crate) fn filestat_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    flags: u32,
    path: u32,
    len: u32,
    out: u32,
) -> Result<(), Errno> {
    let path = mem.str(path, len)?;
    let WasiCtx { fds, vfs, .. } = ctx;
    let dir = dir_handle(fds.get(fd)?, PATH_FILESTAT_GET)?;
    let stat = vfs.path_stat(dir, path, follow(flags))?;
    write_filestat(mem, out, &stat)
}

pub(crate) fn filestat_set_times(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    flags: u32,
    path: u32,
    len: u32,
    atim: u64,
    mtim: u64,
    fst: u32,
) -> Result<(), Errno> {
    let (atime, mtime) = set_times(atim, mtim, fst)?;
    let path = mem.str(path, len)?;
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    let dir = dir_handle(fds.get(fd)?, PATH_FILESTAT_SET_TIMES)?;
    Ok(vfs.path_set_times(dir, path, follow(flags), atime, mtime, now)?)
}

pub(crate) fn link(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> Result<(), Errno> {
    let old_path = mem.str(old_path, old_len)?;
    let new_path = mem.str(new_path, new_len)?;
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    let from = dir_handle(fds.get(old_fd)?, PATH_LINK_SOURCE)?;
    let to = dir_handle(fds.get(new_fd)?, PATH_LINK_TARGET)?;
    Ok(vfs.link(from, old_path, follow(old_flags), to, new_path, now)?)
}

pub(crate) fn rename(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> Result<(), Errno> {
    let old_path = mem.str(old_path, old_len)?;
    let new_path = mem.str(new_path, new_len)?;
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    let from = dir_handle(fds.get(fd)?, PATH_RENAME_SOURCE)?;
    let to = dir_handle(fds.get(new_fd)?, PATH_RENAME_TARGET)?;
    Ok(vfs.rename(from, old_path, to, new_path, now)?)
}

pub(crate) fn symlink(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    old_path: u32,
    old_len: u32,
    fd: u32,
    new_path: u32,
    new_len: u32,
) -> Result<(), Errno> {
    let target = mem.str(old_path, old_len)?;
    let path = mem.str(new_path, new_len)?;
    // A guest's link may not name an absolute path: it would point at
    // whatever the root holds for every later reader, on any mount. Images
    // still bring their own absolute links, resolved inside the sandbox.
    if target.starts_with('/') {
        return Err(Errno::Perm);
    }
    if target.contains('\0') {
        return Err(Errno::Inval);
    }
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    Ok(vfs.symlink(target, dir_handle(fds.get(fd)?, PATH_SYMLINK)?, path, now)?)
}

pub(crate) fn readlink(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    path: u32,
    len: u32,
    buf: u32,
    buf_len: u32,
    used: u32,
) -> Result<(), Errno> {
    let path = mem.str(path, len)?;
    let WasiCtx { fds, vfs, .. } = ctx;
    let target = vfs.readlink(dir_handle(fds.get(fd)?, PATH_READLINK)?, path)?;
    // A short buffer gets a truncated target, as readlink(2) does.
    let n = target.len().min(buf_len as usize);
    mem.write(buf, &target.as_bytes()[..n])?;
    // n <= buf_len, a u32.
    mem.write_u32(used, n as u32)
}
