//! Unit tests of the tree, images and host mounts.

use super::*;

fn opts() -> OpenOptions {
    OpenOptions {
        follow: true,
        ..Default::default()
    }
}

fn create() -> OpenOptions {
    OpenOptions {
        create: true,
        write: true,
        follow: true,
        ..Default::default()
    }
}

fn write_file(vfs: &mut Vfs, root: &Handle, path: &str, data: &[u8]) {
    let h = vfs.open(root, path, create(), 5).unwrap();
    vfs.write_at(&h, 0, data, 6).unwrap();
    vfs.close(h);
}

fn read_file(vfs: &mut Vfs, root: &Handle, path: &str) -> Result<Vec<u8>> {
    let h = vfs.open(root, path, opts(), 0)?;
    let mut buf = vec![0; 4096];
    let n = vfs.read_at(&h, 0, &mut buf)?;
    vfs.close(h);
    buf.truncate(n);
    Ok(buf)
}

fn names(vfs: &mut Vfs, root: &Handle, path: &str) -> Vec<String> {
    let h = vfs.open(root, path, opts(), 0).unwrap();
    let list = vfs.read_dir(&h).unwrap();
    vfs.close(h);
    list.into_iter().map(|e| e.name).collect()
}

#[test]
fn new_tree_has_tmp_and_devices() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    assert_eq!(names(&mut vfs, &root, "."), [".", "..", "dev", "tmp"]);
    assert_eq!(
        names(&mut vfs, &root, "dev"),
        [".", "..", "full", "null", "random", "urandom", "zero"]
    );
    let null = vfs.open(&root, "dev/null", opts(), 0).unwrap();
    assert_eq!(vfs.device(&null), Some(Device::Null));
}

#[test]
fn files_are_written_read_and_counted() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    write_file(&mut vfs, &root, "tmp/a", b"hello");
    assert_eq!(read_file(&mut vfs, &root, "tmp/a").unwrap(), b"hello");
    assert_eq!(vfs.used_bytes(), 5 + INODE_COST);
    let st = vfs.path_stat(&root, "tmp/a", true).unwrap();
    assert_eq!((st.size, st.nlink, st.mtime), (5, 1, 6));
    vfs.unlink(&root, "tmp/a", 7).unwrap();
    assert_eq!(vfs.used_bytes(), 0);
    assert_eq!(read_file(&mut vfs, &root, "tmp/a"), Err(Errno::NoEnt));
}

#[test]
fn budget_is_enforced() {
    let mut vfs = Vfs::new(VfsConfig {
        max_bytes: 1000,
        start_time: 0,
    });
    let root = vfs.open_root();
    let h = vfs.open(&root, "big", create(), 0).unwrap();
    assert_eq!(vfs.write_at(&h, 0, &[1; 2000], 0), Err(Errno::NoSpace));
    assert_eq!(vfs.write_at(&h, 0, &[1; 500], 0), Ok(500));
    assert_eq!(vfs.set_size(&h, 1 << 30, 0), Err(Errno::NoSpace));
}

#[test]
fn unlinked_open_file_lives_until_closed() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    write_file(&mut vfs, &root, "f", b"data");
    let h = vfs.open(&root, "f", opts(), 0).unwrap();
    vfs.unlink(&root, "f", 1).unwrap();
    let mut buf = [0; 4];
    assert_eq!(vfs.read_at(&h, 0, &mut buf), Ok(4));
    assert_eq!(&buf, b"data");
    vfs.close(h);
    assert_eq!(vfs.used_bytes(), 0);
}

#[test]
fn inode_numbers_are_deterministic() {
    let run = || {
        let mut vfs = Vfs::new(VfsConfig::default());
        let root = vfs.open_root();
        vfs.create_dir(&root, "d", 1).unwrap();
        write_file(&mut vfs, &root, "d/x", b"1");
        vfs.path_stat(&root, "d/x", true).unwrap()
    };
    assert_eq!(run(), run());
}

#[test]
fn paths_cannot_climb_out() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    assert_eq!(vfs.path_stat(&root, "..", true), Err(Errno::NotCapable));
    assert_eq!(
        vfs.path_stat(&root, "tmp/../..", true),
        Err(Errno::NotCapable)
    );
    assert_eq!(vfs.path_stat(&root, "/tmp", true), Err(Errno::NotCapable));
    let tmp = vfs.open(&root, "tmp", opts(), 0).unwrap();
    assert_eq!(vfs.path_stat(&tmp, "..", true), Err(Errno::NotCapable));
    vfs.symlink("/dev", &tmp, "abs", 0).unwrap();
    // Absolute links restart at the root, which a walk from /tmp may not.
    assert_eq!(
        vfs.path_stat(&tmp, "abs/null", true),
        Err(Errno::NotCapable)
    );
    assert!(vfs.path_stat(&root, "tmp/abs/null", true).is_ok());
}

#[test]
fn names_cannot_hold_nul() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    assert_eq!(vfs.path_stat(&root, "tmp\0", true), Err(Errno::Inval));
    assert_eq!(vfs.create_dir(&root, "tmp/a\0b", 0), Err(Errno::Inval));
}

