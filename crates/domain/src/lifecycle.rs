//! The life of an article: `draft → in_review → published → archived`, and back to `draft`.
//!
//! The status describes the article's latest revision. A published article that is edited goes back
//! to `draft` while its published version stays online (`live`) until the new revision is published:
//! readers never see an edit before a reviewer approved it.

use crate::error::ValidationError;
use crate::policy::Action;
use chrono::{DateTime, Utc};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticleStatus {
    Draft,
    InReview,
    Published,
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 4] = [Self::Draft, Self::InReview, Self::Published, Self::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| ValidationError::new("status", format!("unknown article status `{value}`")))
    }
}

impl fmt::Display for ArticleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of the workflow, each one a mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    /// Draft → in review: the author asks for approval.
    Submit,
    /// In review → draft: the reviewer sends it back, or the author withdraws it.
    Reject,
    /// In review → published (now or at `publishAt`). Also reschedules a published article.
    Publish,
    /// Published → draft: taken offline, kept for rework.
    Unpublish,
    /// Any state but archived → archived: offline and out of the editors' lists.
    Archive,
    /// Archived → draft.
    Restore,
}

impl Transition {
    pub const ALL: [Transition; 6] =
        [Self::Submit, Self::Reject, Self::Publish, Self::Unpublish, Self::Archive, Self::Restore];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Reject => "reject",
            Self::Publish => "publish",
            Self::Unpublish => "unpublish",
            Self::Archive => "archive",
            Self::Restore => "restore",
        }
    }

    /// The status this step leads to from `from`, or why it cannot be taken.
    pub fn apply(self, from: ArticleStatus) -> Result<ArticleStatus, ValidationError> {
        use ArticleStatus::*;
        let to = match (self, from) {
            (Self::Submit, Draft) => InReview,
            (Self::Reject, InReview) => Draft,
            (Self::Publish, InReview | Published) => Published,
            (Self::Unpublish, Published) => Draft,
            (Self::Archive, Draft | InReview | Published) => Archived,
            (Self::Restore, Archived) => Draft,
            _ => {
                return Err(ValidationError::new(
                    "status",
                    format!("cannot {} an article that is {}", self.as_str(), from.as_str().replace('_', " ")),
                ));
            }
        };
        Ok(to)
    }

    /// The permission the step needs. Taking something offline that readers can see is a reviewer's
    /// decision, like putting it online.
    pub fn requires(self, from: ArticleStatus, live: bool) -> Action {
        match self {
            Self::Publish | Self::Unpublish => Action::Publish,
            Self::Archive if live || from == ArticleStatus::Published => Action::Publish,
            Self::Submit | Self::Reject | Self::Archive | Self::Restore => Action::Edit,
        }
    }
}

/// When published content is online: from `publish_at` (inclusive) until `unpublish_at` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicationWindow {
    pub publish_at: DateTime<Utc>,
    pub unpublish_at: Option<DateTime<Utc>>,
}

impl PublicationWindow {
    pub fn new(publish_at: DateTime<Utc>, unpublish_at: Option<DateTime<Utc>>) -> Result<Self, ValidationError> {
        if let Some(end) = unpublish_at
            && end <= publish_at
        {
            return Err(ValidationError::new("unpublishAt", "must be later than publishAt"));
        }
        Ok(Self { publish_at, unpublish_at })
    }

    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        self.publish_at <= now && self.unpublish_at.is_none_or(|end| now < end)
    }
}

/// What a reader sees of an article right now, derived from its live version's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// No published version exists.
    Offline,
    /// Published, waiting for `publish_at`.
    Scheduled,
    /// Readers see it.
    Online,
    /// Its `unpublish_at` has passed.
    Expired,
}

impl Visibility {
    pub fn of(window: Option<&PublicationWindow>, now: DateTime<Utc>) -> Self {
        match window {
            None => Self::Offline,
            Some(w) if now < w.publish_at => Self::Scheduled,
            Some(w) if w.contains(now) => Self::Online,
            Some(_) => Self::Expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArticleStatus::*;
    use chrono::TimeZone;

    #[test]
    fn every_transition_from_every_status() {
        // (transition, from, expected result): written out by hand from the workflow diagram.
        let table: [(Transition, [Option<ArticleStatus>; 4]); 6] = [
            (Transition::Submit, [Some(InReview), None, None, None]),
            (Transition::Reject, [None, Some(Draft), None, None]),
            (Transition::Publish, [None, Some(Published), Some(Published), None]),
            (Transition::Unpublish, [None, None, Some(Draft), None]),
            (Transition::Archive, [Some(Archived), Some(Archived), Some(Archived), None]),
            (Transition::Restore, [None, None, None, Some(Draft)]),
        ];
        for (t, row) in table {
            for (from, want) in ArticleStatus::ALL.into_iter().zip(row) {
                let got = t.apply(from).ok();
                assert_eq!(got, want, "{t:?} from {from:?}");
            }
        }
        let err = Transition::Submit.apply(Published).expect_err("refused");
        assert_eq!((err.field, err.message.as_str()), ("status", "cannot submit an article that is published"));
    }

    #[test]
    fn taking_content_offline_needs_a_reviewer() {
        assert_eq!(Transition::Archive.requires(Draft, false), Action::Edit);
        assert_eq!(Transition::Archive.requires(Draft, true), Action::Publish);
        assert_eq!(Transition::Archive.requires(Published, false), Action::Publish);
        assert_eq!(Transition::Unpublish.requires(Published, true), Action::Publish);
        assert_eq!(Transition::Submit.requires(Draft, true), Action::Edit);
    }

    #[test]
    fn windows_include_the_start_and_exclude_the_end() {
        let t = |m: u32| Utc.with_ymd_and_hms(2026, 12, 3, 8, m, 0).single().expect("valid time");
        let w = PublicationWindow::new(t(10), Some(t(20))).expect("valid");
        assert_eq!(Visibility::of(Some(&w), t(9)), Visibility::Scheduled);
        assert_eq!(Visibility::of(Some(&w), t(10)), Visibility::Online);
        assert_eq!(Visibility::of(Some(&w), t(19)), Visibility::Online);
        assert_eq!(Visibility::of(Some(&w), t(20)), Visibility::Expired);
        assert_eq!(Visibility::of(None, t(15)), Visibility::Offline);
        let open = PublicationWindow::new(t(10), None).expect("valid");
        assert!(open.contains(t(59)));
        assert_eq!(PublicationWindow::new(t(10), Some(t(10))).expect_err("empty").field, "unpublishAt");
    }

    #[test]
    fn status_names_round_trip() {
        for s in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(s.as_str()), Ok(s));
        }
        assert!(ArticleStatus::parse("live").is_err());
    }
}
