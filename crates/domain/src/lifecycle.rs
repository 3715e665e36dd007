//! The life of an article: `draft → in_review → published → archived`, and back to `draft`.
//!
//! The status describes the article's latest revision. A published article that is edited goes back
//! to `draft` while its published version stays online (`live`) until the new revision is published:
//! readers never see an edit before a reviewer approved it.

use crate::error::ValidationError;
use crate::policy::Action;
use chrono::{DateTime, SubsecRound, Utc};
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
    /// Times are kept to the microsecond, as the databases store them.
    pub fn new(publish_at: DateTime<Utc>, unpublish_at: Option<DateTime<Utc>>) -> Result<Self, ValidationError> {
        let publish_at = publish_at.trunc_subsecs(6);
        let unpublish_at = unpublish_at.map(|t| t.trunc_subsecs(6));
        if let Some(end) = unpublish_at
            && end <= publish_at
        {
            return Err(ValidationError::new("unpublishAt", "must be later than publishAt"));
        }
        Ok(Self { publish_at, unpublish_at })
    }

    /// The window a reviewer's publish step asks for. Left out, `publish_at` keeps the time the
    /// article went (or is scheduled to go) online, so that a correction keeps its date and place in
    /// lists; `unpublish_at` left out (`None`) keeps the current end, `Some(None)` removes it. An
    /// article that is offline or expired starts afresh: now, no end.
    pub fn for_publishing(
        current: Option<&PublicationWindow>,
        now: DateTime<Utc>,
        publish_at: Option<DateTime<Utc>>,
        unpublish_at: Option<Option<DateTime<Utc>>>,
    ) -> Result<Self, ValidationError> {
        let kept =
            current.filter(|w| matches!(Visibility::of(Some(w), now), Visibility::Online | Visibility::Scheduled));
        let publish_at = match publish_at {
            Some(at) => check_plausible("publishAt", at, now)?,
            None => kept.map_or(now, |w| w.publish_at),
        };
        let unpublish_at = match unpublish_at {
            Some(Some(at)) => Some(check_plausible("unpublishAt", at, now)?),
            Some(None) => None,
            None => kept.and_then(|w| w.unpublish_at),
        };
        Self::new(publish_at, unpublish_at)
    }

    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        self.publish_at <= now && self.unpublish_at.is_none_or(|end| now < end)
    }
}

/// How far from now a publication time may lie: back-dating an article imported from the old
/// portal is fine, a typo that files it in 1900 or 2206 is not.
pub const PLAUSIBLE_YEARS: i64 = 30;

fn check_plausible(
    field: &'static str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, ValidationError> {
    let span = chrono::Duration::days(365 * PLAUSIBLE_YEARS);
    if at < now - span || at > now + span {
        return Err(ValidationError::new(
            field,
            format!("{} is more than {PLAUSIBLE_YEARS} years from now: check the year", at.to_rfc3339()),
        ));
    }
    Ok(at)
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
    fn publishing_keeps_the_window_of_what_is_online() {
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).single().expect("valid");
        let now = at(10, 12);
        let window = |from, until| PublicationWindow { publish_at: from, unpublish_at: until };
        let pick = |current: Option<PublicationWindow>, publish, unpublish| {
            PublicationWindow::for_publishing(current.as_ref(), now, publish, unpublish)
        };
        // First publication: now, no end; or what the reviewer asks.
        assert_eq!(pick(None, None, None), Ok(window(now, None)));
        assert_eq!(pick(None, Some(at(11, 8)), Some(Some(at(20, 0)))), Ok(window(at(11, 8), Some(at(20, 0)))));
        // A correction of an online article keeps its date and its end, unless told otherwise.
        let online = window(at(1, 8), Some(at(31, 0)));
        assert_eq!(pick(Some(online), None, None), Ok(online));
        assert_eq!(pick(Some(online), None, Some(None)), Ok(window(at(1, 8), None)));
        assert_eq!(pick(Some(online), Some(at(10, 13)), None), Ok(window(at(10, 13), Some(at(31, 0)))));
        // Still scheduled: the schedule stands.
        let scheduled = window(at(15, 8), None);
        assert_eq!(pick(Some(scheduled), None, None), Ok(scheduled));
        // Expired: published again from now, the old end is not carried over.
        let expired = window(at(1, 8), Some(at(5, 0)));
        assert_eq!(pick(Some(expired), None, None), Ok(window(now, None)));
        // Keeping an end that the new start passes is refused, naming the field.
        let err = pick(Some(online), Some(at(31, 1)), None).expect_err("end before start");
        assert_eq!(err.field, "unpublishAt");
        // Typos in the year.
        let year = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().expect("valid");
        assert_eq!(pick(None, Some(year(1900)), None).expect_err("1900").field, "publishAt");
        assert_eq!(pick(None, None, Some(Some(year(2206)))).expect_err("2206").field, "unpublishAt");
        assert!(pick(None, Some(year(2010)), None).is_ok(), "back-dated imports are fine");
    }

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
