//! Printed matter for QR codes: the symbol (`symbol`), standalone symbol images (`image`), the
//! poster of one code (`poster`) and the label sheet of a unit (`sheet`), laid out once as pages
//! (`page`) and written as SVG (`svg`) or PDF (`pdf`); and the command's statistics charts (`chart`).
//!
//! Pure: it is given texts and URLs and returns bytes. It knows nothing of the database, HTTP or
//! the domain's types; which code, place and unit to print is the caller's business.

pub mod chart;
pub mod colour;
pub mod fonts;
pub mod image;
pub mod page;
pub mod pdf;
pub mod poster;
pub mod sheet;
pub mod svg;
pub mod symbol;
pub mod words;

#[cfg(test)]
mod testing;

pub use colour::{Colours, ContrastError, Rgb};
pub use image::SymbolImage;
pub use page::{Document, Paper};
pub use poster::{Poster, poster};
pub use sheet::{Label, label_sheet};
pub use symbol::{Ecc, EncodeError, Symbol};
pub use words::Languages;

/// Modules of light margin a reader needs around a symbol (ISO/IEC 18004).
pub const QUIET_ZONE: usize = 4;

/// Printed symbols hang outdoors, get dirty, taped over and torn at a corner: level Q restores up
/// to a quarter of the symbol, and on a poster the larger version it needs costs nothing.
pub const PRINT_ECC: Ecc = Ecc::Q;
