//! `process` as an upload handler calls it: real encoded files in, outputs checked by decoding them.

mod support;

use frontier_media::{InputKind, Limits, MediaError, Output, OutputFormat, Processed, process};
use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader, Rgba, RgbaImage};
use std::io::Cursor;
use support::*;

fn ok(bytes: &[u8]) -> Processed {
    process(bytes, &Limits::default()).unwrap_or_else(|e| panic!("process failed: {e}"))
}

fn sizes(processed: &Processed) -> Vec<(u32, u32)> {
    processed.outputs().map(|o| (o.width, o.height)).collect()
}

/// Decodes an output the way a reader's browser would, from its bytes alone.
fn decoded(output: &Output) -> image::DynamicImage {
    image::load_from_memory(&output.bytes).expect("output decodes")
}

#[test]
fn a_camera_photo_gets_a_master_and_three_renditions() {
    let processed = ok(&jpeg(&photo(3000, 2000)));
    assert_eq!(processed.input, InputKind::Jpeg);
    assert_eq!((processed.original_width, processed.original_height), (3000, 2000));
    // Heights: 2000 × w / 3000 rounded half up: 213.33, 426.67, 853.33, 1706.67.
    assert_eq!(sizes(&processed), vec![(320, 213), (640, 427), (1280, 853), (2560, 1707)]);
    for output in processed.outputs() {
        assert_eq!(output.format, OutputFormat::Jpeg);
        assert_eq!(output.mime(), "image/jpeg");
        let image = decoded(output);
        assert_eq!((image.width(), image.height()), (output.width, output.height), "header matches the fields");
        assert_eq!(output.sha256, frontier_media::ContentHash::of(&output.bytes));
    }
}

#[test]
fn small_images_are_not_upscaled() {
    let processed = ok(&jpeg(&photo(200, 100)));
    assert_eq!(sizes(&processed), vec![(200, 100)]);
    assert!(processed.renditions.is_empty());
    // 500 wide: only 320 is narrower; 640 and 1280 are served by the 500 px master.
    assert_eq!(sizes(&ok(&jpeg(&photo(500, 300)))), vec![(320, 192), (500, 300)]);
}

#[test]
fn exif_and_gps_never_reach_an_output() {
    let upload = with_exif(&jpeg(&photo(900, 600)), 1);
    // The test upload really carries what must disappear.
    assert!(contains(&upload, b"Exif\0\0"));
    assert!(contains(&upload, &rational_bytes(LATITUDE_SECONDS)));
    assert!(contains(&upload, &rational_bytes(LONGITUDE_SECONDS)));
    let mut decoder = ImageReader::new(Cursor::new(&upload)).with_guessed_format().unwrap().into_decoder().unwrap();
    let exif = decoder.exif_metadata().expect("read EXIF").expect("the decoder finds the EXIF block");
    assert!(contains(&exif, &rational_bytes(LATITUDE_SECONDS)), "the GPS IFD is where a reader of EXIF looks");

    let processed = ok(&upload);
    assert_eq!(processed.outputs().count(), 3, "320, 640 and the 900 px master");
    for output in processed.outputs() {
        assert!(!contains(&output.bytes, b"Exif"), "{}×{} output has an Exif block", output.width, output.height);
        assert!(!contains(&output.bytes, &rational_bytes(LATITUDE_SECONDS)));
        assert!(!contains(&output.bytes, &rational_bytes(LONGITUDE_SECONDS)));
        assert!(!contains(&output.bytes, b"MM\x00\x2A"), "no TIFF structure either");
    }
}

/// 900 × 600 stored, left half red and right half blue, as a phone held upright stores a portrait.
fn sideways_portrait() -> image::RgbImage {
    image::RgbImage::from_fn(
        900,
        600,
        |x, _| if x < 450 { image::Rgb([220, 20, 20]) } else { image::Rgb([20, 20, 220]) },
    )
}

fn is_red(p: image::Rgba<u8>) -> bool {
    p.0[0] > 180 && p.0[2] < 70
}

fn is_blue(p: image::Rgba<u8>) -> bool {
    p.0[2] > 180 && p.0[0] < 70
}

