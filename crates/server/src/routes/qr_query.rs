//! The query of `/qr/{code}.png|svg`: size, quiet zone, error correction, colours. Every refusal
//! names its parameter, in plain words, for the officer who typed the URL.

use frontier_print::{Colours, Ecc, Rgb};

pub const DEFAULT_SIZE: usize = 512;
pub const MIN_SIZE: usize = 64;
pub const MAX_SIZE: usize = 4096;
/// The quiet zone the standard asks for; less only when asked (`margin=0` for a layout that
/// brings its own white space).
pub const DEFAULT_MARGIN: usize = 4;
/// More than this only shrinks the symbol inside the same pixels.
pub const MAX_MARGIN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageQuery {
    pub size: usize,
    pub margin: usize,
    pub ecc: Ecc,
    pub colours: Colours,
}

impl ImageQuery {
    /// Unknown parameters are ignored (cache busters, tracking); a known one given twice is refused.
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        let (mut size, mut margin, mut ecc, mut dark, mut light) = (None, None, None, None, None);
        for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let slot = match key.as_ref() {
                "size" => &mut size,
                "margin" => &mut margin,
                "ecc" => &mut ecc,
                "dark" => &mut dark,
                "light" => &mut light,
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                return Err(format!("{key} is given more than once"));
            }
        }
        let size = match size {
            None => DEFAULT_SIZE,
            Some(s) => s
                .parse()
                .ok()
                .filter(|s| (MIN_SIZE..=MAX_SIZE).contains(s))
                .ok_or(format!("size must be a number of pixels from {MIN_SIZE} to {MAX_SIZE}"))?,
        };
        let margin = match margin {
            None => DEFAULT_MARGIN,
            Some(m) => m.parse().ok().filter(|m| *m <= MAX_MARGIN).ok_or(format!(
                "margin must be a whole number of modules from 0 to {MAX_MARGIN} (the standard quiet zone is {DEFAULT_MARGIN})"
            ))?,
        };
        let ecc = match ecc {
            None => Ecc::default(),
            Some(e) => Ecc::parse(&e).ok_or("ecc must be L, M, Q or H (error correction; M if not given)")?,
        };
        let colour = |name: &str, value: Option<String>, default: Rgb| match value {
            None => Ok(default),
            Some(v) => Rgb::parse(&v).ok_or(format!(
                "{name} must be a hex colour of 3 or 6 digits, with or without # (e.g. 1d3557 or %231d3557)"
            )),
        };
        let (dark, light) = (colour("dark", dark, Rgb::BLACK)?, colour("light", light, Rgb::WHITE)?);
        let colours = Colours::new(dark, light).map_err(|e| format!("dark and light: {e}"))?;
        Ok(Self { size, margin, ecc, colours })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<ImageQuery, String> {
        ImageQuery::parse(Some(q))
    }

    #[test]
    fn defaults_and_explicit_values() {
        let d = ImageQuery::parse(None).expect("defaults");
        assert_eq!((d.size, d.margin, d.ecc, d.colours), (512, 4, Ecc::M, Colours::default()));
        let q = parse("size=64&margin=0&ecc=h&dark=%231D3557&light=fff&utm=x").expect("ok");
        assert_eq!((q.size, q.margin, q.ecc), (64, 0, Ecc::H));
        assert_eq!(q.colours.dark(), Rgb(0x1d, 0x35, 0x57));
        assert_eq!(q.colours.light(), Rgb::WHITE);
    }

    #[test]
    fn refusals_name_their_parameter() {
        let cases = [
            ("size=63", "size must be"),
            ("size=4097", "size must be"),
            ("size=abc", "size must be"),
            ("size=-5", "size must be"),
            ("margin=17", "margin must be"),
            ("margin=1.5", "margin must be"),
            ("ecc=X", "ecc must be"),
            ("ecc=", "ecc must be"),
            ("dark=black", "dark must be"),
            ("light=%23ffff", "light must be"),
            ("dark=999&light=fff", "dark and light: dark #999999 on light #ffffff has a contrast of 2.84:1"),
            // 3.998:1 must not read as the 4:1 it misses.
            ("dark=ff0000&light=fff", "dark and light: dark #ff0000 on light #ffffff has a contrast of 3.99:1"),
            ("dark=fff&light=000", "dark and light: dark #ffffff is lighter than light #000000"),
            ("size=100&size=200", "size is given more than once"),
        ];
        for (q, want) in cases {
            let err = parse(q).expect_err(q);
            assert!(err.starts_with(want), "{q}: {err}");
        }
    }
}
