//! Articles: short texts in several languages, owned by a unit, filed under a category.

use crate::error::ValidationError;
use crate::id::{ArticleId, CategoryId, RevisionId, UnitId, UserId};
use crate::lifecycle::{ArticleStatus, PublicationWindow};
use crate::media::ArticleImages;
use crate::slug::Slug;
use crate::translation::{Translated, bounded_text, required_text};
use chrono::{DateTime, Utc};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 600;
pub const MAX_BODY_CHARS: usize = 50_000;

/// One language version of an article. The body is Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleTranslation {
    pub title: String,
    pub summary: String,
    pub body: String,
}

impl ArticleTranslation {
    pub fn new(title: &str, summary: &str, body: &str) -> Result<Self, ValidationError> {
        Ok(Self {
            title: required_text("title", title, MAX_TITLE_CHARS)?,
            summary: bounded_text("summary", summary.trim(), MAX_SUMMARY_CHARS)?,
            body: required_text("body", body, MAX_BODY_CHARS)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub slug: Slug,
    pub category_id: CategoryId,
    pub unit_id: UnitId,
    /// The state of the latest revision.
    pub status: ArticleStatus,
    /// True while a published version exists (it may be scheduled, online or expired).
    pub live: bool,
    /// When the published version goes (or went) online; for an article never published, when it
    /// was created. Lists sort by it.
    pub published_at: DateTime<Utc>,
    /// When the published version goes offline by itself.
    pub unpublish_at: Option<DateTime<Utc>>,
    /// Bumped by every save and every workflow step; an update names the version it edits.
    pub version: i64,
    pub translations: Translated<ArticleTranslation>,
    /// The cover and gallery of the version the article holds (the published one while live).
    pub images: ArticleImages,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Article {
    /// The publication window of the published version, if there is one.
    pub fn window(&self) -> Option<PublicationWindow> {
        self.live.then_some(PublicationWindow { publish_at: self.published_at, unpublish_at: self.unpublish_at })
    }

    /// What an editor changes and a revision keeps.
    pub fn content(&self) -> ArticleContent {
        ArticleContent {
            slug: self.slug.clone(),
            category_id: self.category_id,
            unit_id: self.unit_id,
            translations: self.translations.clone(),
            images: self.images.clone(),
        }
    }
}

/// The editable part of an article: what every revision records in full.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleContent {
    pub slug: Slug,
    pub category_id: CategoryId,
    pub unit_id: UnitId,
    pub translations: Translated<ArticleTranslation>,
    /// Images are content: they go through review and revisions like the texts.
    pub images: ArticleImages,
}

impl ArticleContent {
    /// What differs from `before`, one entry per field and locale (`title[fr]`, `translation[en] added`),
    /// in a stable order: the summary a revision list and the audit log show.
    pub fn changes_since(&self, before: Option<&ArticleContent>) -> Vec<String> {
        let Some(before) = before else {
            return vec!["created".to_owned()];
        };
        let mut out = Vec::new();
        if self.slug != before.slug {
            out.push("slug".to_owned());
        }
        if self.category_id != before.category_id {
            out.push("category".to_owned());
        }
        if self.unit_id != before.unit_id {
            out.push("unit".to_owned());
        }
        if self.images.cover != before.images.cover {
            out.push("cover".to_owned());
        }
        if self.images.gallery != before.images.gallery {
            out.push("gallery".to_owned());
        }
        for (locale, now) in self.translations.iter() {
            match before.translations.get(locale) {
                None => out.push(format!("translation[{locale}] added")),
                Some(was) => {
                    for (field, changed) in [
                        ("title", now.title != was.title),
                        ("summary", now.summary != was.summary),
                        ("body", now.body != was.body),
                    ] {
                        if changed {
                            out.push(format!("{field}[{locale}]"));
                        }
                    }
                }
            }
        }
        for locale in before.translations.locales() {
            if self.translations.get(locale).is_none() {
                out.push(format!("translation[{locale}] removed"));
            }
        }
        out
    }
}

/// One saved state of an article. Revisions are only ever added: restoring an old one saves its
/// content again as the newest.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub id: RevisionId,
    pub article_id: ArticleId,
    /// 1, 2, 3, … per article.
    pub number: i64,
    /// The article version this save produced.
    pub version: i64,
    pub author: Option<UserId>,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub content: ArticleContent,
    pub changes: Vec<String>,
    /// Set when this revision brought back an older one.
    pub restored_from: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;
    use uuid::Uuid;

    fn content(texts: &[(&str, &str, &str)]) -> ArticleContent {
        ArticleContent {
            slug: Slug::parse("luat-bien-phong").expect("slug"),
            category_id: CategoryId(Uuid::from_u128(1)),
            unit_id: UnitId(Uuid::from_u128(2)),
            translations: Translated::new(texts.iter().map(|(l, t, b)| {
                (Locale::parse(l).expect("locale"), ArticleTranslation::new(t, "", b).expect("text"))
            })),
            images: ArticleImages::default(),
        }
    }

    #[test]
    fn changes_name_each_field_and_locale() {
        let v1 = content(&[("vi", "Luật", "Nội dung"), ("en", "Law", "Text")]);
        assert_eq!(v1.changes_since(None), vec!["created"]);
        assert!(v1.changes_since(Some(&v1)).is_empty());
        let mut v2 = content(&[("vi", "Luật Biên phòng", "Nội dung"), ("fr", "Loi", "Texte")]);
        v2.category_id = CategoryId(Uuid::from_u128(9));
        assert_eq!(
            v2.changes_since(Some(&v1)),
            vec!["category", "title[vi]", "translation[fr] added", "translation[en] removed"]
        );
        let mut v3 = v1.clone();
        v3.images.gallery = vec![crate::id::MediaId(Uuid::from_u128(5))];
        assert_eq!(v3.changes_since(Some(&v1)), vec!["gallery"]);
    }

    #[test]
    fn translation_fields_are_checked_by_name() {
        assert_eq!(ArticleTranslation::new(" ", "s", "b").expect_err("t").field, "title");
        assert_eq!(ArticleTranslation::new("t", "s", "").expect_err("b").field, "body");
        let long = "ư".repeat(MAX_SUMMARY_CHARS + 1);
        assert_eq!(ArticleTranslation::new("t", &long, "b").expect_err("s").field, "summary");
        let ok = ArticleTranslation::new(" Luật ", "", "Nội dung").expect("ok");
        assert_eq!((ok.title.as_str(), ok.summary.as_str()), ("Luật", ""));
    }
}
