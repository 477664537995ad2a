//! The `fd_*` functions: reading, writing and managing open descriptors.

use rand_core::RngCore;
use zerovm_vfs::{Device, FileType, SetTime, Stat};

use crate::fdtable::{Fd, FdKind};
use crate::memory::{offset, GuestMemory};
use crate::rights::{FD_READ, FD_READDIR, FD_WRITE};
use crate::{Errno, Fault, WasiCtx, MAX_IOVS};
use zerovm_channels::{ChannelError, Port};

/// `fdflags` bits.
pub(crate) const FDFLAG_APPEND: u16 = 1;
const FDFLAGS_ALL: u32 = 0x1f;

/// `fstflags` bits.
const FST_ATIM: u32 = 1;
const FST_ATIM_NOW: u32 = 2;
const FST_MTIM: u32 = 4;
const FST_MTIM_NOW: u32 = 8;

/// Preview 1's code for a file type.
pub(crate) fn filetype_code(t: FileType) -> u8 {
    match t {
        FileType::Unknown => 0,
        FileType::BlockDevice => 1,
        FileType::CharDevice => 2,
        FileType::Directory => 3,
        FileType::Regular => 4,
        FileType::Symlink => 7,
    }
}

/// Writes a `filestat` (64 bytes) at `out`.
pub(crate) fn write_filestat(mem: &mut GuestMemory<'_>, out: u32, st: &Stat) -> Result<(), Errno> {
    let mut b = [0u8; 64];
    b[0..8].copy_from_slice(&st.dev.to_le_bytes());
    b[8..16].copy_from_slice(&st.ino.to_le_bytes());
    b[16] = filetype_code(st.file_type);
    b[24..32].copy_from_slice(&st.nlink.to_le_bytes());
    b[32..40].copy_from_slice(&st.size.to_le_bytes());
    b[40..48].copy_from_slice(&st.atime.to_le_bytes());
    b[48..56].copy_from_slice(&st.mtime.to_le_bytes());
    b[56..64].copy_from_slice(&st.ctime.to_le_bytes());
    mem.write(out, &b)
}

/// Decodes `fstflags` and their two timestamps.
pub(crate) fn set_times(atim: u64, mtim: u64, flags: u32) -> Result<(SetTime, SetTime), Errno> {
    if flags & !(FST_ATIM | FST_ATIM_NOW | FST_MTIM | FST_MTIM_NOW) != 0 {
        return Err(Errno::Inval);
    }
    let pick = |at: u32, now: u32, value: u64| match (flags & at != 0, flags & now != 0) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(SetTime::At(value)),
        (false, true) => Ok(SetTime::Now),
        (false, false) => Ok(SetTime::Keep),
    };
    Ok((
        pick(FST_ATIM, FST_ATIM_NOW, atim)?,
        pick(FST_MTIM, FST_MTIM_NOW, mtim)?,
    ))
}

/// Fills `buf` from a device; returns the bytes produced.
fn device_read(device: Device, rng: &mut impl RngCore, buf: &mut [u8]) -> usize {
    match device {
        // Channel devices open as channel descriptors, never as files.
        Device::Null | Device::Channel(_) => 0,
        Device::Zero | Device::Full => {
            buf.fill(0);
            buf.len()
        }
        Device::Random => {
            rng.fill_bytes(buf);
            buf.len()
        }
    }
}

fn device_write(device: Device, data: &[u8]) -> Result<usize, Errno> {
    match device {
        Device::Full => Err(Errno::Nospc),
        Device::Null | Device::Zero | Device::Random => Ok(data.len()),
        Device::Channel(_) => Err(Errno::Badf),
    }
}

