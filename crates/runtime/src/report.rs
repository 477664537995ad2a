//! The report every session ends with: JSON, or ZeroVM's 6-line text.
//!
//! The JSON form:
//!
//! ```json
//! {
//!   "validation": "passed",            // "failed" when the session never started
//!   "daemon": false,
//!   "exit_code": 0,                     // the guest's, null when it did not exit
//!   "exit_state": "ok",                 // or "session timeout", "fuel exhausted",
//!                                       // "memory limit", "disk quota exceeded (…)",
//!                                       // "trap in f: …", "output failed: …", or the error
//!   "deterministic": true,              // false only for a timeout
//!   "etags": { "/dev/stdout": "…" },    // channels that asked for one
//!   "memory_etag": null,
//!   "accounting": {
//!     "user_cpu_seconds": 0.01, "system_cpu_seconds": 0.0, "wall_seconds": 0.01,
//!     "fuel_used": null, "peak_memory_bytes": 1114112, "virtual_time_ns": 5000,
//!     "channels": [ { "alias": "/dev/stdin", "reads": 1, "read_bytes": 0,
//!                     "writes": 0, "write_bytes": 0, "network": false } ],
//!     "local":   { "reads": 1, "read_bytes": 0, "writes": 2, "write_bytes": 12 },
//!     "network": { "reads": 0, "read_bytes": 0, "writes": 0, "write_bytes": 0 }
//!   },
//!   "outputs": { "committed": ["/data/out.txt"], "discarded": [] }
//! }
//! ```
//!
//! The text form is ZeroVM's: validator state (0 passed, 1 failed), daemon
//! state, the user return code, the etags (`disabled` or `alias hex …`),
//! the accounting (`sys user` CPU seconds then reads, read bytes, writes,
//! written bytes, local then network), and the exit state.

use std::collections::BTreeMap;

use serde::Serialize;
use zerovm_channels::Counters;

use crate::{ExitState, Outcome};

/// A session's report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `passed` when the program loaded and started, `failed` otherwise.
    pub validation: &'static str,
    /// Whether the session became a daemon.
    pub daemon: bool,
    /// The guest's exit code, if it exited.
    pub exit_code: Option<u32>,
    /// How the session ended.
    pub exit_state: String,
    /// Whether another run would end the same way (false for timeouts).
    pub deterministic: bool,
    /// Etags by channel alias.
    pub etags: BTreeMap<String, String>,
    /// Hash of the final memory, if asked for.
    pub memory_etag: Option<String>,
    /// Resources used.
    pub accounting: Accounting,
    /// What became of output files.
    pub outputs: Outputs,
}

/// Resources a session used.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Accounting {
    /// User CPU time.
    pub user_cpu_seconds: f64,
    /// System CPU time.
    pub system_cpu_seconds: f64,
    /// Wall time.
    pub wall_seconds: f64,
    /// Fuel used, when limited.
    pub fuel_used: Option<u64>,
    /// Largest linear memory.
    pub peak_memory_bytes: u64,
    /// The virtual clock at the end.
    pub virtual_time_ns: u64,
    /// Per channel.
    pub channels: Vec<ChannelAccounting>,
    /// Totals of channels on this machine.
    pub local: Totals,
    /// Totals of channels across the network.
    pub network: Totals,
}

/// One channel's counters.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelAccounting {
    /// The alias.
    pub alias: String,
    /// Read operations.
    pub reads: u64,
    /// Bytes read.
    pub read_bytes: u64,
    /// Write operations.
    pub writes: u64,
    /// Bytes written.
    pub write_bytes: u64,
    /// Whether it crossed the network.
    pub network: bool,
}

/// Summed counters.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Totals {
    /// Read operations.
    pub reads: u64,
    /// Bytes read.
    pub read_bytes: u64,
    /// Write operations.
    pub writes: u64,
    /// Bytes written.
    pub write_bytes: u64,
}

impl Totals {
    fn add(&mut self, c: &Counters) {
        self.reads += c.reads;
        self.read_bytes += c.read_bytes;
        self.writes += c.writes;
        self.write_bytes += c.write_bytes;
    }
}

/// Output files kept and thrown away.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outputs {
    /// Replaced by the session's output.
    pub committed: Vec<String>,
    /// Left as they were.
    pub discarded: Vec<String>,
}

impl Report {
    /// The report of a session that ran.
    pub fn from_outcome(outcome: &Outcome) -> Self {
        let mut accounting = Accounting {
            user_cpu_seconds: outcome.user_time.as_secs_f64(),
            system_cpu_seconds: outcome.system_time.as_secs_f64(),
            wall_seconds: outcome.wall_time.as_secs_f64(),
            fuel_used: outcome.fuel_used,
            peak_memory_bytes: outcome.peak_memory,
            virtual_time_ns: outcome.virtual_time_ns,
            ..Default::default()
        };
        let mut etags = BTreeMap::new();
        for ch in &outcome.channels {
            if ch.network {
                accounting.network.add(&ch.counters);
            } else {
                accounting.local.add(&ch.counters);
            }
            accounting.channels.push(ChannelAccounting {
                alias: ch.alias.clone(),
                reads: ch.counters.reads,
                read_bytes: ch.counters.read_bytes,
                writes: ch.counters.writes,
                write_bytes: ch.counters.write_bytes,
                network: ch.network,
            });
            if let Some(etag) = &ch.etag {
                etags.insert(ch.alias.clone(), etag.clone());
            }
        }
        let paths = |v: &[std::path::PathBuf]| v.iter().map(|p| p.display().to_string()).collect();
        Report {
            validation: "passed",
            daemon: false,
            exit_code: match outcome.exit {
                ExitState::Exited(code) => Some(code),
                _ => None,
            },
            exit_state: outcome.exit.describe(),
            deterministic: outcome.exit != ExitState::Timeout,
            etags,
            memory_etag: outcome.memory_etag.clone(),
            accounting,
            outputs: Outputs {
                committed: paths(&outcome.committed),
                discarded: paths(&outcome.discarded),
            },
        }
    }

    /// The report of a session that could not start.
    pub fn from_error(message: &str) -> Self {
        Report {
            validation: "failed",
            daemon: false,
            exit_code: None,
            exit_state: message.to_owned(),
            deterministic: true,
            etags: BTreeMap::new(),
            memory_etag: None,
            accounting: Accounting::default(),
            outputs: Outputs::default(),
        }
    }

    /// As pretty JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// ZeroVM's 6-line text form.
    pub fn to_legacy_text(&self) -> String {
        let validator = if self.validation == "passed" { 0 } else { 1 };
        let etags = if self.etags.is_empty() && self.memory_etag.is_none() {
            "disabled".to_owned()
        } else {
            let mut parts: Vec<String> = self
                .etags
                .iter()
                .map(|(alias, hex)| format!("{alias} {hex}"))
                .collect();
            if let Some(m) = &self.memory_etag {
                parts.push(format!("/dev/memory {m}"));
            }
            parts.join(" ")
        };
        let a = &self.accounting;
        let (l, n) = (a.local, a.network);
        format!(
            "{validator}\n{}\n{}\n{etags}\n{:.2} {:.2} {} {} {} {} {} {} {} {}\n{}\n",
            u8::from(self.daemon),
            self.exit_code.unwrap_or(0),
            a.system_cpu_seconds,
            a.user_cpu_seconds,
            l.reads,
            l.read_bytes,
            l.writes,
            l.write_bytes,
            n.reads,
            n.read_bytes,
            n.writes,
            n.write_bytes,
            self.exit_state,
        )
    }
}
