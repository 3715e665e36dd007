//! Uploaded images as the rest of the system sees them: which unit owns one, the files it was turned
//! into (a master and narrower renditions, named by their SHA-256), its per-locale alt text and
//! caption, and where it is shown (an article's cover and gallery, a place's photo gallery).
//!
//! Making the files is `frontier-media`'s work; this module only describes the result and holds the
//! rules on texts and image lists.

use crate::error::ValidationError;
use crate::id::{MediaId, UnitId, UserId};
use crate::translation::{Translated, bounded_text, required_text};
use chrono::{DateTime, Utc};

/// Alt text: what the image shows, for people who cannot see it. Short enough for a screen reader.
pub const MAX_ALT_CHARS: usize = 300;
pub const MAX_CAPTION_CHARS: usize = 1_000;
/// Most images one article gallery or place gallery may hold: more would not be read on a phone.
pub const MAX_GALLERY: usize = 50;

/// What an upload was, read from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Jpeg,
    Png,
    WebP,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::WebP => "webp",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match s {
            "jpeg" => Ok(Self::Jpeg),
            "png" => Ok(Self::Png),
            "webp" => Ok(Self::WebP),
            _ => Err(ValidationError::new("kind", format!("unknown image kind `{s}`"))),
        }
    }
}

/// The format of a stored file: JPEG for opaque images, PNG where transparency must survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

impl ImageFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match s {
            "jpeg" => Ok(Self::Jpeg),
            "png" => Ok(Self::Png),
            _ => Err(ValidationError::new("format", format!("unknown image format `{s}`"))),
        }
    }

    /// The file extension in URLs, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }
}

/// One stored file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub width: u32,
    pub height: u32,
    /// SHA-256 of the file's bytes in lowercase hex: its name on disk and in its URL.
    pub hash: String,
    pub format: ImageFormat,
    pub bytes: u64,
}

/// What an image shows, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaText {
    pub alt: String,
    pub caption: Option<String>,
}

impl MediaText {
    /// Alt text is required (1 to 300 characters); a blank caption is none.
    pub fn new(alt: &str, caption: Option<&str>) -> Result<Self, ValidationError> {
        let alt = required_text("alt", alt, MAX_ALT_CHARS)?;
        let caption = match caption.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(bounded_text("caption", c, MAX_CAPTION_CHARS)?),
            None => None,
        };
        Ok(Self { alt, caption })
    }
}

/// Every image needs its alt text in Vietnamese at least: the last step of every fallback chain, so
/// a reader in any language gets one.
pub fn check_texts(texts: &Translated<MediaText>) -> Result<(), ValidationError> {
    texts.require_default("alt")
}

/// An uploaded image.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub id: MediaId,
    /// The unit whose editors may change its texts.
    pub unit_id: UnitId,
    pub kind: MediaKind,
    /// The whole image, upright, its long side at most 2560 px.
    pub master: MediaFile,
    /// Narrower copies, narrowest first; none is as wide as the master.
    pub renditions: Vec<MediaFile>,
    pub texts: Translated<MediaText>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl Media {
    /// Every file, narrowest first: the renditions, then the master.
    pub fn files(&self) -> impl Iterator<Item = &MediaFile> {
        self.renditions.iter().chain(std::iter::once(&self.master))
    }

    /// An HTML `srcset` (`… 320w, … 640w, … 1600w`) with `url` naming each file.
    pub fn srcset(&self, url: impl Fn(&MediaFile) -> String) -> String {
        self.files().map(|f| format!("{} {}w", url(f), f.width)).collect::<Vec<_>>().join(", ")
    }
}

/// The images of an article: an optional cover above the text and a gallery below it, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleImages {
    pub cover: Option<MediaId>,
    pub gallery: Vec<MediaId>,
}

impl ArticleImages {
    /// One image is shown once: not twice in the gallery, nor as cover and in the gallery.
    pub fn new(cover: Option<MediaId>, gallery: Vec<MediaId>) -> Result<Self, ValidationError> {
        let gallery = check_gallery("gallery", gallery)?;
        if let Some(c) = cover
            && gallery.contains(&c)
        {
            return Err(ValidationError::new("gallery", "the cover image is in the gallery too: list it once"));
        }
        Ok(Self { cover, gallery })
    }

