//! The process exit codes of `zerovm`: a fixed table.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0–255 | the guest's own exit code (`proc_exit`, or 0 on return from `_start`); codes above 255 are taken modulo 256 by the OS |
//! | 2 | the command line is wrong |
//! | 119 | `--verify`: the two runs' etags differ |
//! | 120 | bad input: the program is missing, not WebAssembly, imports what the sandbox lacks, or an image or mount is bad |
//! | 121 | internal error of the sandbox |
//! | 122 | memory limit: the guest trapped after growth past `--memory` was refused, or its initial memory is over the limit |
//! | 123 | fuel exhausted |
//! | 124 | wall-clock timeout |
//! | 125 | outputs not saved: the host's disk filled up under a channel, or committing an output failed |
//! | 134 | the guest trapped |
//!
//! A guest can exit with any of these numbers itself; the one-line error on
//! standard error tells the two apart.
//!
//! A session from an original ZeroVM manifest exits as ZeroVM did instead:
//! 0 when the session ran (the guest's code is line 3 of the report), else
//! the errno of the failure (14 a bad manifest, 2 a missing program, 8 a
//! program that is not valid WebAssembly, 4 a timeout or trap, ...).

/// The command line is wrong (clap's own code).
pub const USAGE: u8 = 2;
/// `--verify` found the two runs' etags different.
pub const VERIFY_FAILED: u8 = 119;
/// A bad program, image, mount or option value.
pub const BAD_INPUT: u8 = 120;
/// The sandbox itself failed.
pub const INTERNAL: u8 = 121;
/// The guest ran into its memory limit and trapped.
pub const MEMORY_LIMIT: u8 = 122;
/// The guest used up its fuel.
pub const FUEL_EXHAUSTED: u8 = 123;
/// The wall-clock timeout struck.
pub const TIMEOUT: u8 = 124;
/// The outputs could not be saved.
pub const OUTPUT: u8 = 125;
/// The guest trapped.
pub const TRAP: u8 = 134;