#[test]
fn orientation_6_turns_a_jpeg_upright() {
    let upload = with_exif(&jpeg(&sideways_portrait()), 6);
    let mut decoder = ImageReader::new(Cursor::new(&upload)).with_guessed_format().unwrap().into_decoder().unwrap();
    assert_eq!(decoder.orientation().unwrap(), Orientation::Rotate90, "the test EXIF says 'rotate 90° clockwise'");

    let processed = ok(&upload);
    assert_eq!((processed.original_width, processed.original_height), (600, 900));
    // 900 × 320 / 600 = 480: the height follows the upright shape.
    assert_eq!(sizes(&processed), vec![(320, 480), (600, 900)]);
    for output in processed.outputs() {
        let image = decoded(output).to_rgba8();
        let (w, h) = image.dimensions();
        // Turned clockwise, the left (red) half of the stored image is now on top.
        assert!(is_red(*image.get_pixel(w / 2, h / 8)), "top of {w}×{h} is {:?}", image.get_pixel(w / 2, h / 8));
        assert!(is_blue(*image.get_pixel(w / 2, h * 7 / 8)), "bottom of {w}×{h}");
        assert!(!contains(&output.bytes, b"Exif"));
    }
}

#[test]
fn orientation_in_a_png_exif_chunk_is_applied_too() {
    let rgba = image::DynamicImage::ImageRgb8(sideways_portrait()).into_rgba8();
    let upload = png_with_exif(&png_rgba(&rgba), 6);
    let processed = ok(&upload);
    assert_eq!(processed.input, InputKind::Png);
    assert_eq!(sizes(&processed), vec![(320, 480), (600, 900)]);
    // Fully opaque, so it becomes a JPEG.
    assert_eq!(processed.master.format, OutputFormat::Jpeg);
    let master = decoded(&processed.master).to_rgba8();
    assert!(is_red(*master.get_pixel(300, 100)));
    assert!(is_blue(*master.get_pixel(300, 800)));
    assert!(!contains(&processed.master.bytes, &rational_bytes(LATITUDE_SECONDS)));
}

#[test]
fn transparency_survives_as_png() {
    // 800 × 600, the left quarter fully transparent, a half-transparent square in the middle.
    let image = RgbaImage::from_fn(800, 600, |x, y| match (x, y) {
        (0..200, _) => Rgba([0, 0, 0, 0]),
        (350..450, 250..350) => Rgba([0, 128, 0, 128]),
        _ => Rgba([250, 200, 0, 255]),
    });
    let processed = ok(&png_rgba(&image));
    assert_eq!(sizes(&processed), vec![(320, 240), (640, 480), (800, 600)]);
    for output in processed.outputs() {
        assert_eq!(output.format, OutputFormat::Png);
        assert_eq!(output.mime(), "image/png");
        let out = decoded(output).to_rgba8();
        let (w, h) = out.dimensions();
        assert_eq!(out.get_pixel(w / 16, h / 2).0[3], 0, "{w}×{h}: left quarter stays transparent");
        assert_eq!(out.get_pixel(w * 7 / 8, h / 2).0[3], 255, "{w}×{h}: the rest stays opaque");
        let middle = out.get_pixel(w / 2, h / 2).0[3];
        assert!((120..=136).contains(&middle), "{w}×{h}: half-transparent centre has alpha {middle}");
    }
}

#[test]
fn webp_uploads_are_read() {
    let image = image::DynamicImage::ImageRgb8(photo(700, 400)).into_rgba8();
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .encode(image.as_raw(), 700, 400, image::ExtendedColorType::Rgba8)
        .expect("encode test WebP");
    let processed = ok(&webp);
    assert_eq!(processed.input, InputKind::WebP);
    // 400 × 320 / 700 = 182.86 and × 640 / 700 = 365.71.
    assert_eq!(sizes(&processed), vec![(320, 183), (640, 366), (700, 400)]);
    assert_eq!(processed.master.format, OutputFormat::Jpeg);
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_header_only(100_000, 100_000);
    assert!(bomb.len() < 100, "the whole bomb is {} bytes", bomb.len());
    // The header is well formed (right CRCs): a decoder would take it at its word.
    let reader = ImageReader::new(Cursor::new(&bomb)).with_guessed_format().unwrap();
    assert_eq!(reader.into_dimensions().expect("header parses"), (100_000, 100_000));

    assert_eq!(
        process(&bomb, &Limits::default()),
        Err(MediaError::TooManyPixels { width: 100_000, height: 100_000, limit: 40_000_000 })
    );
    // A JPEG that claims 60000 × 60000 in its SOF is refused the same way.
    let jpeg_bomb = jpeg_claiming(&jpeg(&photo(16, 16)), 60_000, 60_000);
    assert_eq!(
        process(&jpeg_bomb, &Limits::default()),
        Err(MediaError::TooManyPixels { width: 60_000, height: 60_000, limit: 40_000_000 })
    );
}