    /// The cover first, then the gallery.
    pub fn ids(&self) -> Vec<MediaId> {
        self.cover.iter().chain(self.gallery.iter()).copied().collect()
    }
}

/// A gallery: at most [`MAX_GALLERY`] images, none twice.
pub fn check_gallery(field: &'static str, images: Vec<MediaId>) -> Result<Vec<MediaId>, ValidationError> {
    if images.len() > MAX_GALLERY {
        return Err(ValidationError::new(field, format!("at most {MAX_GALLERY} images")));
    }
    for (i, id) in images.iter().enumerate() {
        if images[..i].contains(id) {
            return Err(ValidationError::new(field, format!("image {} is listed twice", i + 1)));
        }
    }
    Ok(images)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;
    use uuid::Uuid;

    fn id(n: u128) -> MediaId {
        MediaId(Uuid::from_u128(n))
    }

    fn file(width: u32, hash: &str) -> MediaFile {
        MediaFile { width, height: width * 3 / 4, hash: hash.into(), format: ImageFormat::Jpeg, bytes: 1 }
    }

    #[test]
    fn alt_is_required_and_bounded_captions_are_optional() {
        assert_eq!(MediaText::new("  ", None).expect_err("blank").field, "alt");
        let long = "ả".repeat(MAX_ALT_CHARS);
        assert!(MediaText::new(&long, None).is_ok(), "counted in characters, not bytes");
        assert_eq!(MediaText::new(&format!("{long}a"), None).expect_err("long").field, "alt");
        let t = MediaText::new(" Nhà văn hóa ", Some("   ")).expect("ok");
        assert_eq!((t.alt.as_str(), t.caption), ("Nhà văn hóa", None));
        let caption = "c".repeat(MAX_CAPTION_CHARS + 1);
        assert_eq!(MediaText::new("a", Some(&caption)).expect_err("caption").field, "caption");
    }

    #[test]
    fn vietnamese_alt_is_required() {
        let en = |s| (Locale::parse("en").expect("en"), MediaText::new(s, None).expect("text"));
        assert_eq!(check_texts(&Translated::new([en("House")])).expect_err("no vi").field, "alt");
        let vi = (Locale::default_locale(), MediaText::new("Nhà", None).expect("text"));
        assert!(check_texts(&Translated::new([vi, en("House")])).is_ok());
    }

    #[test]
    fn an_image_is_shown_once_per_article() {
        assert!(ArticleImages::new(Some(id(1)), vec![id(2), id(3)]).is_ok());
        assert_eq!(ArticleImages::new(None, vec![id(2), id(2)]).expect_err("twice").field, "gallery");
        assert_eq!(ArticleImages::new(Some(id(2)), vec![id(2)]).expect_err("cover too").field, "gallery");
        let many = (0..=MAX_GALLERY as u128).map(id).collect();
        assert!(ArticleImages::new(None, many).is_err());
        let images = ArticleImages::new(Some(id(9)), vec![id(1), id(2)]).expect("ok");
        assert_eq!(images.ids(), vec![id(9), id(1), id(2)]);
    }

    #[test]
    fn srcset_lists_every_file_narrowest_first() {
        let media = Media {
            id: id(1),
            unit_id: UnitId(Uuid::from_u128(2)),
            kind: MediaKind::WebP,
            master: file(1600, "m"),
            renditions: vec![file(320, "a"), file(640, "b"), file(1280, "c")],
            texts: Translated::empty(),
            created_by: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let srcset = media.srcset(|f| format!("/media/{}.{}", f.hash, f.format.extension()));
        assert_eq!(srcset, "/media/a.jpg 320w, /media/b.jpg 640w, /media/c.jpg 1280w, /media/m.jpg 1600w");
    }

    #[test]
    fn kinds_and_formats_round_trip() {
        for k in [MediaKind::Jpeg, MediaKind::Png, MediaKind::WebP] {
            assert_eq!(MediaKind::parse(k.as_str()), Ok(k));
        }
        for f in [ImageFormat::Jpeg, ImageFormat::Png] {
            assert_eq!(ImageFormat::parse(f.as_str()), Ok(f));
        }
        assert!(ImageFormat::parse("webp").is_err(), "WebP is an input only");
    }
}
