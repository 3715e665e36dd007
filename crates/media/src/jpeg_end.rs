//! Is a JPEG whole? Its decoder is lenient: a file cut off in the middle (an upload dropped on a
//! slow mountain link) decodes "successfully", its missing lower part filled with grey. A complete
//! JPEG ends its image data with an EOI marker (FF D9), so a file without one is refused instead.

/// Checks that `bytes` (which start with a JPEG SOI) reach the image data and then an EOI marker.
///
/// The segments before the first scan are walked by their lengths, because they may hold FF D9
/// themselves (an EXIF thumbnail is a whole JPEG). Inside scan data every FF byte is followed by
/// 00 or a restart marker, so the first FF D9 found after the scan starts is the real end.
/// Bytes after the EOI (padding, a camera's appended extra image) are allowed.
pub(crate) fn check_complete(bytes: &[u8]) -> Result<(), &'static str> {
    const CUT: &str = "the file ends before its image data is complete";
    let mut pos = 2;
    let scan_start = loop {
        if bytes.get(pos) != Some(&0xFF) {
            return Err(if pos >= bytes.len() { CUT } else { "its segment structure is damaged" });
        }
        // Any number of FF fill bytes may precede a marker.
        while bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos + 1) else { return Err(CUT) };
        pos += 2;
        match marker {
            // Markers that stand alone, without a length.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 => return Err("it has no image data"),
            _ => {}
        }
        let Some(length) = bytes.get(pos..pos + 2).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]]))) else {
            return Err(CUT);
        };
        if length < 2 {
            return Err("its segment structure is damaged");
        }
        if marker == 0xDA {
            break pos + length;
        }
        pos += length;
    };
    let data = bytes.get(scan_start..).ok_or(CUT)?;
    if data.windows(2).any(|w| w == [0xFF, 0xD9]) { Ok(()) } else { Err(CUT) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP1 holding a stray FF D9 (as a thumbnail would), SOS with a 6-byte header,
    /// entropy data with a stuffed FF 00 and a restart marker, then EOI.
    fn minimal() -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend([0xFF, 0xE1, 0x00, 0x06, 0xAA, 0xFF, 0xD9, 0xBB]);
        jpeg.extend([0xFF, 0xFF, 0xDA, 0x00, 0x06, 1, 2, 3, 4]);
        jpeg.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56]);
        jpeg.extend([0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn a_whole_file_passes_even_with_trailing_bytes() {
        assert_eq!(check_complete(&minimal()), Ok(()));
        let mut padded = minimal();
        padded.extend([0u8; 16]);
        assert_eq!(check_complete(&padded), Ok(()));
    }

    #[test]
    fn every_cut_is_refused() {
        let whole = minimal();
        // Cut anywhere, including right after the APP1's stray FF D9 and inside the SOS header.
        for cut in 2..whole.len() {
            assert!(check_complete(&whole[..cut]).is_err(), "cut at {cut} passed");
        }
    }

    #[test]
    fn a_segment_length_below_two_is_damage() {
        let damaged = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xD9];
        assert_eq!(check_complete(&damaged), Err("its segment structure is damaged"));
        assert_eq!(check_complete(&[0xFF, 0xD8, 0x00, 0xD9]), Err("its segment structure is damaged"));
        assert_eq!(check_complete(&[0xFF, 0xD8, 0xFF, 0xD9]), Err("it has no image data"));
    }
}
