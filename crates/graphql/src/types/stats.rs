//! Scan statistics as GraphQL shows them: which scans (`ScanFilter`), split how (`ScanGrouping`),
//! and the four figures of each group (`frontier_domain::stats`).

use super::group_words::{GroupWords, language_name};
use super::{Article, Place, QrCode, QrTarget};
use crate::context::Lens;
use crate::node_id::{NodeKind, encode};
use async_graphql::{Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use frontier_domain::{self as d, Tally};

/// Which scans the statistics count. Everything given must hold.
#[derive(InputObject, Default, Clone)]
pub struct ScanFilter {
    /// Units by slug, each with the units below it. Default: every unit you read statistics for
    /// (an analyst's own unit and those below; the whole province for an admin).
    pub units: Option<Vec<String>>,
    /// Only the scans of these places (slugs or global ids).
    pub places: Option<Vec<String>>,
    /// Only the scans of these codes (the printed code, any case, or global ids).
    pub codes: Option<Vec<String>>,
    /// Only the scans whose code opened one of these articles at that moment (slugs or global ids).
    pub articles: Option<Vec<String>>,
    /// The first calendar day counted, in the statistics' time zone. Default: 29 days before `to`.
    pub from: Option<NaiveDate>,
    /// The last calendar day counted (included). Default: today in the statistics' time zone.
    pub to: Option<NaiveDate>,
    /// Leave bots and link previews out of every figure.
    #[graphql(default)]
    pub human_only: bool,
}

/// How the scans are split into groups.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum ScanGrouping {
    /// One group per calendar day of the period, quiet days included.
    #[default]
    Day,
    /// One group per ISO week (Monday to Sunday); the first and last may be cut by the period.
    Week,
    /// One group per calendar month; the first and last may be cut by the period.
    Month,
    /// One group per place.
    Place,
    /// One group per QR code.
    Code,
    /// One group per article opened (scans of codes pointing elsewhere are left out).
    Article,
    /// One group per preferred language of the phone, without its region or script (`vi-VN` counts as
    /// `vi`; `key` null: none sent).
    Locale,
    /// One group per device class.
    Device,
    /// One group per outcome (opened, disabled, expired, …).
    Outcome,
    /// One group per target opened at the moment of the scan: article, category, place or unit page.
    Target,
}

/// Signed links to one unit's statistics as files.
#[derive(SimpleObject)]
pub struct ScanStatsLinks {
    /// The groups as CSV, the same as `csv` (`/stats/{unit}/scans.csv`), downloaded as a file.
    pub csv: String,
    /// People's scans per day, one line per place group (the place's kind), as SVG
    /// (`/stats/{unit}/scans.svg`).
    pub scans_chart: String,
    /// The unit's places at their coordinates, each circle's area its people's scans, as SVG
    /// (`/stats/{unit}/places.svg`).
    pub places_chart: String,
    /// When the links stop working.
    pub expires_at: DateTime<Utc>,
}

/// The figures of a set of scans.
pub struct ScanTally(pub Tally);

/// The figures of a set of scans. People's scans, their repeats and bots add up to `scans`.
#[Object]
impl ScanTally {
    /// Every scan recorded: people's, their repeats, and bots'.
    async fn scans(&self) -> u64 {
        self.0.scans()
    }

    /// Scans by people, repeats left out: what the command calls the number of scans.
    async fn people(&self) -> u64 {
        self.0.people
    }

    /// A person scanning the same code again within 30 minutes.
    async fn repeats(&self) -> u64 {
        self.0.repeats
    }

    /// Crawlers, link checkers and chat apps drawing link previews (0 with `humanOnly`).
    async fn bots(&self) -> u64 {
        self.0.bots
    }

    /// Distinct visitors, counted per calendar day and summed over the days (visitor-days): a phone
    /// is only told apart from others within one day, so the same phone on two days counts twice.
    async fn visitors(&self) -> u64 {
        self.0.visitors
    }

    /// `repeats / (people + repeats)`, from 0 to 1; null when people made no scan.
    async fn repeat_share(&self) -> Option<f64> {
        self.0.repeat_share()
    }
}

