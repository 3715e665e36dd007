//! A symbol on its own, for screens and for pasting into other documents: PNG or SVG, a whole
//! number of pixels per module (crisp edges, nothing for a decoder to guess), any quiet zone.

use crate::colour::Colours;
use crate::svg::symbol_path;
use crate::symbol::Symbol;

#[derive(Debug, thiserror::Error)]
#[error("PNG encoding failed: {0}")]
pub struct PngError(#[from] png::EncodingError);

#[derive(Debug, Clone)]
pub struct SymbolImage<'a> {
    symbol: &'a Symbol,
    margin: usize,
    scale: usize,
    colours: Colours,
}

impl<'a> SymbolImage<'a> {
    /// The smallest image at least `min_pixels` wide: each module gets `ceil(min / modules)`
    /// pixels, where `modules` counts the quiet zone of `margin` modules on each side.
    pub fn new(symbol: &'a Symbol, margin: usize, min_pixels: usize, colours: Colours) -> Self {
        let modules = symbol.width() + 2 * margin;
        let scale = min_pixels.div_ceil(modules).max(1);
        Self { symbol, margin, scale, colours }
    }

    /// Width and height in pixels.
    pub fn pixels(&self) -> usize {
        (self.symbol.width() + 2 * self.margin) * self.scale
    }

    /// A two-colour indexed PNG (one bit a pixel): the smallest file a decoder reads exactly.
    pub fn png(&self) -> Result<Vec<u8>, PngError> {
        let side = self.pixels();
        let row_bytes = side.div_ceil(8);
        let mut data = vec![0u8; row_bytes * side];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = (x / self.scale, y / self.scale);
                let dark =
                    mx >= self.margin && my >= self.margin && self.symbol.is_dark(mx - self.margin, my - self.margin);
                if dark {
                    data[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        let (light, dark) = (self.colours.light(), self.colours.dark());
        let side32 = u32::try_from(side).unwrap_or(u32::MAX);
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, side32, side32);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_palette(vec![light.0, light.1, light.2, dark.0, dark.1, dark.2]);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&data)?;
        writer.finish()?;
        Ok(out)
    }

    /// The same image as SVG: `pixels` wide, drawn in module units.
    pub fn svg(&self) -> String {
        let modules = self.symbol.width() + 2 * self.margin;
        let px = self.pixels();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
             width=\"{px}\" height=\"{px}\" viewBox=\"0 0 {modules} {modules}\" shape-rendering=\"crispEdges\">\n\
             <rect width=\"{modules}\" height=\"{modules}\" fill=\"{}\"/>\n\
             <path fill=\"{}\" transform=\"translate({m} {m})\" d=\"{}\"/>\n</svg>\n",
            self.colours.light(),
            self.colours.dark(),
            symbol_path(self.symbol),
            m = self.margin,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::Rgb;
    use crate::symbol::Ecc;
    use crate::testing::{decode_all, rasterise_svg};

    const URL: &str = "HTTPS://BIENPHONG.LANGSON.GOV.VN/Q/7KX2MP";

    #[test]
    fn every_level_decodes_at_the_smallest_size_in_both_formats() {
        for ecc in Ecc::ALL {
            let symbol = Symbol::encode(URL, ecc).expect("encodes");
            let img = SymbolImage::new(&symbol, 4, 64, Colours::default());
            assert!(img.pixels() >= 64 && img.pixels() < 128, "{ecc:?}: {}", img.pixels());
            let png = image::load_from_memory(&img.png().expect("png")).expect("a PNG").to_luma8();
            assert_eq!(png.width() as usize, img.pixels());
            assert_eq!(decode_all(png), [URL], "{ecc:?} png");
            assert_eq!(decode_all(rasterise_svg(&img.svg(), 1.0)), [URL], "{ecc:?} svg");
        }
    }

    #[test]
    fn margin_and_colours_are_drawn() {
        let symbol = Symbol::encode(URL, Ecc::M).expect("encodes");
        let navy = Colours::new(Rgb(0x1d, 0x35, 0x57), Rgb(0xff, 0xf8, 0xe7)).expect("contrast");
        let img = SymbolImage::new(&symbol, 2, 200, navy);
        let rgb = image::load_from_memory(&img.png().expect("png")).expect("a PNG").to_rgb8();
        let scale = img.pixels() / (symbol.width() + 4);
        assert_eq!(rgb.get_pixel(0, 0).0, [0xff, 0xf8, 0xe7], "quiet zone is light");
        let first = u32::try_from(2 * scale).expect("small");
        assert_eq!(rgb.get_pixel(first, first).0, [0x1d, 0x35, 0x57], "finder corner is dark");
        assert_eq!(rgb.get_pixel(first - 1, first).0, [0xff, 0xf8, 0xe7], "two modules of quiet zone");
        let svg = img.svg();
        assert!(svg.contains("fill=\"#fff8e7\"") && svg.contains("fill=\"#1d3557\""), "{svg}");
        assert!(svg.contains("translate(2 2)"));
    }
}
