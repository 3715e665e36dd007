//! `/qr/{code}.png|svg` decode, with real decoders, to the code's public scan URL.

use crate::demo::HOUSE_CODE;
use crate::harness::{client, e2e};

fn decode_luma(img: image::GrayImage) -> String {
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one symbol");
    grids[0].decode().expect("symbol decodes").1
}

e2e!(png_decodes_to_the_scan_url, |server| {
    let response = client().get(server.url(&format!("/qr/{HOUSE_CODE}.png"))).send().await.expect("png");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.expect("bytes");
    let img = image::load_from_memory(&bytes).expect("a PNG").to_luma8();
    assert_eq!(decode_luma(img), format!("{}/q/{HOUSE_CODE}", server.base));

    let small = client().get(server.url(&format!("/qr/{}.png?size=64", HOUSE_CODE.to_lowercase()))).send().await;
    let small = small.expect("small").bytes().await.expect("bytes");
    let img = image::load_from_memory(&small).expect("a PNG").to_luma8();
    assert!(img.width() >= 64 && img.width() < 128, "{}", img.width());
    assert_eq!(decode_luma(img), format!("{}/q/{HOUSE_CODE}", server.base), "smallest size still decodes");
});

e2e!(svg_renders_and_decodes_to_the_scan_url, |server| {
    let response = client().get(server.url(&format!("/qr/{HOUSE_CODE}.svg"))).send().await.expect("svg");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.expect("text");
    // Rasterise the SVG as a viewer would, then decode the pixels.
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("pixmap");
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let rgba = image::RgbaImage::from_raw(size.width(), size.height(), pixmap.take()).expect("image");
    let luma = image::DynamicImage::ImageRgba8(rgba).to_luma8();
    assert_eq!(decode_luma(luma), format!("{}/q/{HOUSE_CODE}", server.base));
});

e2e!(images_exist_only_for_known_codes, |server| {
    for path in ["/qr/ZZZZZZ.png", "/qr/K4PVHZ.gif", "/qr/not-a-code.svg", "/qr/K4PVHZ", "/qr/..%2F..%2Fetc.png"] {
        let r = client().get(server.url(path)).send().await.expect("request");
        assert_eq!(r.status(), 404, "{path}");
    }
    for size in ["1", "100000", "abc", "-5"] {
        let r = client().get(server.url(&format!("/qr/{HOUSE_CODE}.png?size={size}"))).send().await.expect("req");
        assert_eq!(r.status(), 400, "size={size}");
    }
});