/// Reads into the iovecs at `iovs`, at the descriptor's position or at
/// `at`; returns the bytes read.
fn read_vectored(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    count: u32,
    at: Option<u64>,
) -> Result<u32, Errno> {
    // In daemon mode, the first read of standard input is the fork point:
    // the slow start is over and the program waits for its request.
    if fd == 0 {
        if let Err(code) = ctx.fork_point() {
            ctx.fault.get_or_insert(Fault::DaemonDone(code));
            return Err(Errno::Io);
        }
    }
    if count > MAX_IOVS {
        return Err(Errno::Inval);
    }
    let WasiCtx {
        fds,
        vfs,
        rng,
        ports,
        fault,
        ..
    } = ctx;
    let f = fds.get_mut(fd)?;
    if f.rights_base & FD_READ == 0 {
        return Err(match f.kind {
            FdKind::Dir { .. } => Errno::Isdir,
            _ => Errno::Badf,
        });
    }
    let mut total: u64 = 0;
    for i in 0..count {
        let (ptr, len) = mem.iovec(iovs, i)?;
        let buf = mem.slice_mut(ptr, len)?;
        let result = match &mut f.kind {
            FdKind::Channel { index, offset } => {
                let port = port_mut(ports, *index)?;
                let result = if port.size().is_some() {
                    let pos = match at {
                        Some(at) => at.saturating_add(total),
                        None => *offset,
                    };
                    port.read_at(buf, pos)
                } else if at.is_some() {
                    return Err(Errno::Spipe);
                } else {
                    port.read(buf)
                };
                match result {
                    Ok(n) => {
                        if at.is_none() {
                            *offset = offset.saturating_add(n as u64);
                        }
                        Ok(n)
                    }
                    Err(e) => Err(channel_errno(fault, port.alias(), e)),
                }
            }
            FdKind::File {
                handle,
                offset,
                device,
            } => {
                // A plain read moves `offset` after each iovec; a pread
                // counts from `at`.
                let pos = match at {
                    Some(at) => at.saturating_add(total),
                    None => *offset,
                };
                let n = match device {
                    Some(d) => Ok(device_read(*d, rng, buf)),
                    None => vfs.read_at(handle, pos, buf).map_err(Errno::from),
                };
                if let (Ok(n), None) = (&n, at) {
                    *offset = offset.saturating_add(*n as u64);
                }
                n
            }
            FdKind::Dir { .. } => Err(Errno::Isdir),
        };
        let n = match result {
            Ok(n) => n,
            // Bytes already moved count; the error shows on the next call.
            Err(_) if total > 0 => break,
            Err(e) => return Err(e),
        };
        total += n as u64;
        if n < buf_len(len) {
            break;
        }
    }
    // Bounded by the guest's memory, which is below 4 GiB.
    u32::try_from(total).map_err(|_| Errno::Overflow)
}

fn buf_len(len: u32) -> usize {
    len as usize
}

/// Writes the iovecs at `iovs`, at the descriptor's position (its end in
/// append mode) or at `at`; returns the bytes written.
fn write_vectored(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    count: u32,
    at: Option<u64>,
) -> Result<u32, Errno> {
    if count > MAX_IOVS {
        return Err(Errno::Inval);
    }
    let now = ctx.clock_ns;
    let WasiCtx {
        fds,
        vfs,
        ports,
        fault,
        ..
    } = ctx;
    let f = fds.get_mut(fd)?;
    if f.rights_base & FD_WRITE == 0 {
        return Err(match f.kind {
            FdKind::Dir { .. } => Errno::Isdir,
            _ => Errno::Badf,
        });
    }
    let append = f.flags & FDFLAG_APPEND != 0;
    let mut total: u64 = 0;
    for i in 0..count {
        let (ptr, len) = mem.iovec(iovs, i)?;
        let data = mem.slice(ptr, len)?;
        let result = match &mut f.kind {
            FdKind::Channel { index, offset } => {
                let port = port_mut(ports, *index)?;
                let result = if port.size().is_some() && !append {
                    let pos = match at {
                        Some(at) => at.saturating_add(total),
                        None => *offset,
                    };
                    port.write_at(data, pos)
                } else if at.is_some() {
                    return Err(Errno::Spipe);
                } else {
                    port.write(data)
                };
                match result {
                    Ok(n) => {
                        if at.is_none() {
                            *offset = offset.saturating_add(n as u64);
                        }
                        Ok(n)
                    }
                    Err(e) => Err(channel_errno(fault, port.alias(), e)),
                }
            }
            FdKind::File {
                handle,
                offset,
                device,
            } => match device {
                Some(d) => device_write(*d, data),
                None => {
                    let pos = match at {
                        Some(at) => at.saturating_add(total),
                        None if append => vfs.stat(handle)?.size,
                        None => *offset,
                    };
                    let n = vfs.write_at(handle, pos, data, now).map_err(Errno::from);
                    if let (Ok(n), None) = (&n, at) {
                        *offset = pos.saturating_add(*n as u64);
                    }
                    n
                }
            },
            FdKind::Dir { .. } => Err(Errno::Isdir),
        };
        let n = match result {
            Ok(n) => n,
            Err(_) if total > 0 => break,
            Err(e) => return Err(e),
        };
        total += n as u64;
        if n < data.len() {
            break;
        }
    }
    u32::try_from(total).map_err(|_| Errno::Overflow)
}

