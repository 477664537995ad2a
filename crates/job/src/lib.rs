//! ZeroCloud jobs on one machine.
//!
//! A job is ZeroCloud's JSON list of node groups (see [`spec`]). Running
//! one takes four steps, one module each:
//!
//! 1. [`spec`] parses the JSON into groups, naming the node and the field
//!    of every mistake;
//! 2. [`expand`] turns groups into concrete nodes: wildcards over the
//!    [`store`]'s listings, `count` copies, `connect` pipes, `replicate`
//!    copies, each node a [`zerovm_manifest::Session`];
//! 3. [`run`] runs the nodes concurrently on a bounded pool and, when all
//!    end well, stores their outputs;
//! 4. [`report`] gathers every node's report and ZeroCloud's `X-Nexe-*`
//!    summaries.
//!
//! `swift://account/container/object` paths map onto a directory tree
//! ([`store::Store`]); a zapp (a directory or tar holding
//! `boot/system.map`) is read by [`source`].

pub mod expand;
pub mod report;
pub mod run;
pub mod source;
pub mod spec;
pub mod store;

mod pool;

pub use expand::{expand, Job, Node};
pub use run::{run, Event, JobOptions, JobOutcome};
pub use source::JobSource;
pub use spec::{JobSpec, SpecError};
pub use store::Store;
