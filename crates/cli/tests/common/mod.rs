//! Shared harness of the `zerovm` CLI tests: builds the C guests once per
//! test process, runs the real binary with a watchdog, and checks the
//! summary line every self-checking guest prints.

#![allow(dead_code, reason = "each test binary uses its own subset")]

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// How long any one `zerovm` run may take before the harness kills it. A
/// limit the sandbox fails to enforce must fail the test, not hang it.
const WATCHDOG: Duration = Duration::from_secs(120);

/// The workspace root (this crate is `crates/cli`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the compiled guests go: `guests/` beside the profile directories
/// of the target directory that holds the `zerovm` binary under test.
fn guests_out_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_zerovm"));
    let target = bin
        .parent()
        .and_then(Path::parent)
        .expect("the zerovm binary lies in <target>/<profile>/");
    target.join("guests")
}

/// Builds every C guest once per process with `scripts/build-guests.sh`.
/// A missing toolchain is a test failure carrying the script's message.
fn guests_dir() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let out = guests_out_dir();
        let script = workspace_root().join("scripts/build-guests.sh");
        let result = Command::new("bash")
            .arg(&script)
            .arg(&out)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("failed to run {}: {e}", script.display()))?;
        if result.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "building the test guests failed ({}):\n{}{}",
                result.status,
                String::from_utf8_lossy(&result.stdout),
                String::from_utf8_lossy(&result.stderr)
            ))
        }
    });
    match built {
        Ok(dir) => dir,
        Err(message) => panic!("{message}"),
    }
}

/// The compiled `tests/guests/NAME.c`.
pub fn guest(name: &str) -> PathBuf {
    let path = guests_dir().join(format!("{name}.wasm"));
    assert!(path.exists(), "no guest {}", path.display());
    path
}

/// The WebAssembly text `tests/guests/NAME.wat`, passed to `zerovm` as is.
pub fn wat(name: &str) -> PathBuf {
    let path = workspace_root().join(format!("tests/guests/{name}.wat"));
    assert!(path.exists(), "no WAT guest {}", path.display());
    path
}

/// One `zerovm` command line being put together.
pub struct Invocation {
    args: Vec<OsString>,
    stdin: Vec<u8>,
    cwd: Option<PathBuf>,
}

/// Starts a command line `zerovm ARGS...`.
pub fn zerovm() -> Invocation {
    Invocation {
        args: Vec::new(),
        stdin: Vec::new(),
        cwd: None,
    }
}

/// Starts `zerovm run` (options and the program follow).
pub fn zerovm_run() -> Invocation {
    zerovm().arg("run")
}

impl Invocation {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Bytes fed to the program's standard input (empty by default).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = bytes.into();
        self
    }

    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    /// Runs the command to its end (or the watchdog's) and collects it.
    pub fn run(self) -> Finished {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zerovm"));
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // The guest must not see the host's environment anyway, but
            // keep the sandbox's own diagnostics out of stderr.
            .env_remove("ZEROVM_LOG");
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        let shown = format!("zerovm {}", shell_words(&self.args));

        let start = Instant::now();
        let mut child = cmd.spawn().expect("failed to start zerovm");

        // Feed and drain on threads so that no pipe can fill up and stall.
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = self.stdin;
        let feeder = thread::spawn(move || {
            // A guest that does not read stdin may exit first: ignore EPIPE.
            let _ = stdin.write_all(&input);
        });
        let stdout = drain(child.stdout.take().expect("piped stdout"));
        let stderr = drain(child.stderr.take().expect("piped stderr"));

        let status = loop {
            if let Some(status) = child.try_wait().expect("failed to wait") {
                break status;
            }
            if start.elapsed() > WATCHDOG {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{shown}` still running after {WATCHDOG:?}; killed");
            }
            thread::sleep(Duration::from_millis(5));
        };
        let elapsed = start.elapsed();
        let _ = feeder.join();
        Finished {
            shown,
            status,
            stdout: stdout.join().expect("stdout reader"),
            stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
            elapsed,
        }
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn shell_words(args: &[OsString]) -> String {
    args.iter()
        .map(|a| {
            let a = a.to_string_lossy();
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A finished `zerovm` run.
pub struct Finished {
    /// The command line, for failure messages.
    pub shown: String,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// Wall-clock time of the whole process.
    pub elapsed: Duration,
}

impl Finished {
    /// The exit code; a death by signal fails the test.
    pub fn code(&self) -> i32 {
        match self.status.code() {
            Some(code) => code,
            None => panic!("{}\nkilled by a signal: {}", self.describe(), self.status),
        }
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8(self.stdout.clone())
            .unwrap_or_else(|_| panic!("{}\nstdout is not UTF-8", self.describe()))
    }

    /// Everything about the run, for assertion messages.
    pub fn describe(&self) -> String {
        format!(
            "command: {}\nstatus: {}\nelapsed: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.shown,
            self.status,
            self.elapsed,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }

    pub fn assert_code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code(),
            expected,
            "unexpected exit code\n{}",
            self.describe()
        );
        self
    }

    pub fn assert_stdout(&self, expected: &str) -> &Self {
        assert_eq!(
            self.stdout_str(),
            expected,
            "unexpected stdout\n{}",
            self.describe()
        );
        self
    }

    pub fn assert_stderr(&self, expected: &str) -> &Self {
        assert_eq!(
            self.stderr,
            expected,
            "unexpected stderr\n{}",
            self.describe()
        );
        self
    }

    /// The sandbox's own error: exactly one line starting `zerovm: `
    /// (the guest printed nothing to stderr before it), containing every
    /// one of `needles`. Returns the line.
    pub fn assert_zerovm_error(&self, code: i32, needles: &[&str]) -> String {
        self.assert_code(code);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert!(
            lines.len() == 1 && lines[0].starts_with("zerovm: "),
            "expected one `zerovm: ` line on stderr\n{}",
            self.describe()
        );
        for needle in needles {
            assert!(
                lines[0].contains(needle),
                "stderr line lacks {needle:?}\n{}",
                self.describe()
            );
        }
        lines[0].to_owned()
    }

    /// A self-checking guest passed: exit 0, nothing on stderr, and the
    /// last stdout line is `GUEST: N checks passed` with N > 0. Returns
    /// the stdout lines before the summary.
    pub fn assert_guest_passed(&self, guest: &str) -> Vec<String> {
        self.assert_stderr("");
        self.assert_code(0);
        let out = self.stdout_str();
        let mut lines: Vec<String> = out.lines().map(str::to_owned).collect();
        let summary = lines.pop().unwrap_or_default();
        let count = summary
            .strip_prefix(&format!("{guest}: "))
            .and_then(|rest| rest.strip_suffix(" checks passed"))
            .and_then(|n| n.parse::<u32>().ok());
        assert!(
            matches!(count, Some(n) if n > 0),
            "bad summary line {summary:?}\n{}",
            self.describe()
        );
        assert!(out.ends_with('\n'), "stdout not newline-terminated");
        lines
    }
}

/// Makes a tar archive of `dir` with the system's `tar` (`gzip` too when
/// `gz`), so the tests need no archive crate.
pub fn make_tar(dir: &Path, out: &Path, gz: bool) {
    let status = Command::new("tar")
        .arg(if gz { "-czf" } else { "-cf" })
        .arg(out)
        .arg("-C")
        .arg(dir)
        .arg(".")
        .status()
        .expect("failed to run tar");
    assert!(status.success(), "tar failed for {}", dir.display());
}
