//! Daemon mode: a session that reaches its fork point serves requests on a
//! Unix socket, each from a copy of itself with the request's channels.

mod common;

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::guest;

/// Sends one request and returns the daemon's framed answer as JSON.
fn request(socket: &Path, channels: &[(&str, &Path)]) -> serde_json::Value {
    let mut conn = UnixStream::connect(socket).expect("connect to the daemon");
    let map: serde_json::Map<String, serde_json::Value> = channels
        .iter()
        .map(|(alias, path)| ((*alias).to_owned(), path.display().to_string().into()))
        .collect();
    let body = serde_json::json!({ "channels": map }).to_string();
    conn.write_all(&(body.len() as u32).to_be_bytes()).unwrap();
    conn.write_all(body.as_bytes()).unwrap();
    let mut len = [0u8; 4];
    conn.read_exact(&mut len).expect("answer length");
    let mut answer = vec![0u8; u32::from_be_bytes(len) as usize];
    conn.read_exact(&mut answer).expect("answer");
    serde_json::from_slice(&answer).expect("answer is JSON")
}

/// Waits until the daemon has bound its socket.
fn wait_for(socket: &Path) {
    let start = Instant::now();
    while UnixStream::connect(socket).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "daemon never listened"
        );
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn many_concurrent_requests_each_get_their_own_copy() {
    let work = tempfile::tempdir().unwrap();
    let socket = work.path().join("daemon.sock");
    const CLIENTS: usize = 8;
    const EACH: usize = 4;
    // One probe connection from wait_for() counts as a refused request,
    // not a served one; serve exactly the real ones.
    let daemon = Command::new(env!("CARGO_BIN_EXE_zerovm"))
        .args(["run", "--daemon"])
        .arg(&socket)
        .args(["--daemon-requests", &(CLIENTS * EACH).to_string()])
        .arg(guest("cat"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&socket);

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let socket = socket.clone();
            let dir = work.path().to_owned();
            thread::spawn(move || {
                for r in 0..EACH {
                    let input = dir.join(format!("in-{c}-{r}"));
                    let output = dir.join(format!("out-{c}-{r}"));
                    let text = format!("client {c} request {r}\n").repeat(100);
                    std::fs::write(&input, &text).unwrap();
                    let answer =
                        request(&socket, &[("/dev/stdin", &input), ("/dev/stdout", &output)]);
                    assert_eq!(answer["exit_state"], "ok", "{answer}");
                    assert_eq!(answer["exit_code"], 0, "{answer}");
                    assert_eq!(std::fs::read_to_string(&output).unwrap(), text);
                    let stdin = &answer["accounting"]["channels"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|c| c["alias"] == "/dev/stdin")
                        .unwrap()["read_bytes"];
                    assert_eq!(stdin.as_u64(), Some(text.len() as u64), "{answer}");
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    let out = daemon.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!socket.exists(), "the daemon removes its socket when done");
}

#[test]
fn bad_requests_get_an_error_and_the_daemon_carries_on() {
    let work = tempfile::tempdir().unwrap();
    let socket = work.path().join("daemon.sock");
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_zerovm"))
        .args(["run", "--daemon"])
        .arg(&socket)
        .args(["--daemon-requests", "1"])
        .arg(guest("cat"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(&socket);

    let undeclared = request(&socket, &[("/dev/secret", Path::new("/etc/passwd"))]);
    assert!(
        undeclared["error"]
            .as_str()
            .unwrap()
            .contains("/dev/secret"),
        "{undeclared}"
    );
    let relative = request(&socket, &[("/dev/stdin", Path::new("in.txt"))]);
    assert!(
        relative["error"].as_str().unwrap().contains("absolute"),
        "{relative}"
    );
    let missing = work.path().join("missing");
    let answer = request(&socket, &[("/dev/stdin", &missing)]);
    assert!(
        answer["error"].as_str().unwrap().contains("missing"),
        "{answer}"
    );

    let input = work.path().join("in");
    let output = work.path().join("out");
    std::fs::write(&input, "fine\n").unwrap();
    let answer = request(&socket, &[("/dev/stdin", &input), ("/dev/stdout", &output)]);
    assert_eq!(answer["exit_state"], "ok", "{answer}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "fine\n");
    assert!(daemon.wait().unwrap().success());
}
