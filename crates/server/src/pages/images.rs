//! Images on the reader pages: an `<img>` with every stored size in `srcset`, its alt text in the
//! page's language chain. URLs are paths on this server, which the pages' CSP (`img-src 'self'`) allows.

use super::Reader;
use super::views::Picture;
use crate::App;
use frontier_domain::{ArticleImages, Media, MediaFile};
use frontier_graphql::Links;
use frontier_store::StoreError;

/// An article's cover (not lazy: it is at the top) and gallery, in order; images that are gone are
/// left out.
pub async fn article(
    app: &App,
    reader: &Reader,
    images: &ArticleImages,
) -> Result<(Option<Picture>, Vec<Picture>), StoreError> {
    let ids = images.ids();
    if ids.is_empty() {
        return Ok((None, Vec::new()));
    }
    let found = app.store.media_by_ids(ids).await?;
    let find = |id| found.iter().find(|m| m.id == id);
    let cover = images.cover.and_then(find).map(|m| picture(reader, m, false));
    let gallery = images.gallery.iter().filter_map(|id| find(*id)).map(|m| picture(reader, m, true)).collect();
    Ok((cover, gallery))
}

pub fn picture(reader: &Reader, m: &Media, lazy: bool) -> Picture {
    let path = |f: &MediaFile| format!("{}{}", reader.prefix, Links::media_path(f));
    let (alt, caption, lang) = match m.texts.localize(&reader.chain) {
        Some(l) => (l.text.alt.clone(), l.text.caption.clone(), l.served.to_string()),
        None => (String::new(), None, reader.ui.lang.to_owned()),
    };
    // Browsers without `srcset` take `src`: a phone-sized file rather than the 2560 px master.
    let fallback = m.files().find(|f| f.width >= 640).unwrap_or(&m.master);
    Picture {
        src: path(fallback),
        srcset: m.srcset(path),
        width: m.master.width,
        height: m.master.height,
        alt,
        caption,
        lang,
        lazy,
    }
}
