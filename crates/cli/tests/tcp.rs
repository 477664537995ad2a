//! TCP channels between two `zerovm` processes: the reading session binds,
//! the writing session connects, and the bytes arrive whole with the end of
//! stream checked.

mod common;

use std::net::TcpListener;
use std::thread;

use common::{guest, zerovm_run};

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn bytes_cross_between_two_sandboxes() {
    let cat = guest("cat");
    let port = free_port();
    let addr = format!("tcp:127.0.0.1:{port}");
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();

    let reader = {
        let cat = cat.clone();
        let spec = format!("{addr}::/dev/stdin:ro");
        thread::spawn(move || {
            zerovm_run()
                .args(["--channel", &spec, "--etag"])
                .arg(&cat)
                .run()
        })
    };
    let writer = zerovm_run()
        .args(["--channel", &format!("{addr}::/dev/stdout:wo")])
        .arg(&cat)
        .stdin(data.clone())
        .run();
    writer.assert_code(0);
    let reader = reader.join().unwrap();
    reader.assert_code(0);
    assert!(reader.stdout == data, "{}", reader.describe());
}

#[test]
fn a_writer_with_nobody_listening_is_bad_input() {
    let cat = guest("cat");
    let port = free_port();
    // Nothing binds the port: the writer gives up after the rendezvous
    // timeout with an error naming the channel.
    zerovm_run()
        .args([
            "--channel",
            &format!("tcp:127.0.0.1:{port}::/dev/stdout:wo"),
        ])
        .arg(&cat)
        .run()
        .assert_zerovm_error(120, &["/dev/stdout"]);
}

#[test]
fn a_bad_tcp_address_names_the_flag() {
    zerovm_run()
        .args(["--channel", "tcp:nowhere::/dev/in"])
        .arg(guest("cat"))
        .run()
        .assert_zerovm_error(120, &["--channel"]);
}
