//! The demo content of Frontier — the Lạng Sơn border guard, the Bắc Xa border post with its stations,
//! the public places of Kiên Mộc commune and their QR codes, and short articles in Vietnamese, English,
//! French and some Chinese — and the seed that loads it. Seeding is idempotent: everything is keyed by
//! slug or code, so running it again updates in place and duplicates nothing.

mod content;
mod scans;
mod seed;

pub use content::{DemoContent, load};
pub use scans::{HISTORY_DAYS, scan_history};
pub use seed::{SeedError, SeedReport, seed};
