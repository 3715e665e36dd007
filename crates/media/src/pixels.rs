//! Decoded pixels in the two shapes the outputs need, and resizing between sizes.

use image::imageops::{self, FilterType};
use image::{DynamicImage, RgbImage, RgbaImage};

/// Catmull-Rom is sharp enough for photos and text at these ratios and about half the work of
/// Lanczos3 (support 2 against 3), which counts on a 2-core server.
const FILTER: FilterType = FilterType::CatmullRom;

/// 8-bit sRGB pixels, with an alpha channel only where one is really used.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pixels {
    Opaque(RgbImage),
    Transparent(RgbaImage),
}

impl Pixels {
    /// An image whose alpha channel is 255 everywhere is opaque: cameras and editors often save
    /// one anyway, and it would cost a PNG where a JPEG a tenth of the size does.
    pub(crate) fn from_image(image: DynamicImage) -> Self {
        if !image.color().has_alpha() {
            return Self::Opaque(image.into_rgb8());
        }
        let rgba = image.into_rgba8();
        if rgba.pixels().any(|p| p.0[3] < u8::MAX) {
            Self::Transparent(rgba)
        } else {
            Self::Opaque(DynamicImage::ImageRgba8(rgba).into_rgb8())
        }
    }

    pub(crate) fn dimensions(&self) -> (u32, u32) {
        match self {
            Self::Opaque(image) => image.dimensions(),
            Self::Transparent(image) => image.dimensions(),
        }
    }

    pub(crate) fn resized(&self, width: u32, height: u32) -> Self {
        match self {
            Self::Opaque(image) => Self::Opaque(imageops::resize(image, width, height, FILTER)),
            Self::Transparent(image) => Self::Transparent(resize_premultiplied(image, width, height)),
        }
    }
}

/// Resizing straight RGBA mixes the colour of invisible pixels into their visible neighbours: a
/// logo on transparent black grows a dark fringe. Weighting colour by alpha first (premultiplying)
/// and dividing it out afterwards keeps edges the colour they were.
fn resize_premultiplied(image: &RgbaImage, width: u32, height: u32) -> RgbaImage {
    let mut premultiplied = image.clone();
    for pixel in premultiplied.pixels_mut() {
        let alpha = u16::from(pixel.0[3]);
        for channel in &mut pixel.0[..3] {
            *channel = ((u16::from(*channel) * alpha + 127) / 255) as u8;
        }
    }
    let mut resized = imageops::resize(&premultiplied, width, height, FILTER);
    for pixel in resized.pixels_mut() {
        let alpha = u16::from(pixel.0[3]);
        if alpha == 0 {
            pixel.0 = [0, 0, 0, 0];
            continue;
        }
        for channel in &mut pixel.0[..3] {
            // A filter can overshoot a colour above its alpha; clamp rather than wrap.
            *channel = ((u16::from(*channel) * 255 + alpha / 2) / alpha).min(255) as u8;
        }
    }
    resized
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, Rgba};

    #[test]
    fn an_alpha_channel_that_is_never_used_makes_an_opaque_image() {
        let full = RgbaImage::from_pixel(4, 4, Rgba([10, 20, 30, 255]));
        assert_eq!(
            Pixels::from_image(DynamicImage::ImageRgba8(full)),
            Pixels::Opaque(RgbImage::from_pixel(4, 4, Rgb([10, 20, 30])))
        );
        let mut holed = RgbaImage::from_pixel(4, 4, Rgba([10, 20, 30, 255]));
        holed.put_pixel(3, 3, Rgba([0, 0, 0, 254]));
        assert!(matches!(Pixels::from_image(DynamicImage::ImageRgba8(holed)), Pixels::Transparent(_)));
    }

    #[test]
    fn edges_next_to_transparent_pixels_keep_their_colour() {
        // Left half invisible black, right half opaque white. Straight resizing would turn the
        // boundary grey; premultiplied, every visible pixel stays white.
        let image = RgbaImage::from_fn(64, 8, |x, _| if x < 32 { Rgba([0, 0, 0, 0]) } else { Rgba([255; 4]) });
        let small = resize_premultiplied(&image, 16, 2);
        for pixel in small.pixels().filter(|p| p.0[3] > 0) {
            assert!(pixel.0[..3].iter().all(|&c| c >= 250), "fringe pixel {pixel:?}");
        }
        // And the boundary is really there, half-covered somewhere in the middle.
        assert!(small.pixels().any(|p| p.0[3] > 0 && p.0[3] < 255), "no partly covered pixel");
        assert_eq!(small.get_pixel(0, 0).0, [0, 0, 0, 0]);
        assert_eq!(small.get_pixel(15, 0).0, [255, 255, 255, 255]);
    }
}
