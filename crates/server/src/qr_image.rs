//! Drawing QR symbols: PNG for screens and quick printing, SVG for posters.

use image::{ImageEncoder, Luma};
use qrcode::{EcLevel, QrCode};

pub const DEFAULT_SIZE: u32 = 512;
pub const MIN_SIZE: u32 = 64;
pub const MAX_SIZE: u32 = 4096;

#[derive(Debug, thiserror::Error)]
pub enum QrImageError {
    #[error("text does not fit in a QR symbol: {0}")]
    Encode(#[from] qrcode::types::QrError),
    #[error("PNG encoding failed: {0}")]
    Png(#[from] image::ImageError),
}

/// The symbol for `text` with the 4-module quiet zone the standard requires, at least `size` pixels wide.
pub fn png(text: &str, size: u32) -> Result<Vec<u8>, QrImageError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let img = code.render::<Luma<u8>>().quiet_zone(true).min_dimensions(size, size).build();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::L8,
    )?;
    Ok(out)
}

/// The same symbol as SVG, scalable for print.
pub fn svg(text: &str, size: u32) -> Result<String, QrImageError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(size, size)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_decodes_back_to_its_text() {
        let url = "http://127.0.0.1:8080/q/K4PVHZ";
        let bytes = png(url, 256).expect("png");
        let img = image::load_from_memory(&bytes).expect("decodes").to_luma8();
        assert!(img.width() >= 256);
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().expect("qr decodes");
        assert_eq!(content, url);
    }

    #[test]
    fn svg_is_a_standalone_image() {
        let svg = svg("http://h/q/K4PVHZ", 256).expect("svg");
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }
}