#[test]
fn symlink_rules() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    write_file(&mut vfs, &root, "file", b"x");
    vfs.symlink("file", &root, "link", 0).unwrap();
    vfs.symlink("loop", &root, "loop", 0).unwrap();
    vfs.symlink("missing", &root, "dangling", 0).unwrap();
    assert_eq!(read_file(&mut vfs, &root, "link").unwrap(), b"x");
    assert_eq!(vfs.readlink(&root, "link").unwrap(), "file");
    assert_eq!(
        vfs.path_stat(&root, "link", false).unwrap().file_type,
        FileType::Symlink
    );
    assert_eq!(vfs.path_stat(&root, "loop", true), Err(Errno::Loop));
    assert_eq!(vfs.path_stat(&root, "dangling", true), Err(Errno::NoEnt));
    let nofollow = OpenOptions::default();
    assert_eq!(
        vfs.open(&root, "link", nofollow, 0).err(),
        Some(Errno::Loop)
    );
    assert_eq!(vfs.path_stat(&root, "file/", true), Err(Errno::NotDir));
    assert_eq!(vfs.readlink(&root, "file"), Err(Errno::Inval));
}

#[test]
fn rename_and_link_rules() {
    let mut vfs = Vfs::new(VfsConfig::default());
    let root = vfs.open_root();
    vfs.create_dir(&root, "a", 0).unwrap();
    vfs.create_dir(&root, "b", 0).unwrap();
    write_file(&mut vfs, &root, "a/f", b"1");
    write_file(&mut vfs, &root, "g", b"2");
    assert_eq!(vfs.rename(&root, "a", &root, "a/x", 0), Err(Errno::Inval));
    assert_eq!(vfs.rename(&root, "a", &root, "g", 0), Err(Errno::NotDir));
    assert_eq!(vfs.rename(&root, "g", &root, "b", 0), Err(Errno::IsDir));
    assert_eq!(vfs.rename(&root, "b", &root, "a", 0), Err(Errno::NotEmpty));
    vfs.rename(&root, "a", &root, "b", 0).unwrap();
    assert_eq!(read_file(&mut vfs, &root, "b/f").unwrap(), b"1");
    vfs.rename(&root, "g", &root, "b/f", 0).unwrap();
    assert_eq!(read_file(&mut vfs, &root, "b/f").unwrap(), b"2");
    vfs.link(&root, "b/f", false, &root, "h", 0).unwrap();
    let (a, b) = (
        vfs.path_stat(&root, "h", false).unwrap(),
        vfs.path_stat(&root, "b/f", false).unwrap(),
    );
    assert_eq!((a.ino, a.nlink), (b.ino, 2));
    assert_eq!(vfs.link(&root, "b", false, &root, "c", 0), Err(Errno::Perm));
    assert_eq!(vfs.remove_dir(&root, "b", 0), Err(Errno::NotEmpty));
    assert_eq!(vfs.unlink(&root, "b", 0), Err(Errno::IsDir));
    assert_eq!(vfs.remove_dir(&root, "h", 0), Err(Errno::NotDir));
}

fn tar_bytes(build: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    build(&mut b);
    b.into_inner().unwrap()
}

fn add_file(b: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(100);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(&mut h, path, data).unwrap();
}

#[test]
fn images_stack_and_copy_up() {
    let long = format!("lib/{}/deep.txt", "n".repeat(150));
    let one = tar_bytes(|b| {
        add_file(b, "etc/a", b"one");
        add_file(b, "etc/b", b"bee");
        add_file(b, &long, b"long name");
    });
    let two = tar_bytes(|b| add_file(b, "./etc/a", b"two"));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &two).unwrap();
    let two_gz = gz.finish().unwrap();

    let mut vfs = Vfs::new(VfsConfig::default());
    vfs.mount_image("/", &one[..]).unwrap();
    vfs.mount_image("/", &two_gz[..]).unwrap();
    let root = vfs.open_root();
    assert_eq!(read_file(&mut vfs, &root, "etc/a").unwrap(), b"two");
    assert_eq!(read_file(&mut vfs, &root, &long).unwrap(), b"long name");
    assert_eq!(
        vfs.path_stat(&root, "etc/b", true).unwrap().mtime,
        100_000_000_000
    );
    assert_eq!(vfs.used_bytes(), 0);

    // A write copies the file up; the image's bytes stay as they were.
    let h = vfs.open(&root, "etc/b", create(), 0).unwrap();
    vfs.write_at(&h, 0, b"B", 0).unwrap();
    assert_eq!(read_file(&mut vfs, &root, "etc/b").unwrap(), b"Bee");
    assert_eq!(vfs.used_bytes(), 3 + INODE_COST);
    vfs.unlink(&root, "etc/a", 0).unwrap();
    assert_eq!(read_file(&mut vfs, &root, "etc/a"), Err(Errno::NoEnt));
}

