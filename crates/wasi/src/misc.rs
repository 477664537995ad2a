//! Arguments, environment, clocks, randomness, polling, signals and the
//! socket stubs.

use rand_core::RngCore;

use crate::fdtable::FdKind;
use crate::memory::{offset, GuestMemory};
use crate::{Errno, WasiCtx, CLOCK_STEP_NS, MAX_SUBSCRIPTIONS};

/// Writes a list of strings as C strings: pointers at `ptrs`, bytes at
/// `buf`.
fn write_strings(
    mem: &mut GuestMemory<'_>,
    items: &[String],
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let mut at = buf;
    for (i, item) in items.iter().enumerate() {
        let slot = u32::try_from(i)
            .ok()
            .and_then(|i| i.checked_mul(4))
            .ok_or(Errno::Fault)?;
        mem.write_u32(offset(ptrs, slot)?, at)?;
        mem.write(at, item.as_bytes())?;
        let len = u32::try_from(item.len()).map_err(|_| Errno::Fault)?;
        at = offset(at, len)?;
        mem.write_u8(at, 0)?;
        at = offset(at, 1)?;
    }
    Ok(())
}

fn write_sizes(
    mem: &mut GuestMemory<'_>,
    items: &[String],
    count: u32,
    size: u32,
) -> Result<(), Errno> {
    let n = u32::try_from(items.len()).map_err(|_| Errno::Overflow)?;
    let bytes: usize = items.iter().map(|s| s.len() + 1).sum();
    let bytes = u32::try_from(bytes).map_err(|_| Errno::Overflow)?;
    mem.write_u32(count, n)?;
    mem.write_u32(size, bytes)
}

pub(crate) fn args_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    argv: u32,
    buf: u32,
) -> Result<(), Errno> {
    write_strings(mem, &ctx.args, argv, buf)
}

pub(crate) fn args_sizes_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    argc: u32,
    size: u32,
) -> Result<(), Errno> {
    write_sizes(mem, &ctx.args, argc, size)
}

pub(crate) fn environ_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    env: u32,
    buf: u32,
) -> Result<(), Errno> {
    write_strings(mem, &ctx.env, env, buf)
}

pub(crate) fn environ_sizes_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    count: u32,
    size: u32,
) -> Result<(), Errno> {
    write_sizes(mem, &ctx.env, count, size)
}

/// Realtime, monotonic, process and thread CPU time: all four read the one
/// virtual clock, since real CPU time would differ from run to run.
fn check_clock(id: u32) -> Result<(), Errno> {
    if id <= 3 {
        Ok(())
    } else {
        Err(Errno::Inval)
    }
}

pub(crate) fn clock_res_get(
    mem: &mut GuestMemory<'_>,
    _ctx: &mut WasiCtx,
    id: u32,
    out: u32,
) -> Result<(), Errno> {
    check_clock(id)?;
    mem.write_u64(out, CLOCK_STEP_NS)
}

pub(crate) fn clock_time_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    id: u32,
    _precision: u64,
    out: u32,
) -> Result<(), Errno> {
    check_clock(id)?;
    mem.slice(out, 8)?;
    let now = ctx.tick();
    mem.write_u64(out, now)
}

pub(crate) fn random_get(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    buf: u32,
    len: u32,
) -> Result<(), Errno> {
    ctx.rng.fill_bytes(mem.slice_mut(buf, len)?);
    Ok(())
}

pub(crate) fn sched_yield(_mem: &mut GuestMemory<'_>, _ctx: &mut WasiCtx) -> Result<(), Errno> {
    Ok(())
}

/// Signals do not exist in the sandbox.
pub(crate) fn proc_raise(
    _mem: &mut GuestMemory<'_>,
    _ctx: &mut WasiCtx,
    _signal: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}

const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;
const EVENT_CLOCK: u8 = 0;
const EVENT_FD_READ: u8 = 1;
const EVENT_FD_WRITE: u8 = 2;
const SUBCLOCK_ABSTIME: u16 = 1;

struct Event {
    userdata: u64,
    error: Option<Errno>,
    kind: u8,
    nbytes: u64,
}

