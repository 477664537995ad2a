//! The `zerovm` import module: ZeroVM's trap interface in WebAssembly form,
//! for programs that want channels without WASI (see `include/zerovm.h`).
//!
//! | function | result |
//! | --- | --- |
//! | `pread(handle, buf, size, offset: i64) -> i32` | bytes read, 0 at end, or `-errno` |
//! | `pwrite(handle, buf, size, offset: i64) -> i32` | bytes written, or `-errno` |
//! | `channel_count() -> i32` | how many handles there are |
//! | `channel_info(handle, out) -> i32` | 0, the 48-byte [`ChannelInfo`] written at `out`, or `-errno` |
//! | `channel_name(handle, buf, len) -> i32` | the alias's full length (at most `len` bytes copied, no NUL), or `-errno` |
//! | `exit(code)` | does not return: the session ends with the guest's `code` |
//! | `fork() -> i32` | the daemon's fork point: 0 in the copy serving a request; 0 at once without daemon mode |
//!
//! Handles are numbered as ZeroVM numbered its channel table: 0, 1 and 2
//! are `/dev/stdin`, `/dev/stdout` and `/dev/stderr`, then every other
//! channel in the byte order of its alias. A standard channel the session
//! lacks keeps its number and answers `-EINVAL`.
//!
//! Errors are *negative Linux* errno values, as the original trap returned
//! them (not preview 1's numbering). Checks come in this order, each with
//! its answer:
//!
//! 1. a handle outside the table: `-EINVAL`;
//! 2. a negative size: `-EFAULT`; a size of 0 moves nothing and returns 0;
//! 3. a buffer not wholly inside linear memory: `-EINVAL`;
//! 4. a negative offset: `-EINVAL` (checked for every channel, though
//!    sequential channels otherwise ignore the offset);
//! 5. a write to a random-access channel at or past its size plus the
//!    bytes its quota has left: `-EINVAL`.
//!
//! Then the [`Port`] moves the bytes (sequentially, or at `offset` when
//! [`Port::size`] is `Some`) and its failures map as follows:
//!
//! | channel error | answer |
//! | --- | --- |
//! | a quota used up ([`ChannelError::Quota`]) | `-EDQUOT`; a transfer longer than the quota left is shortened instead |
//! | the wrong direction (reading an output) | `-EBADF`, as POSIX answers for a descriptor not open that way |
//! | an offset the channel refuses | `-EINVAL` |
//! | the other end of a pipe gone | `-EPIPE` |
//! | damaged in transit, or a host I/O failure | `-EIO` |
//!
//! A host disk that fills up under an output ends the session ("disk quota
//! exceeded"), exactly as through WASI: the program must not carry on with
//! a half-written output.

use wasmtime::{Caller, Linker};
use zerovm_channels::{ChannelError, Port};

use crate::fd::channel_errno;
use crate::memory::GuestMemory;
use crate::{with_memory, Exit, WasiCtx};

/// The import module's name.
pub const MODULE: &str = "zerovm";

/// Size of [`ChannelInfo`] in guest memory.
pub const CHANNEL_INFO_SIZE: u32 = 48;

/// Linux errno values, as the original trap returned them negated.
const EBADF: i32 = 9;
const EIO: i32 = 5;
const EFAULT: i32 = 14;
const EINVAL: i32 = 22;
const ESPIPE: i32 = 29;
const EPIPE: i32 = 32;
const EDQUOT: i32 = 122;

/// Channel type numbers of [`ChannelInfo::kind`], ZeroVM's.
const TYPE_SEQUENTIAL: i32 = 0;
const TYPE_RANDOM: i32 = 3;

/// What `channel_info` writes, little-endian, 48 bytes:
/// `{ i64 limits[4]; i64 size; i32 type; i32 name_len; }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelInfo {
    /// Reads, read bytes, writes, written bytes; no limit shows as
    /// `i64::MAX`.
    pub limits: [i64; 4],
    /// Current size of a random-access channel, 0 for a sequential one.
    pub size: i64,
    /// 0 sequential, 3 random access.
    pub kind: i32,
    /// Length of the alias in bytes.
    pub name_len: i32,
}

