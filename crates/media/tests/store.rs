//! `MediaStore` on a real temporary directory.

use frontier_media::{ContentHash, MediaStore, OutputFormat, StoreError};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every file below `dir`, recursively, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries {
        let path = entry.expect("read dir entry").path();
        if path.is_dir() { out.extend(files(&path)) } else { out.push(path) }
    }
    out.sort();
    out
}

fn temp_store() -> (tempfile::TempDir, MediaStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = MediaStore::new(dir.path().join("media"));
    (dir, store)
}

#[test]
fn files_are_named_by_their_sha256_in_two_levels() {
    let (_dir, store) = temp_store();
    let stored = store.put(b"abc", OutputFormat::Jpeg).expect("put");
    // SHA-256("abc") from FIPS 180-2.
    let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert_eq!(stored.hash.as_str(), hex);
    assert!(stored.created);
    assert_eq!(stored.path, store.root().join("ba").join("78").join(format!("{hex}.jpg")));
    assert_eq!(std::fs::read(&stored.path).expect("read back"), b"abc");
    assert_eq!(files(store.root()), vec![stored.path.clone()]);
}

#[test]
fn the_same_bytes_twice_make_one_file() {
    let (_dir, store) = temp_store();
    let first = store.put(b"same picture", OutputFormat::Png).expect("first put");
    let modified = std::fs::metadata(&first.path).and_then(|m| m.modified()).expect("mtime");
    let second = store.put(b"same picture", OutputFormat::Png).expect("second put");
    assert!(first.created);
    assert!(!second.created, "the second put must not write");
    assert_eq!(first.path, second.path);
    assert_eq!(std::fs::metadata(&second.path).and_then(|m| m.modified()).expect("mtime"), modified);
    assert_eq!(files(store.root()).len(), 1);
    // Other bytes, or the same bytes as another format, are other files.
    store.put(b"other picture", OutputFormat::Png).expect("put other");
    store.put(b"same picture", OutputFormat::Jpeg).expect("put as jpg");
    assert_eq!(files(store.root()).len(), 3);
}

#[test]
fn concurrent_puts_of_one_file_leave_one_file_and_no_temporaries() {
    let (_dir, store) = temp_store();
    let bytes = vec![7u8; 256 * 1024];
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| store.put(&bytes, OutputFormat::Jpeg).expect("concurrent put"));
        }
    });
    let all = files(store.root());
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(std::fs::read(&all[0]).expect("read"), bytes);
}

#[test]
fn no_temporary_file_remains() {
    let (_dir, store) = temp_store();
    for i in 0..20u8 {
        store.put(&[i; 1000], OutputFormat::Jpeg).expect("put");
    }
    let all = files(store.root());
    assert_eq!(all.len(), 20);
    for path in &all {
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        assert!(!name.starts_with('.'), "left behind: {name}");
        let (hash, ext) = name.split_once('.').expect("hash.ext");
        assert!(ContentHash::parse(hash).is_ok() && ext == "jpg", "unexpected file {name}");
    }
}

#[test]
fn open_and_exists_find_stored_files_only() {
    let (_dir, store) = temp_store();
    let stored = store.put(b"served", OutputFormat::Jpeg).expect("put");
    assert!(store.exists(&stored.hash, OutputFormat::Jpeg).expect("exists"));
    assert!(!store.exists(&stored.hash, OutputFormat::Png).expect("exists"));
    let mut content = Vec::new();
    store.open(&stored.hash, OutputFormat::Jpeg).expect("open").read_to_end(&mut content).expect("read");
    assert_eq!(content, b"served");

    let missing = ContentHash::of(b"never stored");
    assert!(!store.exists(&missing, OutputFormat::Jpeg).expect("exists"));
    match store.open(&missing, OutputFormat::Jpeg) {
        Err(StoreError::NotFound(name)) => assert_eq!(name, format!("{missing}.jpg")),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn a_request_cannot_name_a_path_outside_the_store() {
    let valid = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    for bad in [
        "../etc/passwd",
        "../../../../../../etc/passwd",
        "/etc/passwd",
        &valid.to_uppercase(),
        &valid[..63],
        &format!("{}/..", &valid[..61]),
        "",
    ] {
        assert!(ContentHash::parse(bad).is_err(), "{bad:?} accepted");
    }
    for bad in ["jpg/../../x", "exe", "JPG", ""] {
        assert_eq!(OutputFormat::from_extension(bad), None, "{bad:?} accepted");
    }
    // What does parse lands inside the root, exactly three levels down.
    let store = MediaStore::new("/srv/media");
    let path = store.path_of(&ContentHash::parse(valid).expect("valid hash"), OutputFormat::Png);
    assert_eq!(path, Path::new("/srv/media/ba/78").join(format!("{valid}.png")));
}

#[cfg(unix)]
#[test]
fn stored_files_are_readable_by_a_front_proxy() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, store) = temp_store();
    let stored = store.put(b"public", OutputFormat::Jpeg).expect("put");
    let mode = std::fs::metadata(&stored.path).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o044, 0o044, "mode {mode:o} is not world-readable");
}