pub(crate) fn read(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    len: u32,
    nread: u32,
) -> Result<(), Errno> {
    let n = read_vectored(mem, ctx, fd, iovs, len, None)?;
    mem.write_u32(nread, n)
}

pub(crate) fn pread(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    len: u32,
    at: u64,
    nread: u32,
) -> Result<(), Errno> {
    if let FdKind::Dir { .. } = ctx.fds.get(fd)?.kind {
        return Err(Errno::Isdir);
    }
    let n = read_vectored(mem, ctx, fd, iovs, len, Some(at))?;
    mem.write_u32(nread, n)
}

pub(crate) fn write(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    len: u32,
    nwritten: u32,
) -> Result<(), Errno> {
    let n = write_vectored(mem, ctx, fd, iovs, len, None)?;
    mem.write_u32(nwritten, n)
}

pub(crate) fn pwrite(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    iovs: u32,
    len: u32,
    at: u64,
    nwritten: u32,
) -> Result<(), Errno> {
    if let FdKind::Dir { .. } = ctx.fds.get(fd)?.kind {
        return Err(Errno::Isdir);
    }
    let n = write_vectored(mem, ctx, fd, iovs, len, Some(at))?;
    mem.write_u32(nwritten, n)
}

pub(crate) fn seek(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    delta: i64,
    whence: u32,
    out: u32,
) -> Result<(), Errno> {
    let WasiCtx {
        fds, vfs, ports, ..
    } = ctx;
    let f = fds.get_mut(fd)?;
    let (offset, size) = match &mut f.kind {
        FdKind::File { handle, offset, .. } => {
            let size = if whence == 2 {
                vfs.stat(handle)?.size
            } else {
                0
            };
            (offset, size)
        }
        FdKind::Channel { index, offset } => {
            // Only random-access channels have positions.
            let size = port_mut(ports, *index)?.size().ok_or(Errno::Spipe)?;
            (offset, size)
        }
        FdKind::Dir { .. } => return Err(Errno::Badf),
    };
    let base = match whence {
        0 => 0,
        1 => *offset,
        2 => size,
        _ => return Err(Errno::Inval),
    };
    let new = i128::from(base) + i128::from(delta);
    let new = u64::try_from(new).map_err(|_| Errno::Inval)?;
    if new > i64::MAX as u64 {
        return Err(Errno::Inval);
    }
    *offset = new;
    mem.write_u64(out, new)
}

pub(crate) fn tell(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    out: u32,
) -> Result<(), Errno> {
    match &ctx.fds.get(fd)?.kind {
        FdKind::File { offset, .. } => {
            let at = *offset;
            mem.write_u64(out, at)
        }
        FdKind::Channel { index, offset } => {
            let at = *offset;
            port_mut(&mut ctx.ports, *index)?
                .size()
                .ok_or(Errno::Spipe)?;
            mem.write_u64(out, at)
        }
        FdKind::Dir { .. } => Err(Errno::Badf),
    }
}

pub(crate) fn close(_mem: &mut GuestMemory<'_>, ctx: &mut WasiCtx, fd: u32) -> Result<(), Errno> {
    let f = ctx.fds.remove(fd)?;
    ctx.close_fd(f);
    Ok(())
}

pub(crate) fn renumber(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    from: u32,
    to: u32,
) -> Result<(), Errno> {
    ctx.fds.get(from)?;
    ctx.fds.get(to)?;
    if from == to {
        return Ok(());
    }
    let moved = ctx.fds.remove(from)?;
    let old = ctx.fds.replace(to, moved)?;
    ctx.close_fd(old);
    Ok(())
}

pub(crate) fn fdstat_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    out: u32,
) -> Result<(), Errno> {
    let f = ctx.fds.get(fd)?;
    let file_type = match &f.kind {
        FdKind::Channel { index, .. } => channel_type(port_mut(&mut ctx.ports, *index)?),
        FdKind::File { handle, .. } => handle.file_type(),
        FdKind::Dir { .. } => FileType::Directory,
    };
    let mut b = [0u8; 24];
    b[0] = filetype_code(file_type);
    b[2..4].copy_from_slice(&f.flags.to_le_bytes());
    b[8..16].copy_from_slice(&f.rights_base.to_le_bytes());
    b[16..24].copy_from_slice(&f.rights_inheriting.to_le_bytes());
    mem.write(out, &b)
}

pub(crate) fn fdstat_set_flags(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    flags: u32,
) -> Result<(), Errno> {
    if flags & !FDFLAGS_ALL != 0 {
        return Err(Errno::Inval);
    }
    let f = ctx.fds.get_mut(fd)?;
    // Fits: checked against the five defined bits above.
    f.flags = flags as u16;
    Ok(())
}