/// Waits for the first subscription to be ready. Descriptors of files,
/// devices and streams are always ready; when none is subscribed to, the
/// virtual clock jumps to the earliest deadline instead of sleeping.
pub(crate) fn poll_oneoff(
    mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    subs: u32,
    events: u32,
    count: u32,
    nevents: u32,
) -> Result<(), Errno> {
    if count == 0 || count > MAX_SUBSCRIPTIONS {
        return Err(Errno::Inval);
    }
    let sub_bytes = count.checked_mul(SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?;
    let event_bytes = count.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?;
    mem.slice(subs, sub_bytes)?;
    mem.slice(events, event_bytes)?;
    mem.slice(nevents, 4)?;

    let now = ctx.clock_ns;
    let mut ready: Vec<Event> = Vec::new();
    let mut clocks: Vec<(u64, u64)> = Vec::new();
    for i in 0..count {
        let at = subs + i * SUBSCRIPTION_SIZE;
        let userdata = mem.read_u64(at)?;
        let tag = mem.read_u8(at + 8)?;
        match tag {
            EVENT_CLOCK => {
                let id = mem.read_u32(at + 16)?;
                let timeout = mem.read_u64(at + 24)?;
                let flags = mem.read_u16(at + 40)?;
                if check_clock(id).is_err() {
                    ready.push(Event {
                        userdata,
                        error: Some(Errno::Inval),
                        kind: tag,
                        nbytes: 0,
                    });
                    continue;
                }
                let deadline = if flags & SUBCLOCK_ABSTIME != 0 {
                    timeout
                } else {
                    now.saturating_add(timeout)
                };
                clocks.push((deadline, userdata));
            }
            EVENT_FD_READ | EVENT_FD_WRITE => {
                let fd = mem.read_u32(at + 16)?;
                let (error, nbytes) = fd_readiness(ctx, fd, tag);
                ready.push(Event {
                    userdata,
                    error,
                    kind: tag,
                    nbytes,
                });
            }
            _ => return Err(Errno::Inval),
        }
    }

    // With no descriptor ready, time passes until the first deadline.
    let now = if ready.is_empty() {
        let first = clocks.iter().map(|(d, _)| *d).min().unwrap_or(now);
        ctx.clock_ns = ctx.clock_ns.max(first);
        ctx.clock_ns
    } else {
        now
    };
    for (deadline, userdata) in clocks {
        if deadline <= now {
            ready.push(Event {
                userdata,
                error: None,
                kind: EVENT_CLOCK,
                nbytes: 0,
            });
        }
    }

    for (i, event) in ready.iter().enumerate() {
        // i < count, so this stays inside the range checked above.
        let at = events + i as u32 * EVENT_SIZE;
        let mut b = [0u8; EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&event.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&event.error.map_or(0, |e| e as u16).to_le_bytes());
        b[10] = event.kind;
        b[16..24].copy_from_slice(&event.nbytes.to_le_bytes());
        mem.write(at, &b)?;
    }
    // ready.len() <= count.
    mem.write_u32(nevents, ready.len() as u32)
}

/// Whether `fd` is ready for the subscription, and how many bytes.
fn fd_readiness(ctx: &mut WasiCtx, fd: u32, tag: u8) -> (Option<Errno>, u64) {
    let WasiCtx { fds, vfs, .. } = ctx;
    let Ok(f) = fds.get(fd) else {
        return (Some(Errno::Badf), 0);
    };
    match &f.kind {
        FdKind::File {
            handle,
            offset,
            device: None,
        } if tag == EVENT_FD_READ => match vfs.stat(handle) {
            Ok(st) => (None, st.size.saturating_sub(*offset)),
            Err(e) => (Some(e.into()), 0),
        },
        FdKind::File { .. } | FdKind::Channel { .. } => (None, 0),
        FdKind::Dir { .. } => (Some(Errno::Badf), 0),
    }
}

/// No descriptor is a socket until socket channels exist.
fn not_a_socket(ctx: &WasiCtx, fd: u32) -> Result<(), Errno> {
    ctx.fds.get(fd)?;
    Err(Errno::Notsock)
}

pub(crate) fn sock_accept(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    _flags: u32,
    _out: u32,
) -> Result<(), Errno> {
    not_a_socket(ctx, fd)
}

pub(crate) fn sock_recv(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    _iovs: u32,
    _len: u32,
    _flags: u32,
    _nread: u32,
    _oflags: u32,
) -> Result<(), Errno> {
    not_a_socket(ctx, fd)
}

pub(crate) fn sock_send(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    _iovs: u32,
    _len: u32,
    _flags: u32,
    _nwritten: u32,
) -> Result<(), Errno> {
    not_a_socket(ctx, fd)
}

pub(crate) fn sock_shutdown(
    _mem: &mut GuestMemory<'_>,
    ctx: &mut WasiCtx,
    fd: u32,
    _how: u32,
) -> Result<(), Errno> {
    not_a_socket(ctx, fd)
}
