//! The manifest cases of ZeroVM's functional tests
//! (tests/functional/manifest/*.manifest), each with the exit status the
//! original gave. `malformed_nexe` (ENOEXEC) is decided when the module
//! loads, so it is tested through the command line.

use super::*;

const STD: &str = "Channel = /dev/stdin, /dev/stdin, 0, 0, 1, 1, 0, 0
Channel = /dev/stdout, /dev/stdout, 0, 0, 0, 0, 1, 1
Channel = /dev/stderr, /dev/stderr, 0, 0, 0, 0, 1, 1
";

const HEAD: &str = "Version = 20130611
Memory = 33554432, 0
Timeout = 1
Program = dummy.wasm
";

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("dummy.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.path().join("input.txt"), b"data").unwrap();
        Fixture { dir }
    }

    fn parse(&self, text: &str) -> Result<Session, ManifestError> {
        let path = self.dir.path().join("test.manifest");
        let text = text.replace("$DIR", &self.dir.path().display().to_string());
        std::fs::write(&path, &text).unwrap();
        load(&path)
    }

    fn errno(&self, text: &str) -> i32 {
        match self.parse(text) {
            Ok(_) => 0,
            Err(e) => e.errno,
        }
    }
}

fn with(head: &str, channels: &str) -> String {
    format!("{head}{channels}")
}

#[test]
fn good_manifest_parses() {
    let f = Fixture::new();
    let s = f.parse(&with(HEAD, STD)).unwrap();
    assert_eq!(s.format, Format::Legacy);
    assert_eq!(s.limits.memory, 33554432);
    assert_eq!(s.limits.timeout, Some(Duration::from_secs(1)));
    assert_eq!(s.channels.len(), 3);
    assert_eq!(s.channels[1].source, ChannelSource::HostStdout);
    assert_eq!(s.channels[1].mode, FileMode::Write);
    // Comment lines with several `=` and unknown keys are ignored.
    let noisy = format!("====== a comment ======\nUnknown = 5\n{HEAD}{STD}");
    assert_eq!(f.errno(&noisy), 0);
}

