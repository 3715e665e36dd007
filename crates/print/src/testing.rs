//! Test helpers: rasterise as a viewer would, decode as a phone would.

/// Every symbol `rqrr` finds in the image, decoded.
pub fn decode_all(img: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared.detect_grids().iter().map(|g| g.decode().expect("symbol decodes").1).collect()
}

/// An SVG drawn with resvg at `zoom` times its own size, as grey pixels.
pub fn rasterise_svg(svg: &str, zoom: f32) -> image::GrayImage {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = tree.size().to_int_size().scale_by(zoom).expect("size");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(zoom, zoom), &mut pixmap.as_mut());
    let rgba = image::RgbaImage::from_raw(size.width(), size.height(), pixmap.take()).expect("image");
    image::DynamicImage::ImageRgba8(rgba).to_luma8()
}
