//! The QR symbol itself: which modules are dark, for a text and an error-correction level.

use qrcode::{EcLevel, QrCode, Version};

/// Error correction: how much of the symbol may be dirty or torn and still read (about 7, 15, 25
/// and 30 %). Higher levels need a larger version for the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Ecc {
    L,
    #[default]
    M,
    Q,
    H,
}

impl Ecc {
    pub const ALL: [Ecc; 4] = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H];

    /// `L`, `M`, `Q` or `H`, in either case.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str().eq_ignore_ascii_case(value.trim()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ecc::L => "L",
            Ecc::M => "M",
            Ecc::Q => "Q",
            Ecc::H => "H",
        }
    }

    fn level(self) -> EcLevel {
        match self {
            Ecc::L => EcLevel::L,
            Ecc::M => EcLevel::M,
            Ecc::Q => EcLevel::Q,
            Ecc::H => EcLevel::H,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the text does not fit in a QR symbol: {0}")]
pub struct EncodeError(#[from] qrcode::types::QrError);

/// A square grid of modules, without its quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    width: usize,
    version: u8,
    dark: Vec<bool>,
}

impl Symbol {
    /// The smallest symbol holding `text` at `ecc`. The encoder splits the text into segments
    /// (numeric, alphanumeric, byte) to minimise its length, so an upper-case URL costs 5.5 bits a
    /// character instead of 8.
    pub fn encode(text: &str, ecc: Ecc) -> Result<Self, EncodeError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), ecc.level())?;
        let version = match code.version() {
            Version::Normal(v) | Version::Micro(v) => u8::try_from(v).unwrap_or(u8::MAX),
        };
        let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
        Ok(Self { width: code.width(), version, dark })
    }

    /// Modules on a side (21 for version 1, four more per version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// The QR version, 1 to 40.
    pub fn version(&self) -> u8 {
        self.version
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules as `(x, y, length)`: one rectangle each, so vector output
    /// stays small and has no seams between neighbouring modules.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecc_parses_in_either_case() {
        assert_eq!(Ecc::parse("q"), Some(Ecc::Q));
        assert_eq!(Ecc::parse("H"), Some(Ecc::H));
        assert_eq!(Ecc::parse("X"), None);
        assert_eq!(Ecc::parse(""), None);
        assert_eq!(Ecc::default(), Ecc::M);
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let s = Symbol::encode("HTTP://H/Q/K4PVHZ", Ecc::M).expect("encodes");
        assert_eq!(s.width(), 17 + 4 * usize::from(s.version()));
        let mut covered = vec![false; s.width() * s.width()];
        for (x, y, len) in s.dark_runs() {
            for i in x..x + len {
                assert!(!covered[y * s.width() + i], "runs overlap");
                covered[y * s.width() + i] = true;
            }
        }
        for y in 0..s.width() {
            for x in 0..s.width() {
                assert_eq!(covered[y * s.width() + x], s.is_dark(x, y), "({x}, {y})");
            }
        }
        // The finder pattern's corner is dark, the separator next to it light.
        assert!(s.is_dark(0, 0) && !s.is_dark(7, 0));
    }
}