#[test]
fn efault_cases() {
    let f = Fixture::new();
    let head_without = |key: &str| {
        HEAD.lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    let head_with = |key: &str, value: &str| {
        HEAD.lines()
            .map(|l| {
                if l.starts_with(key) {
                    format!("{key} = {value}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect::<String>()
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "duplicated_channel_alias",
            with(HEAD, &format!("{STD}Channel = $DIR/input.txt, /dev/stdin, 0, 0, 1, 1, 0, 0\n")),
        ),
        ("empty_manifest", String::new()),
        (
            "invalid_channel_access_type",
            with(HEAD, &format!("{STD}Channel = $DIR/input.txt, /dev/input, 4, 0, 1, 1, 0, 0\n")),
        ),
        (
            "invalid_channel_path",
            with(HEAD, &format!("{STD}Channel = input.txt, /dev/input, 0, 0, 1, 1, 0, 0\n")),
        ),
        (
            "invalid_limits",
            with(HEAD, &format!("{STD}Channel = $DIR/input.txt, /dev/input, 0, 0, -1, 1, 0, 0\n")),
        ),
        ("invalid_memory_tag", with(&head_with("Memory", "33554432, 2"), STD)),
        (
            "invalid_name_server_host",
            with(HEAD, &format!("{STD}NameServer = udp:localhost:54321\nNode = 1\n")),
        ),
        (
            "invalid_name_server_proto",
            with(HEAD, &format!("{STD}NameServer = tcp:127.0.0.1:54321\nNode = 1\n")),
        ),
        (
            "invalid_name_server_type",
            with(HEAD, &format!("{STD}NameServer = udp:127.0.0.1\nNode = 1\n")),
        ),
        ("invalid_node", with(HEAD, &format!("{STD}Node = zero\n"))),
        ("invalid_timeout", with(&head_with("Timeout", "soon"), STD)),
        ("missed_memory_tag", with(&head_with("Memory", "33554432"), STD)),
        (
            "name_server_missed_node",
            with(HEAD, &format!("{STD}NameServer = udp:127.0.0.1:54321\n")),
        ),
        ("negative_timeout", with(&head_with("Timeout", "-1"), STD)),
        ("nexe_skipped", with(&head_without("Program"), STD)),
        ("no_channels", HEAD.to_owned()),
        (
            "no_std_channels",
            with(HEAD, "Channel = $DIR/input.txt, /dev/input, 0, 0, 1, 1, 0, 0\n"),
        ),
        ("no_version", with(&head_without("Version"), STD)),
        (
            "not_enough_std_channels",
            with(
                HEAD,
                "Channel = /dev/stdin, /dev/stdin, 0, 0, 1, 1, 0, 0\nChannel = /dev/stdout, /dev/stdout, 0, 0, 0, 0, 1, 1\n",
            ),
        ),
        (
            "not_existing_channel_name",
            with(HEAD, &format!("{STD}Channel = $DIR/missing.txt, /dev/input, 0, 0, 1, 1, 0, 0\n")),
        ),
        (
            "too_few_channel_attributes",
            with(HEAD, &format!("{STD}Channel = $DIR/input.txt, /dev/input, 0, 0, 1, 1, 0\n")),
        ),
        (
            "too_much_channel_attributes",
            with(HEAD, &format!("{STD}Channel = $DIR/input.txt, /dev/input, 0, 0, 1, 1, 0, 0, 0\n")),
        ),
    ];
    assert_eq!(cases.len(), 22);
    for (name, text) in cases {
        let result = f.parse(&text);
        let err = result.expect_err(name);
        assert_eq!(err.errno, 14, "{name}: {err}");
        assert!(!err.message.is_empty(), "{name}");
    }
}

#[test]
fn other_errno_cases() {
    let f = Fixture::new();
    let sock_path = f.dir.path().join("log.sock");
    let _sock = std::os::unix::net::UnixListener::bind(&sock_path).unwrap();
    let cases: Vec<(&str, String, i32)> = vec![
        (
            "invalid_nexe",
            HEAD.replace("dummy.wasm", "nonexistent/dummy.wasm") + STD,
            2,
        ),
        (
            "no_nexe",
            HEAD.replace("dummy.wasm", "missing.wasm") + STD,
            2,
        ),
        (
            "too_large_nexe",
            HEAD.replace("dummy.wasm", "/dev/zero") + STD,
            5,
        ),
        (
            "invalid_memory",
            HEAD.replace("33554432, 0", "-1, 0") + STD,
            12,
        ),
        (
            "nil_channel",
            with(
                HEAD,
                &format!("{STD}Channel = $DIR/input.txt, /dev/input, 0, 0, 0, 0, 0, 0\n"),
            ),
            22,
        ),
        (
            "invalid_channel_source_type",
            with(
                HEAD,
                &format!(
                    "{STD}Channel = {}, /dev/log, 0, 0, 0, 0, 1, 1\n",
                    sock_path.display()
                ),
            ),
            93,
        ),
        ("good", with(HEAD, STD), 0),
    ];
    for (name, text, errno) in cases {
        assert_eq!(f.errno(&text), errno, "{name}");
    }
}

#[test]
fn errors_name_the_line() {
    let f = Fixture::new();
    let text = format!("{HEAD}{STD}Channel = $DIR/input.txt, /dev/in, 9, 0, 1, 1, 0, 0\n");
    let err = f.parse(&text).unwrap_err();
    assert_eq!(err.line, Some(8));
    assert!(err.to_string().contains("test.manifest:8:"), "{err}");
    assert!(err.message.contains("access type"), "{err}");
}

#[test]
fn numbers_are_strtoll() {
    assert_eq!(strtoll("0x10"), Some(16));
    assert_eq!(strtoll("010"), Some(8));
    assert_eq!(strtoll("-3"), Some(-3));
    assert_eq!(strtoll("12abc"), None);
    assert_eq!(strtoll(""), None);
}

#[test]
fn nvram_configures_the_session() {
    let f = Fixture::new();
    let tar = f.dir.path().join("lib.tar");
    std::fs::write(&tar, b"").unwrap();
    std::fs::write(
        f.dir.path().join("nvram"),
        "[args]\nargs = prog \"a b\" c\n[env]\nname=K, value=x\\x2cy\n[fstab]\nchannel=/dev/lib.tar, mountpoint=/lib, access=ro\nchannel=/dev/out.tar, mountpoint=/out, access=wo\n[time]\nseconds=77\n",
    )
    .unwrap();
    let text = format!(
        "{HEAD}{STD}Channel = $DIR/nvram, /dev/nvram, 0, 0, 1, 1, 0, 0\nChannel = $DIR/lib.tar, /dev/lib.tar, 3, 0, 1, 1, 0, 0\nChannel = $DIR/out.tar, /dev/out.tar, 0, 0, 0, 0, 1, 1\n"
    );
    let s = f.parse(&text).unwrap();
    assert_eq!(s.args, ["prog", "a b", "c"]);
    assert_eq!(s.env, [("K".to_owned(), "x,y".to_owned())]);
    assert_eq!(s.start_time, 77);
    assert_eq!(
        s.mounts,
        [Mount::Image {
            tar,
            guest: "/lib".into()
        }]
    );
    assert_eq!(
        s.exports,
        [TarExport {
            dir: "/out".into(),
            channel: "/dev/out.tar".into()
        }]
    );
}