pub(crate) fn fdstat_set_rights(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> Result<(), Errno> {
    let f = ctx.fds.get_mut(fd)?;
    if base & !f.rights_base != 0 || inheriting & !f.rights_inheriting != 0 {
        return Err(Errno::Notcapable);
    }
    f.rights_base = base;
    f.rights_inheriting = inheriting;
    Ok(())
}

pub(crate) fn filestat_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    out: u32,
) -> Result<(), Errno> {
    let WasiCtx {
        fds, vfs, ports, ..
    } = ctx;
    let stat = match &fds.get(fd)?.kind {
        FdKind::File { handle, .. } | FdKind::Dir { handle, .. } => vfs.stat(handle)?,
        FdKind::Channel { index, .. } => {
            let port = port_mut(ports, *index)?;
            // Channels live on device 0, numbered by their index.
            Stat {
                dev: 0,
                ino: u64::from(*index) + 1,
                file_type: channel_type(port),
                nlink: 1,
                size: port.size().unwrap_or(0),
                atime: 0,
                mtime: 0,
                ctime: 0,
            }
        }
    };
    write_filestat(mem, out, &stat)
}

pub(crate) fn filestat_set_size(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    size: u64,
) -> Result<(), Errno> {
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    let f = fds.get(fd)?;
    match &f.kind {
        FdKind::File {
            device: Some(_), ..
        } => Ok(()),
        FdKind::File { handle, .. } => {
            if f.rights_base & FD_WRITE == 0 {
                return Err(Errno::Badf);
            }
            if size > i64::MAX as u64 {
                return Err(Errno::Inval);
            }
            Ok(vfs.set_size(handle, size, now)?)
        }
        FdKind::Dir { .. } => Err(Errno::Isdir),
        FdKind::Channel { .. } => Err(Errno::Inval),
    }
}

pub(crate) fn filestat_set_times(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    atim: u64,
    mtim: u64,
    flags: u32,
) -> Result<(), Errno> {
    let (atime, mtime) = set_times(atim, mtim, flags)?;
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    match &fds.get(fd)?.kind {
        FdKind::File { handle, .. } | FdKind::Dir { handle, .. } => {
            Ok(vfs.set_times(handle, atime, mtime, now)?)
        }
        FdKind::Channel { .. } => Ok(()),
    }
}

pub(crate) fn advise(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    _offset: u64,
    _len: u64,
    advice: u32,
) -> Result<(), Errno> {
    if advice > 5 {
        return Err(Errno::Inval);
    }
    match ctx.fds.get(fd)?.kind {
        FdKind::File { .. } => Ok(()),
        FdKind::Dir { .. } => Err(Errno::Badf),
        FdKind::Channel { .. } => Err(Errno::Spipe),
    }
}

pub(crate) fn allocate(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    at: u64,
    len: u64,
) -> Result<(), Errno> {
    let now = ctx.clock_ns;
    let WasiCtx { fds, vfs, .. } = ctx;
    let f = fds.get(fd)?;
    match &f.kind {
        FdKind::File {
            device: Some(_), ..
        } => Err(Errno::Nodev),
        FdKind::File { handle, .. } => {
            if f.rights_base & FD_WRITE == 0 {
                return Err(Errno::Badf);
            }
            let end = at.checked_add(len).ok_or(Errno::Fbig)?;
            if end > i64::MAX as u64 {
                return Err(Errno::Fbig);
            }
            if vfs.stat(handle)?.size < end {
                vfs.set_size(handle, end, now)?;
            }
            Ok(())
        }
        FdKind::Dir { .. } => Err(Errno::Badf),
        FdKind::Channel { .. } => Err(Errno::Spipe),
    }
}

pub(crate) fn sync(_mem: &mut GuestMemory<'_>, ctx: &mut WasiCtx, fd: u32) -> Result<(), Errno> {
    let WasiCtx {
        fds,
        vfs,
        ports,
        fault,
        ..
    } = ctx;
    match &mut fds.get_mut(fd)?.kind {
        FdKind::File { handle, .. } | FdKind::Dir { handle, .. } => Ok(vfs.sync(handle)?),
        FdKind::Channel { index, .. } => {
            let port = port_mut(ports, *index)?;
            port.flush()
                .map_err(|e| channel_errno(fault, port.alias(), e))
        }
    }
}