impl ChannelInfo {
    /// The information of `port`.
    pub fn of(port: &Port) -> Self {
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let l = port.limits();
        let size = port.size();
        ChannelInfo {
            limits: [
                clamp(l.reads),
                clamp(l.read_bytes),
                clamp(l.writes),
                clamp(l.write_bytes),
            ],
            size: size.map_or(0, clamp),
            kind: if size.is_some() {
                TYPE_RANDOM
            } else {
                TYPE_SEQUENTIAL
            },
            // Aliases are checked to be short paths; never near i32::MAX.
            name_len: i32::try_from(port.alias().len()).unwrap_or(i32::MAX),
        }
    }

    /// The guest's byte layout.
    pub fn to_bytes(self) -> [u8; CHANNEL_INFO_SIZE as usize] {
        let mut out = [0u8; CHANNEL_INFO_SIZE as usize];
        for (slot, limit) in out.chunks_exact_mut(8).zip(self.limits) {
            slot.copy_from_slice(&limit.to_le_bytes());
        }
        out[32..40].copy_from_slice(&self.size.to_le_bytes());
        out[40..44].copy_from_slice(&self.kind.to_le_bytes());
        out[44..48].copy_from_slice(&self.name_len.to_le_bytes());
        out
    }
}

/// The handle table: for each handle, the index of its port, if any.
/// Standard channels first, then the rest sorted by alias.
pub(crate) fn handle_table(ports: &[Port]) -> Vec<Option<u32>> {
    let index_of = |alias: &str| {
        ports
            .iter()
            .position(|p| p.alias() == alias)
            .and_then(|i| u32::try_from(i).ok())
    };
    let mut table: Vec<Option<u32>> = ["/dev/stdin", "/dev/stdout", "/dev/stderr"]
        .into_iter()
        .map(index_of)
        .collect();
    let mut rest: Vec<(&str, u32)> = ports
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p.alias(), "/dev/stdin" | "/dev/stdout" | "/dev/stderr"))
        .filter_map(|(i, p)| Some((p.alias(), u32::try_from(i).ok()?)))
        .collect();
    rest.sort_unstable_by(|a, b| a.0.cmp(b.0));
    table.extend(rest.into_iter().map(|(_, i)| Some(i)));
    table
}

/// The port behind `handle`, or `-EINVAL`.
fn port_of(ctx: &mut WasiCtx, handle: i32) -> Result<usize, i32> {
    usize::try_from(handle)
        .ok()
        .and_then(|h| ctx.handles.get(h).copied().flatten())
        .map(|i| i as usize)
        .filter(|&i| i < ctx.ports.len())
        .ok_or(-EINVAL)
}

