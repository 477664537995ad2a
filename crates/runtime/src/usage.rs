//! CPU time of the session's thread, for the report.

use std::time::Duration;

/// User and system CPU time of the calling thread so far.
pub(crate) fn thread_cpu() -> (Duration, Duration) {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `usage` points to writable memory the size of a `rusage`;
    // getrusage only writes into it, and RUSAGE_THREAD is valid on Linux.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_THREAD, usage.as_mut_ptr()) };
    if rc != 0 {
        return (Duration::ZERO, Duration::ZERO);
    }
    // SAFETY: getrusage succeeded, so it filled the whole struct (and it
    // was zeroed before).
    let usage = unsafe { usage.assume_init() };
    (timeval(usage.ru_utime), timeval(usage.ru_stime))
}

/// CPU time spent since `start` (a reading of [`thread_cpu`]).
pub(crate) fn since(start: (Duration, Duration)) -> (Duration, Duration) {
    let now = thread_cpu();
    (now.0.saturating_sub(start.0), now.1.saturating_sub(start.1))
}

fn timeval(t: libc::timeval) -> Duration {
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let micros = u64::try_from(t.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(micros)
}