/// What a group stands for.
pub enum Subject {
    Period {
        key: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    Place(d::Place),
    Code(d::QrCode),
    Article(d::Article),
    /// A target with its label (its title or name, when it still exists).
    Target(d::QrTarget, Option<String>),
    Locale(Option<String>),
    Device(d::DeviceClass),
    Outcome(d::ScanOutcome),
    /// A key whose record no longer exists.
    Gone(String),
}

/// One group of the statistics: what it stands for and its figures.
pub struct ScanGroup {
    pub subject: Subject,
    pub label: String,
    pub tally: Tally,
    pub lens: Lens,
}

/// One group of the statistics: what it stands for, a label to print, and its figures.
#[Object]
impl ScanGroup {
    /// What the group stands for, as text: the period (`2026-12-04`, `2026-W49`, `2026-12`), the
    /// global id of a place, code, article or target, a language tag, a device class or an outcome
    /// in lower case. Null for the scans that carry no such value (no language sent).
    async fn key(&self) -> Option<String> {
        match &self.subject {
            Subject::Period { key, .. } => Some(key.clone()),
            Subject::Place(p) => Some(encode(NodeKind::Place, p.id).0),
            Subject::Code(q) => Some(encode(NodeKind::QrCode, q.id).0),
            Subject::Article(a) => Some(encode(NodeKind::Article, a.id).0),
            Subject::Target(t, _) => Some(super::qr_code::target_node_id(*t).0),
            Subject::Locale(l) => l.clone(),
            Subject::Device(d) => Some(d.as_str().to_owned()),
            Subject::Outcome(o) => Some(o.as_str().to_owned()),
            Subject::Gone(key) => Some(key.clone()),
        }
    }

    /// A label for people: the period, the place's name, the code, the article's title, …
    async fn label(&self) -> &str {
        &self.label
    }

    /// The first day counted in a period group (cut to the filter's `from`).
    async fn from(&self) -> Option<NaiveDate> {
        match self.subject {
            Subject::Period { from, .. } => Some(from),
            _ => None,
        }
    }

    /// The last day counted in a period group (cut to the filter's `to`).
    async fn to(&self) -> Option<NaiveDate> {
        match self.subject {
            Subject::Period { to, .. } => Some(to),
            _ => None,
        }
    }

    /// The place, when grouped by place.
    async fn place(&self) -> Option<Place> {
        match &self.subject {
            Subject::Place(p) => Some(Place::new(p.clone(), self.lens.clone())),
            _ => None,
        }
    }

    /// The code, when grouped by code.
    async fn qr_code(&self) -> Option<QrCode> {
        match &self.subject {
            Subject::Code(q) => Some(QrCode::new(q.clone(), self.lens.clone())),
            _ => None,
        }
    }

    /// The article, when grouped by article.
    async fn article(&self) -> Option<Article> {
        match &self.subject {
            Subject::Article(a) => Some(Article::new(a.clone(), self.lens.clone())),
            _ => None,
        }
    }

    /// The target opened, when grouped by target and it is public now (see `key` otherwise).
    async fn target(&self, ctx: &async_graphql::Context<'_>) -> crate::error::ApiResult<Option<QrTarget>> {
        match &self.subject {
            Subject::Target(t, _) => super::qr_code::load_target(ctx, *t, &self.lens).await,
            _ => Ok(None),
        }
    }

    /// The device class, when grouped by device.
    async fn device(&self) -> Option<super::DeviceClass> {
        match self.subject {
            Subject::Device(d) => Some(d.into()),
            _ => None,
        }
    }

    /// The outcome, when grouped by outcome.
    async fn outcome(&self) -> Option<super::scan::ScanOutcome> {
        match self.subject {
            Subject::Outcome(o) => Some(o.into()),
            _ => None,
        }
    }

    /// The group's figures.
    async fn tally(&self) -> ScanTally {
        ScanTally(self.tally)
    }
}

/// A place with its codes in use and how much people scanned them.
pub struct PlaceUse {
    pub place: d::Place,
    pub codes: usize,
    pub last_scan: Option<DateTime<Utc>>,
    pub tally: Tally,
    pub lens: Lens,
}

/// A place with its codes in use and how much people scanned them in the period: the least used
/// first, so the command sees which posters nobody reads any more.
#[Object]
impl PlaceUse {
    /// The place.
    async fn place(&self) -> Place {
        Place::new(self.place.clone(), self.lens.clone())
    }

    /// Its codes in use (not archived), disabled ones included.
    async fn codes(&self) -> usize {
        self.codes
    }

