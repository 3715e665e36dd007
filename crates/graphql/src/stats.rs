//! `scanStats`: whose statistics a caller may read, and the report built from the store's tallies.
//! The store counts (per local day and key); this module turns a filter into a scope the policy
//! allows, folds days into weeks and months, and names each group.

use crate::context::{Lens, clock, links, store, viewer};
use crate::error::{ApiResult, OrApi, bad_input, not_found_field, server_fault};
use crate::guard::{require, signed_in};
use crate::node_id::{NodeKind, decode};
use crate::types::{
    PlaceUse, QrCode, ScanFilter, ScanGroup, ScanGrouping, ScanStatsLinks, ScanTally, Subject, csv_key,
};
use crate::{Links, Sessions};
use async_graphql::{Context, Object};
use chrono::{DateTime, Duration, Utc};
use frontier_domain::tree::subtree;
use frontier_domain::{
    Action, ArticleId, DayRange, DeviceClass, Period, PlaceId, QrCodeId, QrCodeValue, QrTarget, QrTargetKind, Role,
    ScanOutcome, Slug, StatsZone, Tally, UnitId, UserId,
};
use frontier_store::{Audience, CodeUse, DayTally, FirstOpenDay, ScanKey, ScanScope, Store};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Days counted when the filter gives no `from`.
const DEFAULT_DAYS: i64 = 30;
/// Most groups a ranking field returns.
const MAX_LIMIT: usize = 100;
/// How long the signed links of `links` work: long enough to open a page of charts, short
/// enough that a link copied out of it soon stops working.
const LINK_MINUTES: i64 = 15;
/// The languages the charts and the CSV's labels are written in.
const LINK_LOCALES: [&str; 3] = ["vi", "en", "fr"];

/// The statistics of one filter. Each field asks the store only for what it needs.
pub struct ScanStats {
    scope: ScanScope,
    grouping: ScanGrouping,
    zone: StatsZone,
    lens: Lens,
    store: Store,
    /// Objects the groups name are read as the units' own staff see them (unpublished included).
    audience: Audience,
    days: OnceCell<Vec<DayTally>>,
    /// The units' codes with their last scan, read once for `leastUsedPlaces` and `codesNeverScanned`.
    uses: OnceCell<Vec<CodeUse>>,
    /// Who asked, and the slug of the one unit asked about (`None`: several, or narrowed further
    /// than the routes of `links` can say).
    user: UserId,
    unit: Option<String>,
}

/// Reads the caller's filter into a scope the policy allows: units they may read statistics for
/// (`FORBIDDEN` otherwise), names that exist (`NOT_FOUND`), and a bounded period.
pub(crate) async fn scan_stats(
    ctx: &Context<'_>,
    filter: ScanFilter,
    grouping: ScanGrouping,
    lens: Lens,
    now: DateTime<Utc>,
) -> ApiResult<ScanStats> {
    let user = signed_in(ctx)?;
    let links = viewer(ctx).links();
    let roots = match filter.units.as_deref() {
        Some(slugs) if !slugs.is_empty() => {
            let mut roots = Vec::new();
            for slug in slugs {
                roots.push(crate::query::unit_id(ctx, "filter.units", slug).await?);
            }
            roots
        }
        _ if user.role == Role::Admin => {
            links.iter().filter(|(_, parent)| parent.is_none()).map(|(id, _)| *id).collect()
        }
        _ => vec![user.unit_id],
    };
    let mut units: Vec<UnitId> = Vec::new();
    for root in roots.iter().copied() {
        require(ctx, Action::ReadStats, root)?;
        for u in subtree(links, root) {
            if !units.contains(&u) {
                units.push(u);
            }
        }
    }
    let zone = ctx.data_opt::<StatsZone>().copied().unwrap_or_default();
    let to = filter.to.unwrap_or_else(|| zone.day_of(now));
    let from = filter.from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    let days = DayRange::new(from, to).map_err(|e| bad_input(&format!("filter.{}", e.field), e.message))?;
    let s = store(ctx);
    let audience = Audience::preview(now, units.clone());
    let places = Named::Places.ids(s, filter.places.unwrap_or_default()).await?;
    let codes = Named::Codes.ids(s, filter.codes.unwrap_or_default()).await?;
    let articles = Named::Articles(&audience).ids(s, filter.articles.unwrap_or_default()).await?;
    for (named, ids) in [(Named::Places, &places), (Named::Codes, &codes), (Named::Articles(&audience), &articles)] {
        named.within(s, &audience, &units, ids).await?;
    }
    let places: Vec<PlaceId> = places.into_iter().map(PlaceId).collect();
    let codes: Vec<QrCodeId> = codes.into_iter().map(QrCodeId).collect();
    let articles: Vec<ArticleId> = articles.into_iter().map(ArticleId).collect();
    let unit = match roots.as_slice() {
        [root] if places.is_empty() && codes.is_empty() && articles.is_empty() => {
            s.units_by_ids(audience.clone(), vec![*root]).await.api()?.pop().map(|u| u.slug.to_string())
        }
        _ => None,
    };
    let first_open_day = FirstOpenDay::at(zone, now);
    let scope = ScanScope { units, places, codes, articles, days, human_only: filter.human_only, first_open_day };
    Ok(ScanStats {
        scope,
        grouping,
        zone,
        lens,
        store: s.clone(),
        audience,
        days: OnceCell::new(),
        uses: OnceCell::new(),
        user: user.id,
        unit,
    })
}