#[test]
fn bad_images_are_refused() {
    let mut raw = tar::Header::new_old();
    raw.as_old_mut().name[..8].copy_from_slice(b"../evil\0");
    raw.set_size(0);
    raw.set_cksum();
    let mut evil = raw.as_bytes().to_vec();
    evil.extend_from_slice(&[0; 1024]);
    let mut vfs = Vfs::new(VfsConfig::default());
    let err = vfs.mount_image("/", &evil[..]).unwrap_err();
    assert!(err.to_string().contains("../evil"), "{err}");
    let err = vfs.mount_image("/", &b"not a tar at all"[..]);
    assert!(err.is_err() || err.unwrap().entries == 0);
    assert!(matches!(
        vfs.mount_image("relative", &[][..]),
        Err(ImageError::BadGuestPath(_))
    ));
}

#[test]
fn host_mount_has_no_way_out() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"s").unwrap();
    let inside = outside.path().join("inside");
    std::fs::create_dir(&inside).unwrap();
    std::fs::write(inside.join("ok"), b"ok").unwrap();
    std::os::unix::fs::symlink("../secret", inside.join("up")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), inside.join("abs")).unwrap();
    std::os::unix::fs::symlink("c1", inside.join("c2")).unwrap();
    std::os::unix::fs::symlink("c2", inside.join("c1")).unwrap();

    let mut vfs = Vfs::new(VfsConfig::default());
    vfs.mount_host("/data", &inside, true).unwrap();
    let root = vfs.open_root();
    assert_eq!(read_file(&mut vfs, &root, "data/ok").unwrap(), b"ok");
    // `..` from the mount root leads back to the sandbox's own root.
    assert_eq!(
        names(&mut vfs, &root, "data/.."),
        names(&mut vfs, &root, ".")
    );
    // A relative link out of the mount lands in the sandbox's `/`.
    assert_eq!(read_file(&mut vfs, &root, "data/up"), Err(Errno::NoEnt));
    // An absolute link resolves inside the sandbox, not on the host.
    assert_eq!(read_file(&mut vfs, &root, "data/abs"), Err(Errno::NoEnt));
    assert_eq!(read_file(&mut vfs, &root, "data/c1"), Err(Errno::Loop));
    let data = vfs.open(&root, "data", opts(), 0).unwrap();
    assert_eq!(read_file(&mut vfs, &data, "up"), Err(Errno::NotCapable));
    assert_eq!(
        read_file(&mut vfs, &data, "../data/ok"),
        Err(Errno::NotCapable)
    );
    // Renames and links across the mount edge fail.
    write_file(&mut vfs, &root, "tmp/m", b"m");
    assert_eq!(
        vfs.rename(&root, "tmp/m", &root, "data/m", 0),
        Err(Errno::CrossDevice)
    );
    assert_eq!(
        vfs.rename(&root, "data/ok", &root, "tmp/ok", 0),
        Err(Errno::CrossDevice)
    );
    assert_eq!(
        vfs.link(&root, "data/ok", false, &root, "tmp/l", 0),
        Err(Errno::CrossDevice)
    );
    assert_eq!(
        vfs.rename(&root, "data", &root, "tmp/d", 0),
        Err(Errno::Busy)
    );
    // An absolute symlink may not be planted on the host.
    assert_eq!(
        vfs.symlink("/etc/passwd", &root, "data/p", 0),
        Err(Errno::Perm)
    );
    // Writes reach the host.
    write_file(&mut vfs, &root, "data/new", b"n");
    assert_eq!(std::fs::read(inside.join("new")).unwrap(), b"n");
    assert_eq!(std::fs::read(outside.path().join("secret")).unwrap(), b"s");
}

#[test]
fn read_only_host_mount_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f"), b"f").unwrap();
    let mut vfs = Vfs::new(VfsConfig::default());
    vfs.mount_host("/ro", dir.path(), false).unwrap();
    let root = vfs.open_root();
    assert_eq!(read_file(&mut vfs, &root, "ro/f").unwrap(), b"f");
    assert_eq!(
        vfs.open(&root, "ro/f", create(), 0).err(),
        Some(Errno::ReadOnly)
    );
    assert_eq!(
        vfs.open(&root, "ro/g", create(), 0).err(),
        Some(Errno::ReadOnly)
    );
    assert_eq!(vfs.unlink(&root, "ro/f", 0), Err(Errno::ReadOnly));
    assert_eq!(vfs.create_dir(&root, "ro/d", 0), Err(Errno::ReadOnly));
}

#[test]
fn channel_devices_appear_at_their_alias() {
    let mut vfs = Vfs::new(VfsConfig::default());
    vfs.add_device("/dev/in/node-1", Device::Channel(4))
        .unwrap();
    vfs.add_device("/dev/input", Device::Channel(3)).unwrap();
    assert!(vfs.add_device("dev/x", Device::Channel(0)).is_err());
    let root = vfs.open_root();
    let h = vfs.open(&root, "dev/in/node-1", opts(), 0).unwrap();
    assert_eq!(vfs.device(&h), Some(Device::Channel(4)));
    assert_eq!(h.file_type(), FileType::CharDevice);
    assert_eq!(names(&mut vfs, &root, "dev/in"), [".", "..", "node-1"]);
}
