//! Colours of a symbol, and whether a phone can still tell its dark modules from its light ones.

use std::fmt;

/// An sRGB colour from `000000`, `#1d3557` or the short `fff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Three or six hex digits, with or without a leading `#`, in either case.
    pub fn parse(value: &str) -> Option<Self> {
        let hex = value.trim().strip_prefix('#').unwrap_or(value.trim());
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => {
                let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
            }
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2.x, sRGB linearised), 0 for black to 1 for white.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    pub fn is_grey(self) -> bool {
        self.0 == self.1 && self.1 == self.2
    }
}

impl fmt::Display for Rgb {
    /// `#1d3557`, as SVG and CSS want it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The WCAG contrast ratio a pair must reach. WCAG asks 3:1 of graphics a person must make out;
/// a symbol is read by a camera through glare, dim rooms and faded ink, so we ask more.
pub const MIN_CONTRAST: f64 = 4.0;
/// The luminance difference a pair must reach: ISO/IEC 15415 grades a symbol whose reflectance
/// difference ("symbol contrast") is below 40 % as D or F, i.e. failing for general use. The ratio
/// alone would pass black on mid grey (5.9:1, a difference of only 25 %).
pub const MIN_DIFFERENCE: f64 = 0.40;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContrastError {
    #[error(
        "dark {dark} is lighter than light {light}: many phone readers cannot read an inverted symbol (light modules on a dark ground)"
    )]
    Inverted { dark: Rgb, light: Rgb },
    #[error(
        "dark {dark} on light {light} has a contrast of {ratio:.2}:1 and a luminance difference of {difference:.1} %; a symbol needs at least {MIN_CONTRAST}:1 and 40 % to scan reliably"
    )]
    TooLow { dark: Rgb, light: Rgb, ratio: f64, difference: f64 },
}

/// The colours of the dark and light modules (the light one also fills the quiet zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colours {
    dark: Rgb,
    light: Rgb,
}

impl Default for Colours {
    fn default() -> Self {
        Self { dark: Rgb::BLACK, light: Rgb::WHITE }
    }
}

impl Colours {
    /// Refuses pairs a phone would struggle with: inverted, or too little contrast.
    pub fn new(dark: Rgb, light: Rgb) -> Result<Self, ContrastError> {
        let (ld, ll) = (dark.luminance(), light.luminance());
        if ld > ll {
            return Err(ContrastError::Inverted { dark, light });
        }
        let ratio = (ll + 0.05) / (ld + 0.05);
        let difference = ll - ld;
        if ratio < MIN_CONTRAST || difference < MIN_DIFFERENCE {
            // Rounded down, so a ratio just under the bound never reads as meeting it ("4.0:1 … needs 4:1").
            let (ratio, difference) = ((ratio * 100.0).floor() / 100.0, (difference * 1000.0).floor() / 10.0);
            return Err(ContrastError::TooLow { dark, light, ratio, difference });
        }
        Ok(Self { dark, light })
    }

    pub fn dark(self) -> Rgb {
        self.dark
    }

    pub fn light(self) -> Rgb {
        self.light
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms_parse() {
        assert_eq!(Rgb::parse("000000"), Some(Rgb::BLACK));
        assert_eq!(Rgb::parse("#1d3557"), Some(Rgb(0x1d, 0x35, 0x57)));
        assert_eq!(Rgb::parse("#1D3557"), Some(Rgb(0x1d, 0x35, 0x57)));
        assert_eq!(Rgb::parse("fff"), Some(Rgb::WHITE));
        assert_eq!(Rgb::parse("#a0c"), Some(Rgb(0xaa, 0x00, 0xcc)));
        for bad in ["", "#", "ff", "ffff", "fffffff", "gggggg", "#12345g", "red", "+12345", "１２３"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(0x1d, 0x35, 0x57).to_string(), "#1d3557");
    }

    #[test]
    fn luminance_matches_wcag() {
        assert!(Rgb::BLACK.luminance().abs() < 1e-9);
        assert!((Rgb::WHITE.luminance() - 1.0).abs() < 1e-9);
        // #777777 is the classic "4.48:1 on white".
        let grey = Rgb(0x77, 0x77, 0x77);
        let ratio = 1.05 / (grey.luminance() + 0.05);
        assert!((ratio - 4.48).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn readable_pairs_pass_and_poor_ones_are_refused() {
        let ok = [("000000", "ffffff"), ("1d3557", "ffffff"), ("777777", "ffffff"), ("cc0000", "fff8e7")];
        for (d, l) in ok {
            let (d, l) = (Rgb::parse(d).expect("d"), Rgb::parse(l).expect("l"));
            assert!(Colours::new(d, l).is_ok(), "{d} on {l}");
        }
        let too_low = [("999999", "ffffff"), ("000000", "888888"), ("1d3557", "264653"), ("ff0000", "00ff00")];
        for (d, l) in too_low {
            let (d, l) = (Rgb::parse(d).expect("d"), Rgb::parse(l).expect("l"));
            assert!(matches!(Colours::new(d, l), Err(ContrastError::TooLow { .. })), "{d} on {l}");
        }
        assert!(matches!(Colours::new(Rgb::WHITE, Rgb::BLACK), Err(ContrastError::Inverted { .. })));
        // Equal colours are no symbol at all.
        assert!(Colours::new(Rgb::WHITE, Rgb::WHITE).is_err());
    }
}