pub(crate) fn prestat_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    out: u32,
) -> Result<(), Errno> {
    let FdKind::Dir {
        preopen: Some(name),
        ..
    } = &ctx.fds.get(fd)?.kind
    else {
        return Err(Errno::Badf);
    };
    let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
    let mut b = [0u8; 8];
    b[4..8].copy_from_slice(&len.to_le_bytes());
    mem.write(out, &b)
}

pub(crate) fn prestat_dir_name(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    buf: u32,
    len: u32,
) -> Result<(), Errno> {
    let FdKind::Dir {
        preopen: Some(name),
        ..
    } = &ctx.fds.get(fd)?.kind
    else {
        return Err(Errno::Badf);
    };
    if (len as usize) < name.len() {
        return Err(Errno::Nametoolong);
    }
    mem.write(buf, name.as_bytes())
}

/// Size of a `dirent` header.
const DIRENT_SIZE: u32 = 24;

pub(crate) fn readdir(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    buf: u32,
    len: u32,
    cookie: u64,
    used: u32,
) -> Result<(), Errno> {
    let WasiCtx { fds, vfs, .. } = ctx;
    let f = fds.get(fd)?;
    let handle = match &f.kind {
        FdKind::Dir { handle, .. } => handle,
        FdKind::File { .. } => return Err(Errno::Notdir),
        FdKind::Channel { .. } => return Err(Errno::Badf),
    };
    if f.rights_base & FD_READDIR == 0 {
        return Err(Errno::Notcapable);
    }
    let entries = vfs.read_dir(handle)?;
    // Check the whole buffer up front so a bad one faults even when the
    // listing is empty.
    mem.slice(buf, len)?;

    let mut written: u32 = 0;
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (index, entry) in entries.iter().enumerate().skip(start) {
        let name = entry.name.as_bytes();
        let mut header = [0u8; DIRENT_SIZE as usize];
        header[0..8].copy_from_slice(&(index as u64 + 1).to_le_bytes());
        header[8..16].copy_from_slice(&entry.ino.to_le_bytes());
        // Names are at most MAX_NAME_LEN bytes.
        header[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
        header[20] = filetype_code(entry.file_type);
        for part in [&header[..], name] {
            let room = (len - written) as usize;
            let n = part.len().min(room);
            mem.write(offset(buf, written)?, &part[..n])?;
            // n <= room <= len, a u32.
            written += n as u32;
            if written == len {
                // A full buffer tells the guest to call again from the
                // last whole entry.
                return mem.write_u32(used, written);
            }
        }
    }
    mem.write_u32(used, written)
}

/// The directory handle behind descriptor `fd`, for `path_*` calls that
/// need every right in `needed` on it.
///
/// A directory descriptor's base rights are what the guest may do through
/// it (a guest drops them with `fd_fdstat_set_rights` or by asking for
/// fewer at `path_open`); a missing one is `ENOTCAPABLE`, as in preview 1.
pub(crate) fn dir_handle(fd: &Fd, needed: u64) -> Result<&zerovm_vfs::Handle, Errno> {
    let handle = match &fd.kind {
        FdKind::Dir { handle, .. } => handle,
        FdKind::File { .. } | FdKind::Channel { .. } => return Err(Errno::Notdir),
    };
    if fd.rights_base & needed != needed {
        return Err(Errno::Notcapable);
    }
    Ok(handle)
}

/// The port at `index`.
pub(crate) fn port_mut(ports: &mut [Port], index: u32) -> Result<&mut Port, Errno> {
    ports.get_mut(index as usize).ok_or(Errno::Badf)
}

/// How a channel shows to `fdstat` and `filestat`: a random-access channel
/// as a regular file, a stream as neither a file nor a terminal, whatever
/// is behind it, so a program behaves the same either way.
pub(crate) fn channel_type(port: &Port) -> FileType {
    if port.size().is_some() {
        FileType::Regular
    } else {
        FileType::Unknown
    }
}

/// The errno for a channel failure; a host that ran out of disk ends the
/// session ("disk quota exceeded") instead of leaving the guest to carry on
/// with a half-written output.
pub(crate) fn channel_errno(fault: &mut Option<Fault>, alias: &str, err: ChannelError) -> Errno {
    match &err {
        ChannelError::Io(io) if matches!(io.raw_os_error(), Some(28 | 122 | 27)) => {
            fault.get_or_insert(Fault::DiskQuota(alias.to_owned()));
        }
        // Damaged input must not be computed on: ZeroVM ended the session.
        ChannelError::Corrupted(why) => {
            fault.get_or_insert(Fault::Corrupted(format!("{alias}: {why}")));
        }
        _ => {}
    }
    Errno::from(&err)
}