    /// The last time a person scanned one of its codes, at any time (null: never).
    async fn last_scan_at(&self) -> Option<DateTime<Utc>> {
        self.last_scan
    }

    /// Its figures in the period.
    async fn tally(&self) -> ScanTally {
        ScanTally(self.tally)
    }
}

/// The id of a group key as the API writes it, for the CSV.
pub fn csv_key(subject: &Subject) -> String {
    match subject {
        Subject::Period { key, .. } => key.clone(),
        Subject::Place(p) => encode(NodeKind::Place, p.id).0,
        Subject::Code(q) => q.code.to_string(),
        Subject::Article(a) => encode(NodeKind::Article, a.id).0,
        Subject::Target(t, _) => super::qr_code::target_node_id(*t).0,
        Subject::Locale(l) => l.clone().unwrap_or_default(),
        Subject::Device(d) => d.as_str().to_owned(),
        Subject::Outcome(o) => o.as_str().to_owned(),
        Subject::Gone(key) => key.clone(),
    }
}

/// The label of a group in the lens's language.
pub(crate) fn label_of(subject: &Subject, lens: &Lens) -> String {
    let words = GroupWords::of(lens);
    match subject {
        Subject::Period { key, .. } => key.clone(),
        Subject::Place(p) => super::name(&p.texts, lens).unwrap_or_else(|_| p.slug.to_string()),
        Subject::Code(q) => q.code.to_string(),
        Subject::Article(a) => {
            super::localize(&a.translations, lens).map_or_else(|_| a.slug.to_string(), |t| t.text.title.clone())
        }
        Subject::Target(t, name) => match name {
            Some(name) => format!("{}: {name}", words.kind(t.kind())),
            None => format!("{} ({})", words.kind(t.kind()), words.gone),
        },
        Subject::Locale(Some(tag)) => language_name(tag),
        Subject::Locale(None) => words.no_language.to_owned(),
        Subject::Device(d) => words.device(*d).to_owned(),
        Subject::Outcome(o) => words.outcome(*o).to_owned(),
        Subject::Gone(key) if key.is_empty() => "—".to_owned(),
        Subject::Gone(key) => format!("{key} ({})", words.gone),
    }
}

/// The names of targets (an article's title, a category's, place's or unit's name) in the lens's
/// language, as the units' staff see them.
pub(crate) async fn target_names(
    store: &frontier_store::Store,
    audience: &frontier_store::Audience,
    lens: &Lens,
    targets: &[(String, d::QrTarget)],
) -> crate::error::ApiResult<std::collections::HashMap<d::QrTarget, String>> {
    use crate::error::OrApi;
    let pick = |kind: d::QrTargetKind| -> Vec<uuid::Uuid> {
        targets.iter().filter(|(_, t)| t.kind() == kind).filter_map(|(_, t)| t.id_string().parse().ok()).collect()
    };
    let mut out = std::collections::HashMap::new();
    let articles = pick(d::QrTargetKind::Article).into_iter().map(d::ArticleId).collect();
    for a in store.articles_by_ids(audience.clone(), articles).await.api()? {
        let title =
            super::localize(&a.translations, lens).map_or_else(|_| a.slug.to_string(), |t| t.text.title.clone());
        out.insert(d::QrTarget::Article(a.id), title);
    }
    let categories = pick(d::QrTargetKind::Category).into_iter().map(d::CategoryId).collect();
    for c in store.categories_by_ids(audience.clone(), categories).await.api()? {
        out.insert(d::QrTarget::Category(c.id), super::name(&c.texts, lens).unwrap_or_else(|_| c.slug.to_string()));
    }
    let places = pick(d::QrTargetKind::Place).into_iter().map(d::PlaceId).collect();
    for p in store.places_by_ids(audience.clone(), places).await.api()? {
        out.insert(d::QrTarget::Place(p.id), super::name(&p.texts, lens).unwrap_or_else(|_| p.slug.to_string()));
    }
    let units = pick(d::QrTargetKind::Unit).into_iter().map(d::UnitId).collect();
    for u in store.units_by_ids(audience.clone(), units).await.api()? {
        out.insert(d::QrTarget::Unit(u.id), super::name(&u.texts, lens).unwrap_or_else(|_| u.slug.to_string()));
    }
    Ok(out)
}
