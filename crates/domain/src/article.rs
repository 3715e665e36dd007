//! Articles: short texts in several languages, owned by a unit, filed under a category.

use crate::error::ValidationError;
use crate::id::{ArticleId, CategoryId, UnitId};
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
    pub published_at: DateTime<Utc>,
    pub translations: Translated<ArticleTranslation>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
