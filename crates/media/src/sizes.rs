//! Which sizes are made from an upload. Pure arithmetic, so the rule can be read and tested alone.
//!
//! The rule: the **master** is the upright image shrunk (never enlarged) until its long side is at
//! most [`MASTER_MAX_SIDE`]. A **rendition** is made for each width in [`RENDITION_WIDTHS`] that is
//! strictly narrower than the master; the master itself serves every width from there up. So a
//! 3000 × 2000 photo gives 320, 640, 1280 and a 2560 master; a 500 px wide image gives 320 and its
//! 500 px master; a 200 px wide one gives the master alone. Nothing is ever upscaled and no two
//! outputs have the same width.

/// The long side of the master, in pixels: sharp on a phone held sideways, far below a camera's size.
pub const MASTER_MAX_SIDE: u32 = 2560;

/// Rendition widths, narrowest first: a list thumbnail, a phone screen, a tablet or laptop.
pub const RENDITION_WIDTHS: [u32; 3] = [320, 640, 1280];

/// The master's size for an upright image of `width` × `height`.
pub fn master_size(width: u32, height: u32) -> (u32, u32) {
    if width >= height && width > MASTER_MAX_SIDE {
        (MASTER_MAX_SIDE, scale(height, width, MASTER_MAX_SIDE))
    } else if height > width && height > MASTER_MAX_SIDE {
        (scale(width, height, MASTER_MAX_SIDE), MASTER_MAX_SIDE)
    } else {
        (width, height)
    }
}

/// The renditions' sizes for an upright image of `width` × `height`, narrowest first. Heights come
/// from the original's aspect ratio, not from the (already rounded) master's.
pub fn rendition_sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    let (master_width, _) = master_size(width, height);
    RENDITION_WIDTHS.iter().filter(|&&w| w < master_width).map(|&w| (w, scale(height, width, w))).collect()
}

/// `side` × `to` / `from`, rounded half up, and at least 1 so that a thin strip keeps a row.
fn scale(side: u32, from: u32, to: u32) -> u32 {
    let (side, from, to) = (u64::from(side), u64::from(from), u64::from(to));
    let scaled = (2 * side * to + from) / (2 * from);
    // `to` ≤ `from` here, so the result fits in the u32 `side` came from.
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_camera_photo_gets_every_rendition() {
        // 2000 × 320 / 3000 = 213.33, × 640 / 3000 = 426.67, × 1280 / 3000 = 853.33, × 2560 / 3000 = 1706.67.
        assert_eq!(master_size(3000, 2000), (2560, 1707));
        assert_eq!(rendition_sizes(3000, 2000), vec![(320, 213), (640, 427), (1280, 853)]);
    }

    #[test]
    fn portraits_are_limited_on_their_long_side() {
        // 2000 × 2560 / 3000 = 1706.67: the master is 1707 wide, so all three widths fit below it.
        assert_eq!(master_size(2000, 3000), (1707, 2560));
        assert_eq!(rendition_sizes(2000, 3000), vec![(320, 480), (640, 960), (1280, 1920)]);
    }

    #[test]
    fn small_images_are_never_upscaled() {
        assert_eq!(master_size(200, 100), (200, 100));
        assert_eq!(rendition_sizes(200, 100), vec![]);
        assert_eq!(master_size(500, 375), (500, 375));
        assert_eq!(rendition_sizes(500, 375), vec![(320, 240)]);
    }

    #[test]
    fn a_width_equal_to_the_master_is_not_made_twice() {
        assert_eq!(rendition_sizes(1280, 720), vec![(320, 180), (640, 360)]);
        assert_eq!(rendition_sizes(320, 320), vec![]);
        assert_eq!(rendition_sizes(321, 321), vec![(320, 320)]);
    }

    #[test]
    fn thin_strips_keep_one_row() {
        // 10 × 2560 / 20000 = 1.28 → 1; 10 × 320 / 20000 = 0.16 → at least 1.
        assert_eq!(master_size(20_000, 10), (2560, 1));
        assert_eq!(rendition_sizes(20_000, 10), vec![(320, 1), (640, 1), (1280, 1)]);
    }

    #[test]
    fn halves_round_up() {
        // 3 × 1 / 2 = 1.5 → 2; 5 × 1 / 2 = 2.5 → 3.
        assert_eq!(scale(3, 2, 1), 2);
        assert_eq!(scale(5, 2, 1), 3);
        assert_eq!(scale(4, 3, 2), 3); // 2.67
        assert_eq!(scale(4, 3, 1), 1); // 1.33
    }
}
