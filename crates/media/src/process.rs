//! One upload in, safe outputs out: detect, bound, decode upright, resize, re-encode.

use crate::decode::decode;
use crate::detect::{InputKind, detect};
use crate::encode::{Output, encode};
use crate::error::MediaError;
use crate::limits::Limits;
use crate::pixels::Pixels;
use crate::sizes::{master_size, rendition_sizes};

/// What an upload became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The type read from the upload's bytes.
    pub input: InputKind,
    /// The full upload's size as a person sees it: upright, before any downscaling. A portrait
    /// stored landscape with an EXIF rotation reports its portrait size here.
    pub original_width: u32,
    pub original_height: u32,
    /// The whole image, its long side at most [`crate::MASTER_MAX_SIDE`].
    pub master: Output,
    /// Narrower copies, narrowest first; see [`crate::sizes`] for which widths exist.
    pub renditions: Vec<Output>,
}

impl Processed {
    /// The renditions and then the master: every output, narrowest first.
    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.renditions.iter().chain(std::iter::once(&self.master))
    }
}

/// Turns uploaded bytes into a master and renditions, or says why it will not.
///
/// Work grows with the checks passed: the byte size first, then the type from the magic number,
/// then the pixel count from the header, and only then the decode.
pub fn process(bytes: &[u8], limits: &Limits) -> Result<Processed, MediaError> {
    if bytes.len() > limits.max_upload_bytes {
        return Err(MediaError::TooLarge { size: bytes.len(), limit: limits.max_upload_bytes });
    }
    let input = detect(bytes)?;
    let pixels = Pixels::from_image(decode(bytes, input, limits)?);
    let (original_width, original_height) = pixels.dimensions();

    let (master_width, master_height) = master_size(original_width, original_height);
    let master_pixels = if (master_width, master_height) == pixels.dimensions() {
        pixels
    } else {
        pixels.resized(master_width, master_height)
    };
    let master = encode(&master_pixels)?;

    // Each rendition is made from the next wider one, about half its width: far less work than
    // going back to the master each time, at no visible cost.
    let mut renditions = Vec::new();
    let mut wider = master_pixels;
    for (width, height) in rendition_sizes(original_width, original_height).into_iter().rev() {
        let narrower = wider.resized(width, height);
        renditions.push(encode(&narrower)?);
        wider = narrower;
    }
    renditions.reverse();

    Ok(Processed { input, original_width, original_height, master, renditions })
}