/// Runs one call with the guest's memory and the context; the result is
/// the value or the negative errno.
fn call<T>(
    caller: &mut Caller<'_, T>,
    get: fn(&mut T) -> &mut WasiCtx,
    name: &'static str,
    f: impl FnOnce(&mut GuestMemory<'_>, &mut WasiCtx) -> Result<i32, i32>,
) -> wasmtime::Result<i32> {
    let value = with_memory(caller, get, name, f)?.unwrap_or_else(|neg| neg);
    tracing::trace!(call = name, result = value);
    Ok(value)
}

/// A checked `pread` or `pwrite`: which port, which bytes of memory
/// (`None` for a size of 0), and where.
struct Transfer {
    index: usize,
    range: Option<(u32, u32)>,
    offset: u64,
}

/// The checks `pread` and `pwrite` share, in the module's order.
fn checked(
    ctx: &mut WasiCtx,
    handle: i32,
    buf: i32,
    size: i32,
    offset: i64,
) -> Result<Transfer, i32> {
    let index = port_of(ctx, handle)?;
    let size = u32::try_from(size).map_err(|_| -EFAULT)?;
    // Pointers are unsigned in a 32-bit memory: the i32 carries the bits.
    let buf = buf as u32;
    let offset = u64::try_from(offset).map_err(|_| -EINVAL)?;
    Ok(Transfer {
        index,
        range: (size > 0).then_some((buf, size)),
        offset,
    })
}

fn pread(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    handle: i32,
    buf: i32,
    size: i32,
    offset: i64,
) -> Result<i32, i32> {
    let Transfer {
        index,
        range,
        offset,
    } = checked(ctx, handle, buf, size, offset)?;
    let Some((ptr, len)) = range else {
        return Ok(0);
    };
    let buf = mem.slice_mut(ptr, len).map_err(|_| -EINVAL)?;
    let WasiCtx { ports, fault, .. } = ctx;
    let port = &mut ports[index];
    let result = if port.size().is_some() {
        port.read_at(buf, offset)
    } else {
        port.read(buf)
    };
    moved(fault, port.alias(), result)
}

fn pwrite(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    handle: i32,
    buf: i32,
    size: i32,
    offset: i64,
) -> Result<i32, i32> {
    let Transfer {
        index,
        range,
        offset,
    } = checked(ctx, handle, buf, size, offset)?;
    let Some((ptr, len)) = range else {
        return Ok(0);
    };
    let data = mem.slice(ptr, len).map_err(|_| -EINVAL)?;
    let WasiCtx { ports, fault, .. } = ctx;
    let port = &mut ports[index];
    let result = match port.size() {
        Some(size) if port.writable() => {
            let left = port
                .limits()
                .write_bytes
                .saturating_sub(port.counters().write_bytes);
            if left > 0 && offset >= size.saturating_add(left) {
                return Err(-EINVAL);
            }
            port.write_at(data, offset)
        }
        _ => port.write(data),
    };
    moved(fault, port.alias(), result)
}

/// A transfer's count, or its failure as a negative errno.
fn moved(
    fault: &mut Option<crate::Fault>,
    alias: &str,
    result: Result<usize, ChannelError>,
) -> Result<i32, i32> {
    match result {
        // At most the guest's `size`, itself an i32.
        Ok(n) => Ok(i32::try_from(n).unwrap_or(i32::MAX)),
        Err(err) => {
            let errno = linux_errno(&err);
            // Records the disk-full fault that ends the session, if it is
            // one; the preview 1 errno it returns has no use here.
            let _ = channel_errno(fault, alias, err);
            Err(-errno)
        }
    }
}

/// The Linux errno of a channel failure (see the module's table).
fn linux_errno(err: &ChannelError) -> i32 {
    match err {
        ChannelError::Quota => EDQUOT,
        ChannelError::WrongDirection(_) => EBADF,
        ChannelError::NotSeekable => ESPIPE,
        ChannelError::BadOffset => EINVAL,
        ChannelError::BrokenPipe => EPIPE,
        ChannelError::Corrupted(_) | ChannelError::Io(_) => EIO,
    }
}

fn channel_count(ctx: &mut WasiCtx) -> i32 {
    // The table is at most MAX_CHANNELS plus three entries.
    i32::try_from(ctx.handles.len()).unwrap_or(i32::MAX)
}

fn channel_info(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    handle: i32,
    out: i32,
) -> Result<i32, i32> {
    let index = port_of(ctx, handle)?;
    let info = ChannelInfo::of(&ctx.ports[index]);
    mem.write(out as u32, &info.to_bytes())
        .map_err(|_| -EINVAL)?;
    Ok(0)
}

fn channel_name(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    handle: i32,
    buf: i32,
    len: i32,
) -> Result<i32, i32> {
    let index = port_of(ctx, handle)?;
    let len = u32::try_from(len).map_err(|_| -EFAULT)?;
    let alias = ctx.ports[index].alias().as_bytes();
    let n = alias.len().min(len as usize);
    mem.write(buf as u32, &alias[..n]).map_err(|_| -EINVAL)?;
    Ok(i32::try_from(alias.len()).unwrap_or(i32::MAX))
}

/// Adds the `zerovm` import module to `linker`; `get` finds the
/// [`WasiCtx`] in the store's data.
pub fn add_zerovm_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> &mut WasiCtx,
) -> wasmtime::Result<()> {
    linker.func_wrap(
        MODULE,
        "pread",
        move |mut caller: Caller<'_, T>, handle: i32, buf: i32, size: i32, offset: i64| {
            call(&mut caller, get, "pread", |mem, ctx| {
                pread(mem, ctx, handle, buf, size, offset)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "pwrite",
        move |mut caller: Caller<'_, T>, handle: i32, buf: i32, size: i32, offset: i64| {
            call(&mut caller, get, "pwrite", |mem, ctx| {
                pwrite(mem, ctx, handle, buf, size, offset)
            })
        },
    )?;
    linker.func_wrap(MODULE, "channel_count", move |mut caller: Caller<'_, T>| {
        channel_count(get(caller.data_mut()))
    })?;
    linker.func_wrap(
        MODULE,
        "channel_info",
        move |mut caller: Caller<'_, T>, handle: i32, out: i32| {
            call(&mut caller, get, "channel_info", |mem, ctx| {
                channel_info(mem, ctx, handle, out)
            })
        },
    )?;
    linker.func_wrap(
        MODULE,
        "channel_name",
        move |mut caller: Caller<'_, T>, handle: i32, buf: i32, len: i32| {
            call(&mut caller, get, "channel_name", |mem, ctx| {
                channel_name(mem, ctx, handle, buf, len)
            })
        },
    )?;
    linker.func_wrap(MODULE, "exit", |code: i32| -> wasmtime::Result<()> {
        // The code's bits, as proc_exit takes them.
        Err(Exit(code as u32).into())
    })?;
    // The daemon's fork point: in a copy serving a request it returns 0
    // with the request's channels in place; without daemon mode, 0 at once.
    linker.func_wrap(
        MODULE,
        "fork",
        move |mut caller: Caller<'_, T>| -> wasmtime::Result<i32> {
            match get(caller.data_mut()).fork_point() {
                Ok(()) => Ok(0),
                Err(code) => Err(Exit(code).into()),
            }
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerovm_channels::{Limits, NullChannel};

    fn port(alias: &str) -> Port {
        Port::new(alias, Box::new(NullChannel), Limits::UNLIMITED, None)
    }

    #[test]
    fn handles_put_the_standard_channels_first_then_sort_by_alias() {
        let ports = [
            port("/dev/output"),
            port("/dev/stdout"),
            port("/dev/input"),
            port("/dev/stdin"),
            port("/dev/aaa"),
        ];
        // No /dev/stderr: its handle stays, empty.
        assert_eq!(
            handle_table(&ports),
            [Some(3), Some(1), None, Some(4), Some(2), Some(0)]
        );
    }

    #[test]
    fn channel_info_layout() {
        let p = Port::new(
            "/dev/x",
            Box::new(NullChannel),
            Limits {
                reads: 1,
                read_bytes: 2,
                writes: 3,
                write_bytes: u64::MAX,
            },
            None,
        );
        let bytes = ChannelInfo::of(&p).to_bytes();
        assert_eq!(bytes[0..8], 1i64.to_le_bytes());
        assert_eq!(bytes[16..24], 3i64.to_le_bytes());
        assert_eq!(bytes[24..32], i64::MAX.to_le_bytes());
        assert_eq!(bytes[32..40], 0i64.to_le_bytes());
        assert_eq!(bytes[40..44], TYPE_SEQUENTIAL.to_le_bytes());
        assert_eq!(bytes[44..48], 6i32.to_le_bytes());
    }
}
