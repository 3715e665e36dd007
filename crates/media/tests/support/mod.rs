//! Images made by the tests themselves: encoded with `image`, and where a test needs bytes no
//! encoder writes (EXIF with GPS, a lying header), put together byte by byte here.

#![allow(dead_code)] // Each test file uses its own part.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, RgbaImage};

/// A smooth pattern that is the same at any size, so lossy encoding has something real to do.
pub fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, ((x + y) % 256) as u8])
    })
}

pub fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).encode_image(image).expect("encode test JPEG");
    out
}

pub fn png_rgba(image: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgba8)
        .expect("encode test PNG");
    out
}

/// GPS values chosen to be unmistakable in a byte search: latitude 22° 21' 12.34567891",
/// longitude 103° 52' 9.87654321" (a border post in the hills), as TIFF RATIONALs.
pub const LATITUDE_SECONDS: (u32, u32) = (1_234_567_891, 100_000_000);
pub const LONGITUDE_SECONDS: (u32, u32) = (987_654_321, 100_000_000);

/// The 8 bytes a big-endian RATIONAL takes in the file.
pub fn rational_bytes((numerator, denominator): (u32, u32)) -> Vec<u8> {
    [numerator.to_be_bytes(), denominator.to_be_bytes()].concat()
}

/// A big-endian TIFF structure as EXIF carries it: IFD0 with Orientation and a pointer to a GPS
/// IFD holding latitude and longitude with their references.
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    // Offsets from the start of the TIFF header: header 8, IFD0 2 + 2 × 12 + 4 = 30,
    // GPS IFD 2 + 4 × 12 + 4 = 54, then the two RATIONAL triples.
    const IFD0: u32 = 8;
    const GPS_IFD: u32 = IFD0 + 30;
    const LATITUDE: u32 = GPS_IFD + 54;
    const LONGITUDE: u32 = LATITUDE + 24;

    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend(tag.to_be_bytes());
        out.extend(kind.to_be_bytes());
        out.extend(count.to_be_bytes());
        out.extend(value);
    }

    let mut t = Vec::new();
    t.extend(b"MM\x00\x2A");
    t.extend(IFD0.to_be_bytes());

    t.extend(2u16.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, SHORT, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, LONG, 1, GPS_IFD.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len() as u32, GPS_IFD);

    t.extend(4u16.to_be_bytes());
    entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, RATIONAL, 3, LATITUDE.to_be_bytes());
    entry(&mut t, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, RATIONAL, 3, LONGITUDE.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len() as u32, LATITUDE);

    for value in [(22, 1), (21, 1), LATITUDE_SECONDS, (103, 1), (52, 1), LONGITUDE_SECONDS] {
        t.extend(rational_bytes(value));
    }
    assert_eq!(t.len() as u32, LONGITUDE + 24);
    t
}

/// `jpeg` with an APP1 "Exif" segment right after its SOI marker, as a camera writes it.
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    assert_eq!(&jpeg[..2], b"\xFF\xD8", "not a JPEG");
    let payload = [b"Exif\0\0".as_slice(), &exif_tiff(orientation)].concat();
    let length = u16::try_from(payload.len() + 2).expect("APP1 fits a segment");
    [&jpeg[..2], b"\xFF\xE1", &length.to_be_bytes(), &payload, &jpeg[2..]].concat()
}

/// A PNG chunk: length, type, data, CRC over type and data.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let crc = crc32(&[kind.as_slice(), data].concat());
    [&(data.len() as u32).to_be_bytes(), kind.as_slice(), data, &crc.to_be_bytes()].concat()
}

/// A PNG that is all header: it claims `width` × `height` RGBA pixels and carries an empty IDAT,
/// so a decoder gets as far as the pixel data and nothing would stop it but a size check.
pub fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let ihdr = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[8, 6, 0, 0, 0]].concat();
    [b"\x89PNG\r\n\x1a\n".as_slice(), &png_chunk(b"IHDR", &ihdr), &png_chunk(b"IDAT", &[]), &png_chunk(b"IEND", &[])]
        .concat()
}

/// `png` with an eXIf chunk (PNG's own place for EXIF) inserted after IHDR.
pub fn png_with_exif(png: &[u8], orientation: u16) -> Vec<u8> {
    // Signature (8) + IHDR chunk (4 + 4 + 13 + 4).
    let after_ihdr = 8 + 25;
    assert_eq!(&png[12..16], b"IHDR");
    [&png[..after_ihdr], &png_chunk(b"eXIf", &exif_tiff(orientation)), &png[after_ihdr..]].concat()
}

/// CRC-32 (IEEE, reflected, as PNG uses), bit by bit: slow and obviously right.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Overwrites the size in a JPEG's baseline SOF0 segment: the file stays a small valid header
/// that claims a huge image.
pub fn jpeg_claiming(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline JPEG has SOF0");
    let mut out = jpeg.to_vec();
    // FF C0, length (2), precision (1), height (2), width (2).
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// Reproducible noise (xorshift64), for "random bytes" that are the same on every run.
pub fn noise(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
