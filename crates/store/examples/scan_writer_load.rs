//! The scan writer alone, without HTTP: `CLIENTS` tasks record scans of 1,000 codes as fast as the
//! writer answers, for `SECS` seconds, on a fresh SQLite file (or `FRONTIER_DATABASE_URL`). Prints
//! scans/s and the CPU time per scan of the writer thread and of the whole process, figures that a
//! busy shared machine disturbs less than the HTTP benchmark's requests/s.
//!
//! `cargo run --profile quick -p frontier-store --example scan_writer_load -- [SECS] [CLIENTS]`

use frontier_domain::{
    Locale, NamedText, PlaceKind, QrCodeValue, QrTarget, Slug, StatsZone, SystemClock, Translated, UnitKind, VisitorKey,
};
use frontier_store::{NewPlace, NewQrCode, NewUnit, ScanRequest, ScanWriter, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// CPU ticks (user + system) of this process, or of its thread named `name`.
fn ticks(name: Option<&str>) -> u64 {
    let read = |path: &str| -> u64 {
        let stat = std::fs::read_to_string(path).unwrap_or_default();
        // Fields after the parenthesised name: state is 3rd, utime 14th, stime 15th.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    match name {
        None => read("/proc/self/stat"),
        Some(name) => std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
            .map(|t| read(&t.path().join("stat").to_string_lossy()))
            .sum(),
    }
}

fn named(s: &str) -> Translated<NamedText> {
    let vi = Locale::parse("vi").expect("locale");
    Translated::new(vec![(vi, NamedText::new(s, None).expect("name"))])
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let clients: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
    let dir = std::env::temp_dir().join(format!("scan-writer-load-{}", std::process::id()));
    let url =
        std::env::var("FRONTIER_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}", dir.join("f.db").display()));
    let store = Store::open(&url, 8).await.expect("open");
    store.migrate().await.expect("migrate");
    let slug = |s: &str| Slug::parse(s).expect("slug");
    let unit = NewUnit {
        slug: slug("province"),
        kind: UnitKind::ProvinceCommand,
        parent: None,
        phone: None,
        address: None,
        texts: named("post"),
    };
    let unit = store.save_unit(unit).await.expect("unit");
    let place = NewPlace {
        slug: slug("house"),
        kind: PlaceKind::CulturalHouse,
        unit: unit.id,
        commune: None,
        village: None,
        location: None,
        texts: named("house"),
    };
    let place = store.save_place(place).await.expect("place");
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut codes = Vec::new();
    while codes.len() < 1000 {
        let code = QrCodeValue::generate(6, |n| (next() % n as u64) as usize);
        let new = NewQrCode {
            code: code.clone(),
            place: place.id,
            target: QrTarget::Place(place.id),
            active: true,
            expires_at: None,
        };
        if store.save_qr_code(new).await.is_ok() {
            codes.push(code.to_string());
        }
    }
    let codes = Arc::new(codes);
    let writer = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (cpu0, w0, t0) = (ticks(None), ticks(Some("scan-writer")), Instant::now());
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (writer, codes, done, stop) = (writer.clone(), codes.clone(), done.clone(), stop.clone());
            tokio::spawn(async move {
                let visitor = VisitorKey::parse(&format!("{:032x}", c % 8)).expect("key");
                let mut i = c * 7919;
                while !stop.load(Ordering::Relaxed) {
                    i = (i * 1_103_515_245 + 12_345) % 2_147_483_648;
                    let request =
                        ScanRequest { visitor: Some(visitor.clone()), ..ScanRequest::link(&codes[i % codes.len()]) };
                    if writer.record(request).await.is_ok() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let (n, elapsed) = (done.load(Ordering::Relaxed), t0.elapsed());
    let (cpu1, w1) = (ticks(None), ticks(Some("scan-writer")));
    for t in tasks {
        let _ = t.await;
    }
    let us = |ticks: u64| ticks as f64 * 10_000.0 / n.max(1) as f64;
    println!(
        "{clients} clients, {secs} s: {:.0} scans/s; CPU per scan: writer {:.1} µs, process {:.1} µs; stored {}",
        n as f64 / elapsed.as_secs_f64(),
        us(w1 - w0),
        us(cpu1 - cpu0),
        store.scan_total().await.expect("count")
    );
    let _ = std::fs::remove_dir_all(dir);
}
