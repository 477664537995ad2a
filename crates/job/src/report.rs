//! The job's report: every node's session report, and ZeroCloud's
//! `X-Nexe-*` summaries (comma-separated, one entry per node).
//!
//! ```json
//! { "status": "ok",                 // or "failed"
//!   "error": null,                  // why it failed, naming the node
//!   "exit_code": 0,
//!   "wall_seconds": 0.21,
//!   "stored": ["swift://acct/out/count"],
//!   "headers": { "X-Nexe-System": "map-1,map-2,reduce",
//!                "X-Nexe-Status": "ok,ok,ok", "X-Nexe-Retcode": "0,0,0",
//!                "X-Nexe-Etag": "/dev/stdout 5d41…,disabled,…",
//!                "X-Nexe-Validation": "0,0,0",
//!                "X-Nexe-Cdr-Line": "0.210, 0.050, 0.00 0.04 3 120 2 80 0 0 0 0, …" },
//!   "nodes": [ { "name": "map-1", "id": 1, "group": "map", "replica": 0,
//!                "cancelled": false, "report": { … } } ] }
//! ```
//!
//! `X-Nexe-Status` is line 6 of each node's ZeroVM report, `X-Nexe-Etag`
//! line 4 and the accounting of `X-Nexe-Cdr-Line` line 5; the Cdr line
//! starts with the job's total seconds, then each node's seconds and its
//! ten accounting fields.

use std::collections::BTreeMap;

use serde::Serialize;
use zerovm_runtime::report::Report;

use crate::run::JobOutcome;

/// A job's report.
#[derive(Debug, Clone, Serialize)]
pub struct JobReport {
    /// `ok` or `failed`.
    pub status: &'static str,
    /// Why the job failed.
    pub error: Option<String>,
    /// The exit code `zerovm job` ends with.
    pub exit_code: u8,
    /// Wall time of the whole job.
    pub wall_seconds: f64,
    /// Objects stored.
    pub stored: Vec<String>,
    /// ZeroCloud's response headers.
    pub headers: BTreeMap<&'static str, String>,
    /// Every node.
    pub nodes: Vec<NodeReport>,
}

/// One node in the job's report.
#[derive(Debug, Clone, Serialize)]
pub struct NodeReport {
    /// Its name.
    pub name: String,
    /// ZeroCloud's node id.
    pub id: usize,
    /// Its group.
    pub group: String,
    /// 0, or which replica.
    pub replica: u8,
    /// Whether it was stopped (or its outputs dropped) because another
    /// node failed.
    pub cancelled: bool,
    /// Its session report.
    pub report: Report,
}

impl JobReport {
    /// The report of `outcome`, whose exit code is `exit_code`.
    pub fn new(outcome: &JobOutcome, exit_code: u8) -> Self {
        let nodes: Vec<NodeReport> = outcome
            .nodes
            .iter()
            .map(|n| NodeReport {
                name: n.name.clone(),
                id: n.id,
                group: n.group.clone(),
                replica: n.replica,
                cancelled: n.cancelled,
                report: n.report(),
            })
            .collect();
        let error = outcome.error.clone().or_else(|| {
            outcome.failed.map(|i| {
                let n = &nodes[i];
                let state = match n.report.exit_code {
                    Some(code) if code != 0 && n.report.exit_state == "ok" => {
                        format!("exit code {code}")
                    }
                    _ => n.report.exit_state.clone(),
                };
                format!("node {:?} failed: {state}", n.name)
            })
        });

        let lines: Vec<Vec<String>> = nodes
            .iter()
            .map(|n| {
                n.report
                    .to_legacy_text()
                    .lines()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        let column = |k: usize| {
            lines
                .iter()
                .map(|l| l.get(k).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(",")
        };
        let total = outcome.wall_time.as_secs_f64();
        let mut cdr = format!("{total:.3}");
        for (n, l) in nodes.iter().zip(&lines) {
            cdr.push_str(&format!(
                ", {:.3}, {}",
                n.report.accounting.wall_seconds,
                l.get(4).map(String::as_str).unwrap_or_default()
            ));
        }
        let mut headers = BTreeMap::new();
        headers.insert(
            "X-Nexe-System",
            nodes
                .iter()
                .map(|n| n.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
        );
        headers.insert("X-Nexe-Validation", column(0));
        headers.insert("X-Nexe-Retcode", column(2));
        headers.insert("X-Nexe-Etag", column(3));
        headers.insert("X-Nexe-Status", column(5));
        headers.insert("X-Nexe-Cdr-Line", cdr);

        JobReport {
            status: if outcome.ok() { "ok" } else { "failed" },
            error,
            exit_code,
            wall_seconds: total,
            stored: outcome.stored.clone(),
            headers,
            nodes,
        }
    }

    /// As pretty JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