#[test]
fn the_limits_are_the_ones_configured() {
    // 7000 × 6000 = 42 MP: over the default 40, under a raised limit (it is never decoded here,
    // the test stops at the next check by making the side limit smaller).
    let big = png_header_only(7000, 6000);
    assert!(matches!(process(&big, &Limits::default()), Err(MediaError::TooManyPixels { .. })));
    let raised = Limits { max_pixels: 50_000_000, max_side: 6500, ..Limits::default() };
    assert_eq!(process(&big, &raised), Err(MediaError::SideTooLong { width: 7000, height: 6000, limit: 6500 }));
    // A thin strip: 3 MP, but one side longer than 20 000.
    assert_eq!(
        process(&png_header_only(30_000, 100), &Limits::default()),
        Err(MediaError::SideTooLong { width: 30_000, height: 100, limit: 20_000 })
    );
}

#[test]
fn too_many_bytes_are_refused_before_anything_else() {
    let limits = Limits { max_upload_bytes: 100, ..Limits::default() };
    // Even garbage is judged by its size first.
    assert_eq!(process(&[0u8; 101], &limits), Err(MediaError::TooLarge { size: 101, limit: 100 }));
    assert_eq!(process(&[0u8; 100], &limits), Err(MediaError::Unsupported { found: "not a known file type" }));
    assert_eq!(
        process(&vec![0u8; 10 * 1024 * 1024 + 1], &Limits::default()),
        Err(MediaError::TooLarge { size: 10 * 1024 * 1024 + 1, limit: 10 * 1024 * 1024 })
    );
}

#[test]
fn what_is_not_an_image_is_named() {
    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    assert_eq!(process(svg, &Limits::default()), Err(MediaError::Unsupported { found: "SVG" }));
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj";
    assert_eq!(process(pdf, &Limits::default()), Err(MediaError::Unsupported { found: "PDF" }));
    let exe = [b"MZ\x90\x00".as_slice(), &noise(500, 7)].concat();
    assert_eq!(process(&exe, &Limits::default()), Err(MediaError::Unsupported { found: "a Windows program" }));
    assert_eq!(
        process(&noise(4096, 42), &Limits::default()),
        Err(MediaError::Unsupported { found: "not a known file type" })
    );
    assert_eq!(process(b"", &Limits::default()), Err(MediaError::Empty));
}

#[test]
fn a_truncated_upload_could_not_be_decoded() {
    let full = jpeg(&photo(640, 480));
    for cut in [full.len() / 2, full.len() - 2, 200] {
        match process(&full[..cut], &Limits::default()) {
            Err(MediaError::Corrupt { kind: InputKind::Jpeg, detail }) => assert!(!detail.is_empty()),
            other => panic!("JPEG cut at {cut} of {}: {other:?}", full.len()),
        }
    }
    let png = png_rgba(&image::DynamicImage::ImageRgb8(photo(300, 200)).into_rgba8());
    match process(&png[..png.len() / 2], &Limits::default()) {
        Err(MediaError::Corrupt { kind: InputKind::Png, .. }) => {}
        other => panic!("PNG cut in half: {other:?}"),
    }
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .encode(photo(300, 200).as_raw(), 300, 200, image::ExtendedColorType::Rgb8)
        .expect("encode test WebP");
    match process(&webp[..webp.len() / 2], &Limits::default()) {
        Err(MediaError::Corrupt { kind: InputKind::WebP, .. }) => {}
        other => panic!("WebP cut in half: {other:?}"),
    }
}