/// A global id of `kind`, if `value` is one (else it is a slug or a code).
fn node_id(value: &str, kind: NodeKind, field: &str) -> ApiResult<Option<uuid::Uuid>> {
    match decode(value) {
        Ok((k, id)) if k == kind => Ok(Some(id)),
        Ok(_) => Err(bad_input(field, format!("`{value}` is the id of something else than {}", kind.with_article()))),
        Err(_) => Ok(None),
    }
}

/// What a filter list names.
#[derive(Clone, Copy)]
enum Named<'a> {
    Places,
    Codes,
    /// Articles by slug as the units' staff see them (unpublished included).
    Articles(&'a Audience),
}

impl Named<'_> {
    fn field(self) -> &'static str {
        match self {
            Self::Places => "filter.places",
            Self::Codes => "filter.codes",
            Self::Articles(_) => "filter.articles",
        }
    }

    fn kind(self) -> NodeKind {
        match self {
            Self::Places => NodeKind::Place,
            Self::Codes => NodeKind::QrCode,
            Self::Articles(_) => NodeKind::Article,
        }
    }

    /// The record `value` names by slug or printed code: `BAD_USER_INPUT` when malformed.
    async fn find(self, s: &Store, value: &str) -> ApiResult<Option<uuid::Uuid>> {
        let slug = || Slug::parse(value).map(|s| s.to_string()).map_err(|e| bad_input(self.field(), e.message));
        Ok(match self {
            Self::Places => s.place_by_slug_any(slug()?).await.api()?.map(|p| p.id.0),
            Self::Codes => {
                let code = QrCodeValue::parse(value).map_err(|e| bad_input(self.field(), e.message))?;
                s.qr_code_by_code_any(code).await.api()?.map(|q| q.id.0)
            }
            Self::Articles(audience) => s.article_by_slug(audience.clone(), slug()?).await.api()?.map(|a| a.id.0),
        })
    }

    /// Refuses records of units outside `units`: a filter on another post's code would otherwise
    /// answer a silent zero (and tell that the code exists). Records the units' staff cannot see at
    /// all are `NOT_FOUND`.
    async fn within(self, s: &Store, audience: &Audience, units: &[UnitId], ids: &[uuid::Uuid]) -> ApiResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let a = audience.clone();
        let owners: HashMap<uuid::Uuid, UnitId> = match self {
            Self::Places => {
                let found = s.places_by_ids(a, ids.iter().copied().map(PlaceId).collect()).await.api()?;
                found.into_iter().map(|p| (p.id.0, p.unit_id)).collect()
            }
            Self::Codes => {
                let codes = s.qr_codes_by_ids(a.clone(), ids.iter().copied().map(QrCodeId).collect()).await.api()?;
                let places = s.places_by_ids(a, codes.iter().map(|q| q.place_id).collect()).await.api()?;
                let unit_of: HashMap<PlaceId, UnitId> = places.into_iter().map(|p| (p.id, p.unit_id)).collect();
                codes.into_iter().filter_map(|q| Some((q.id.0, *unit_of.get(&q.place_id)?))).collect()
            }
            Self::Articles(_) => {
                let found = s.articles_by_ids(a, ids.iter().copied().map(ArticleId).collect()).await.api()?;
                found.into_iter().map(|x| (x.id.0, x.unit_id)).collect()
            }
        };
        for id in ids {
            match owners.get(id) {
                None => {
                    let named = crate::node_id::encode(self.kind(), id);
                    return Err(not_found_field(self.field(), format!("{} `{}`", self.kind().label(), named.as_str())));
                }
                Some(unit) if !units.contains(unit) => {
                    return Err(crate::error::forbidden(format!(
                        "{}: {} of a unit whose statistics you do not read",
                        self.field(),
                        self.kind().label_with_article()
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The ids of `values`: each a global id of the right kind, a slug, or a printed code.
    async fn ids(self, s: &Store, values: Vec<String>) -> ApiResult<Vec<uuid::Uuid>> {
        let mut out = Vec::new();
        for v in values {
            let found = match node_id(&v, self.kind(), self.field())? {
                Some(id) => Some(id),
                None => self.find(s, &v).await?,
            };
            let missing = || not_found_field(self.field(), format!("{} `{v}`", self.kind().label()));
            out.push(found.ok_or_else(missing)?);
        }
        Ok(out)
    }
}

fn period(grouping: ScanGrouping) -> Option<Period> {
    match grouping {
        ScanGrouping::Day => Some(Period::Day),
        ScanGrouping::Week => Some(Period::Week),
        ScanGrouping::Month => Some(Period::Month),
        _ => None,
    }
}

fn key(grouping: ScanGrouping) -> ScanKey {
    match grouping {
        ScanGrouping::Day | ScanGrouping::Week | ScanGrouping::Month => ScanKey::Day,
        ScanGrouping::Place => ScanKey::Place,
        ScanGrouping::Code => ScanKey::Code,
        ScanGrouping::Article => ScanKey::Article,
        ScanGrouping::Locale => ScanKey::Locale,
        ScanGrouping::Device => ScanKey::Device,
        ScanGrouping::Outcome => ScanKey::Outcome,
        ScanGrouping::Target => ScanKey::Target,
    }
}

fn limit_of(limit: i32) -> ApiResult<usize> {
    usize::try_from(limit)
        .ok()
        .filter(|l| (1..=MAX_LIMIT).contains(l))
        .ok_or_else(|| bad_input("limit", format!("must be between 1 and {MAX_LIMIT}")))
}

impl ScanStats {
    async fn day_rows(&self) -> ApiResult<&[DayTally]> {
        let rows = self
            .days
            .get_or_try_init(|| async { self.store.scan_tallies(self.scope.clone(), ScanKey::Day).await.api() })
            .await?;
        Ok(rows)
    }

    async fn code_uses(&self) -> ApiResult<&[CodeUse]> {
        let uses =
            self.uses.get_or_try_init(|| async { self.store.code_use(self.scope.units.clone()).await.api() }).await?;
        Ok(uses)
    }

    /// The groups of `grouping`: periods in order, everything else most scanned first.
    pub(crate) async fn groups_of(&self, grouping: ScanGrouping) -> ApiResult<Vec<ScanGroup>> {
        let range = self.scope.days;
        if let Some(p) = period(grouping) {
            let days = self.day_rows().await?.iter().map(|r| (r.day, r.tally));
            return Ok(p
                .series(range, days)
                .into_iter()
                .map(|(start, tally)| {
                    let key = p.label(start);
                    let subject = Subject::Period {
                        key: key.clone(),
                        from: start.max(range.from()),
                        to: p.end(start).min(range.to()),
                    };
                    ScanGroup { subject, label: key, tally, lens: self.lens.clone() }
                })
                .collect());
        }
        let rows = self.store.scan_tallies(self.scope.clone(), key(grouping)).await.api()?;
        let mut by_key: BTreeMap<Option<String>, Tally> = BTreeMap::new();
        for r in rows {
            *by_key.entry(r.key).or_default() += r.tally;
        }
        let mut groups = self.name(grouping, by_key).await?;
        groups.sort_by(|a, b| {
            (b.tally.people, b.tally.scans())
                .cmp(&(a.tally.people, a.tally.scans()))
                .then_with(|| a.label.cmp(&b.label))
        });
        Ok(groups)
    }

    /// Turns keys into what they stand for, reading the records they name in one go per kind.
    async fn name(
        &self,
        grouping: ScanGrouping,
        tallies: BTreeMap<Option<String>, Tally>,
    ) -> ApiResult<Vec<ScanGroup>> {
        let keys: Vec<String> = tallies.keys().flatten().cloned().collect();
        let mut subjects: HashMap<String, Subject> = HashMap::new();
        let a = self.audience.clone();
        match grouping {
            ScanGrouping::Place => {
                for p in self.store.places_by_ids(a, parsed(&keys)).await.api()? {
                    subjects.insert(p.id.to_string(), Subject::Place(p));
                }
            }
            ScanGrouping::Code => {
                for q in self.store.qr_codes_by_ids(a, parsed(&keys)).await.api()? {
                    subjects.insert(q.id.to_string(), Subject::Code(q));
                }
            }
            ScanGrouping::Article => {
                for x in self.store.articles_by_ids(a, parsed(&keys)).await.api()? {
                    subjects.insert(x.id.to_string(), Subject::Article(x));
                }
            }
            ScanGrouping::Target => subjects = self.targets(&keys).await?,
            _ => {}
        }
        let mut out = Vec::with_capacity(tallies.len());
        for (key, tally) in tallies {
            let subject = match (grouping, key) {
                (ScanGrouping::Locale, key) => Subject::Locale(key),
                (ScanGrouping::Device, Some(k)) => match DeviceClass::parse(&k) {
                    Some(d) => Subject::Device(d),
                    None => Subject::Gone(k),
                },
                (ScanGrouping::Outcome, Some(k)) => match ScanOutcome::parse(&k) {
                    Some(o) => Subject::Outcome(o),
                    None => Subject::Gone(k),
                },
                (_, Some(k)) => subjects.remove(&k).unwrap_or(Subject::Gone(k)),
                // A scan without the key's value (a code that no longer resolves): kept, so the
                // groups still add up to the total.
                (_, None) => Subject::Gone(String::new()),
            };
            let label = crate::types::label_of(&subject, &self.lens);
            out.push(ScanGroup { subject, label, tally, lens: self.lens.clone() });
        }
        Ok(out)
    }

    /// Targets from `kind:id` keys, each named by its record when it still exists.
    async fn targets(&self, keys: &[String]) -> ApiResult<HashMap<String, Subject>> {
        let mut out = HashMap::new();
        let targets: Vec<(String, QrTarget)> = keys
            .iter()
            .filter_map(|k| {
                let (kind, id) = k.split_once(':')?;
                Some((k.clone(), QrTarget::from_parts(QrTargetKind::parse(kind).ok()?, id).ok()?))
            })
            .collect();
        let names = crate::types::target_names(&self.store, &self.audience, &self.lens, &targets).await?;
        for (key, target) in targets {
            let name = names.get(&target).cloned();
            out.insert(key, Subject::Target(target, name));
        }
        Ok(out)
    }

    /// Places with codes in use, least scanned by people in the period first.
    /// Whether the filter's places, codes and articles (each when given) take in this code: its
    /// place, itself, the article it opens now.
    fn narrows_to(&self, u: &CodeUse) -> bool {
        let scope = &self.scope;
        let article = match u.code.target {
            QrTarget::Article(a) => Some(a),
            _ => None,
        };
        (scope.places.is_empty() || scope.places.contains(&u.place.id))
            && (scope.codes.is_empty() || scope.codes.contains(&u.code.id))
            && (scope.articles.is_empty() || article.is_some_and(|a| scope.articles.contains(&a)))
    }

    async fn place_uses(&self) -> ApiResult<Vec<PlaceUse>> {
        let uses = self.code_uses().await?;
        let rows = self.store.scan_tallies(self.scope.clone(), ScanKey::Place).await.api()?;
        let mut tallies: HashMap<String, Tally> = HashMap::new();
        for r in rows {
            if let Some(k) = r.key {
                *tallies.entry(k).or_default() += r.tally;
            }
        }
        let mut places: BTreeMap<PlaceId, PlaceUse> = BTreeMap::new();
        // A code hung after the period could not have been scanned in it: not "least used" then
        // (unless its place was scanned in the period: records say what was, whatever their dates).
        let hung_in_time = |u: &&CodeUse| {
            self.zone.day_of(u.code.created_at) <= self.scope.days.to() || tallies.contains_key(&u.place.id.to_string())
        };
        for u in uses.iter().filter(|u| self.narrows_to(u)).filter(hung_in_time) {
            let entry = places.entry(u.place.id).or_insert_with(|| PlaceUse {
                tally: tallies.get(&u.place.id.to_string()).copied().unwrap_or_default(),
                place: u.place.clone(),
                codes: 0,
                last_scan: None,
                lens: self.lens.clone(),
            });
            entry.codes += 1;
            entry.last_scan = entry.last_scan.max(u.last_scan);
        }
        let mut out: Vec<PlaceUse> = places.into_values().collect();
        out.sort_by_key(|u| (u.tally.people, u.last_scan));
        Ok(out)
    }

    /// The CSV of the groups: a header line, then one line per group.
    pub(crate) async fn csv_of(&self, grouping: ScanGrouping) -> ApiResult<String> {
        let groups = self.groups_of(grouping).await?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| server_fault(format!("CSV: {e}"));
        w.write_record([
            "key",
            "label",
            "from",
            "to",
            "scans",
            "people",
            "repeats",
            "bots",
            "visitors",
            "repeat_share",
        ])
        .map_err(fail)?;
        for g in &groups {
            let (from, to) = match g.subject {
                Subject::Period { from, to, .. } => (from.to_string(), to.to_string()),
                _ => (self.scope.days.from().to_string(), self.scope.days.to().to_string()),
            };
            let t = g.tally;
            let share = t.repeat_share().map(|s| format!("{s:.4}")).unwrap_or_default();
            w.write_record([
                spreadsheet_safe(csv_key(&g.subject)),
                spreadsheet_safe(g.label.clone()),
                from,
                to,
                t.scans().to_string(),
                t.people.to_string(),
                t.repeats.to_string(),
                t.bots.to_string(),
                t.visitors.to_string(),
                share,
            ])
            .map_err(fail)?;
        }
        let bytes = w.into_inner().map_err(|e| server_fault(format!("CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| server_fault(format!("CSV: {e}")))
    }
}

impl ScanStats {
    /// Absolute URLs of the same figures as CSV and charts, each signed for its path and query.
    fn signed_links(&self, ctx: &Context<'_>, unit: &str) -> ApiResult<ScanStatsLinks> {
        let sessions = ctx.data::<Arc<Sessions>>().map_err(|e| server_fault(format!("no sessions: {}", e.message)))?;
        let now = clock(ctx).now();
        let expires_at = now + Duration::minutes(LINK_MINUTES);
        let locale = self
            .lens
            .entries()
            .iter()
            .map(|l| l.language())
            .find(|l| LINK_LOCALES.contains(l))
            .unwrap_or(LINK_LOCALES[0]);
        let days = self.scope.days;
        let period = format!("from={}&to={}&locale={locale}", days.from(), days.to());
        let sign = |file: &str, query: &str| -> ApiResult<String> {
            let url = format!("{}?{query}", Links::stats_path(unit, file));
            let sig = sessions.previews.sign_url(self.user, &url, now, expires_at).map_err(server_fault)?;
            Ok(format!("{}{url}&sig={sig}", links(ctx).base()))
        };
        let grouping = format!("{:?}", self.grouping).to_ascii_lowercase();
        let csv_query = format!("{period}&groupBy={grouping}&humanOnly={}", self.scope.human_only);
        Ok(ScanStatsLinks {
            csv: sign("scans.csv", &csv_query)?,
            scans_chart: sign("scans.svg", &period)?,
            places_chart: sign("places.svg", &period)?,
            expires_at,
        })
    }
}

/// A text cell a spreadsheet will not run: names come from editors, and a place called
/// `=HYPERLINK(…)` must stay a name when an officer opens the CSV in Excel or LibreOffice (OWASP's
/// advice: a leading apostrophe before `=`, `+`, `-`, `@`, tab or carriage return).
fn spreadsheet_safe(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

fn parsed<T: std::str::FromStr>(keys: &[String]) -> Vec<T> {
    keys.iter().filter_map(|k| k.parse().ok()).collect()
}

/// Scan statistics of the units a caller reads statistics for. Figures are counted per calendar day
/// in the statistics' time zone (`timeZone`).
#[Object]
impl ScanStats {
    /// The first day counted.
    async fn from(&self) -> chrono::NaiveDate {
        self.scope.days.from()
    }

    /// The last day counted (included).
    async fn to(&self) -> chrono::NaiveDate {
        self.scope.days.to()
    }

    /// The IANA time zone whose calendar days are counted (`FRONTIER_TIME_ZONE`).
    async fn time_zone(&self) -> &'static str {
        self.zone.name()
    }

    /// How `groups` is split.
    async fn group_by(&self) -> ScanGrouping {
        self.grouping
    }

    /// The figures of every scan the filter counts. `visitors` here is the sum of each day's distinct
    /// visitors; a group's `visitors` can add up to more (one phone at two places on one day).
    async fn total(&self) -> ApiResult<ScanTally> {
        Ok(ScanTally(self.day_rows().await?.iter().map(|r| r.tally).sum()))
    }

    /// The scans split by `groupBy`: periods in calendar order (quiet ones as zeros), anything else
    /// most scanned by people first.
    async fn groups(&self) -> ApiResult<Vec<ScanGroup>> {
        self.groups_of(self.grouping).await
    }

    /// The targets people opened most in the period: articles, categories, places and unit pages.
    async fn top_content(
        &self,
        #[graphql(default = 10, desc = "How many, 1 to 100.")] limit: i32,
    ) -> ApiResult<Vec<ScanGroup>> {
        let limit = limit_of(limit)?;
        let mut groups = self.groups_of(ScanGrouping::Target).await?;
        groups.retain(|g| g.tally.people > 0);
        groups.truncate(limit);
        Ok(groups)
    }

    /// Places with codes in use, the least scanned by people in the period first (those never
    /// scanned at all before those scanned long ago): where posters may be torn down or moved.
    async fn least_used_places(
        &self,
        #[graphql(default = 10, desc = "How many, 1 to 100.")] limit: i32,
    ) -> ApiResult<Vec<PlaceUse>> {
        let limit = limit_of(limit)?;
        let mut uses = self.place_uses().await?;
        uses.truncate(limit);
        Ok(uses)
    }

    /// Codes in use in these units (not archived) that no person has ever scanned, the oldest first.
    async fn codes_never_scanned(&self) -> ApiResult<Vec<QrCode>> {
        let mut never: Vec<&CodeUse> =
            self.code_uses().await?.iter().filter(|u| u.last_scan.is_none() && self.narrows_to(u)).collect();
        never.sort_by_key(|u| (u.code.created_at, u.code.code.to_string()));
        Ok(never.into_iter().map(|u| QrCode::new(u.code.clone(), self.lens.clone())).collect())
    }

    /// The same groups as CSV (RFC 4180, UTF-8, a header line): key, label, from, to, scans, people,
    /// repeats, bots, visitors, repeat_share.
    async fn csv(&self) -> ApiResult<String> {
        self.csv_of(self.grouping).await
    }

    /// Links to these statistics as a CSV download and as two charts (SVG), for `<a href>` and
    /// `<img src>`, which cannot send a bearer token: each is signed for its own path and query and
    /// works for 15 minutes, with your rights. Null unless the statistics are of one unit (the
    /// `units` filter names one, or you read statistics of one unit by default) and not narrowed
    /// to places, codes or articles.
    async fn links(&self, ctx: &Context<'_>) -> ApiResult<Option<ScanStatsLinks>> {
        match &self.unit {
            Some(unit) => self.signed_links(ctx, unit).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_in_names_stay_text_in_the_csv() {
        for (name, cell) in [
            ("=HYPERLINK(\"http://evil.example\",\"Bấm\")", "'=HYPERLINK(\"http://evil.example\",\"Bấm\")"),
            ("+84 25 3888 1234", "'+84 25 3888 1234"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Nhà văn hóa thôn Nà Pàn", "Nhà văn hóa thôn Nà Pàn"),
            ("2026-12-03", "2026-12-03"),
        ] {
            assert_eq!(spreadsheet_safe(name.to_owned()), cell);
        }
    }
}
