//! Opaque pagination cursors. A cursor remembers the order it was made for, so a client that
//! changes `orderBy` while keeping `after` gets an error instead of a silently wrong page.

use crate::error::{ApiResult, bad_input};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use frontier_domain::Slug;
use frontier_store::{ArticleCursor, ArticleOrder};

fn order_tag(order: ArticleOrder) -> &'static str {
    match order {
        ArticleOrder::PublishedDesc => "pd",
        ArticleOrder::PublishedAsc => "pa",
        ArticleOrder::SlugAsc => "sa",
    }
}

pub fn encode_article(order: ArticleOrder, c: &ArticleCursor) -> String {
    let micros = c.published_at.timestamp_micros();
    URL_SAFE_NO_PAD.encode(format!("a|{}|{micros}|{}|{}", order_tag(order), c.id, c.slug))
}

pub fn decode_article(order: ArticleOrder, cursor: &str) -> ApiResult<ArticleCursor> {
    let bad = || bad_input("after", "not a cursor of this list");
    let text = URL_SAFE_NO_PAD.decode(cursor.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let parts: Vec<&str> = text.split('|').collect();
    let ["a", tag, micros, id, slug] = parts[..] else { return Err(bad()) };
    if tag != order_tag(order) {
        return Err(bad_input("after", "cursor was made for another orderBy"));
    }
    let published_at = micros.parse().ok().and_then(DateTime::from_timestamp_micros).ok_or_else(bad)?;
    Ok(ArticleCursor { published_at, id: id.parse().map_err(|_| bad())?, slug: Slug::parse(slug).map_err(|_| bad())? })
}

pub fn encode_place(slug: &Slug) -> String {
    URL_SAFE_NO_PAD.encode(format!("p|{slug}"))
}

pub fn decode_place(cursor: &str) -> ApiResult<Slug> {
    let bad = || bad_input("after", "not a cursor of this list");
    let text = URL_SAFE_NO_PAD.decode(cursor.trim()).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let slug = text.strip_prefix("p|").ok_or_else(bad)?;
    Slug::parse(slug).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use frontier_domain::ArticleId;

    #[test]
    fn article_cursors_round_trip_for_their_order_only() {
        let c = ArticleCursor {
            published_at: Utc.with_ymd_and_hms(2025, 4, 20, 8, 0, 1).single().expect("t"),
            id: ArticleId::generate(),
            slug: Slug::parse("luat-bien-phong").expect("slug"),
        };
        let s = encode_article(ArticleOrder::PublishedDesc, &c);
        assert_eq!(decode_article(ArticleOrder::PublishedDesc, &s).expect("ok"), c);
        assert!(decode_article(ArticleOrder::SlugAsc, &s).is_err());
        assert!(decode_article(ArticleOrder::PublishedDesc, "bm9wZQ").is_err());
        assert!(decode_article(ArticleOrder::PublishedDesc, &encode_place(&c.slug)).is_err());
    }

    #[test]
    fn place_cursors_round_trip() {
        let slug = Slug::parse("nha-van-hoa").expect("slug");
        assert_eq!(decode_place(&encode_place(&slug)).expect("ok"), slug);
        assert!(decode_place("%%%").is_err());
    }
}
