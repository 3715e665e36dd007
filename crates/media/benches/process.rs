//! The cost of one typical upload: a 12-megapixel phone photo (4000 × 3000 JPEG) through
//! `process`, which decodes it and writes the 2560 master and the 1280, 640 and 320 renditions.
//!
//! `cargo bench -p frontier-media` (release profile). Ten samples keep the run
//! to about 15 s after the build.

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use frontier_media::{Limits, process};
use image::{Rgb, RgbImage};
use std::hint::black_box;
use std::time::Duration;

/// Gradients with noise on top: smooth areas alone compress (and decode) unrealistically fast,
/// noise brings the file to a camera's few megabytes.
fn phone_photo() -> Vec<u8> {
    let noise = support::noise(4000 * 3000, 0x2545_F491_4F6C_DD1D);
    let image = RgbImage::from_fn(4000, 3000, |x, y| {
        let n = noise[(y * 4000 + x) as usize] >> 3; // 0..32
        Rgb([(x / 16) as u8 ^ n, (y / 12) as u8 ^ n, ((x + y) / 28) as u8 ^ n])
    });
    support::jpeg(&image)
}

fn bench_process(c: &mut Criterion) {
    let bytes = phone_photo();
    let limits = Limits::default();
    let processed = process(&bytes, &limits).expect("the bench photo processes");
    eprintln!(
        "input {:.1} MiB; outputs: {}",
        bytes.len() as f64 / (1024.0 * 1024.0),
        processed
            .outputs()
            .map(|o| format!("{}×{} {} KiB", o.width, o.height, o.bytes.len() / 1024))
            .collect::<Vec<_>>()
            .join(", ")
    );
    c.bench_function("process 4000x3000 JPEG", |b| b.iter(|| process(black_box(&bytes), &limits)));
}

criterion_group! {
    name = benches;
    // One iteration takes about a second on the 2-core CI machine: ten of them need ~11 s.
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(12));
    targets = bench_process
}
criterion_main!(benches);
