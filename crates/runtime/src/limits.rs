//! Enforcing the memory limit and the wall-clock timeout.

use std::sync::OnceLock;
use std::time::Duration;

use wasmtime::{EngineWeak, ResourceLimiter};

/// Most elements a table may grow to; tables hold function references, and
/// this bounds what a guest can make the host allocate for them.
pub const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Period of the epoch ticker behind wall-clock timeouts: a timeout strikes
/// within one tick of its time.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Refuses memory growth past the limit; remembers the peak and whether it
/// refused.
#[derive(Debug)]
pub(crate) struct MemoryLimiter {
    pub limit: u64,
    pub peak: u64,
    pub refused: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let desired = desired as u64;
        if desired > self.limit {
            // The guest sees memory.grow return -1, the same way every run.
            self.refused = true;
            tracing::debug!(desired, limit = self.limit, "memory growth refused");
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }
}

/// Starts (once per engine) the thread that advances the engine's epoch
/// every [`EPOCH_TICK`]; it ends when the engine is dropped.
pub(crate) fn start_epoch_ticker(engine: EngineWeak, started: &OnceLock<()>) {
    started.get_or_init(|| spawn_epoch_ticker(engine));
}

/// Starts a ticker thread unconditionally (a forked daemon copy has lost
/// its parent's).
pub(crate) fn spawn_epoch_ticker(engine: EngineWeak) {
    let spawned = std::thread::Builder::new()
        .name("zerovm-epoch".into())
        .spawn(move || loop {
            std::thread::sleep(EPOCH_TICK);
            match engine.upgrade() {
                Some(engine) => engine.increment_epoch(),
                None => return,
            }
        });
    if let Err(err) = spawned {
        tracing::error!(%err, "failed to start the epoch ticker: timeouts will not strike");
    }
}

/// Epoch ticks in `timeout`, rounded up, at least one.
pub(crate) fn timeout_ticks(timeout: Duration) -> u64 {
    let ticks = timeout.as_nanos().div_ceil(EPOCH_TICK.as_nanos());
    u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
}
