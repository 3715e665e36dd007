//! A scan as a row of `scans`: how it is written (many rows a statement, with the texts rows share
//! written once) and read back into a [`ScanEvent`]. `scans.rs` decides what each row holds.

use crate::convert::{corrupt, from_db, parse, to_db};
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::scans;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::serialize::{Output, ToSql};
use frontier_domain::{
    DeviceClass, Locale, PlaceId, QrCodeId, QrTarget, QrTargetKind, ScanEvent, ScanId, ScanOutcome, ScanSource, UnitId,
    VisitorKey,
};
use std::sync::Arc;

/// A stored scan as read back.
#[derive(Queryable, Selectable)]
#[diesel(table_name = scans)]
pub(crate) struct ScanRow {
    id: String,
    occurred_at: NaiveDateTime,
    scanned_text: String,
    qr_code_id: Option<String>,
    place_id: Option<String>,
    unit_id: Option<String>,
    target_kind: Option<String>,
    target_id: Option<String>,
    outcome: String,
    locale: Option<String>,
    local_day: String,
    device: String,
    is_repeat: bool,
    visitor_key: Option<String>,
    source: String,
    pub(crate) client_scan_id: Option<String>,
}

/// A scan row as inserted. The texts it shares with other rows are shared, not copied: its code's
/// [`IdTexts`] (written once per code, not once per scan) and the moment and day of its batch.
/// (Borrowed `&str`s would be cheaper still, but diesel caches a multi-row insert's statement only
/// for values without lifetimes.)
///
/// `treat_none_as_default_value = false`: a `None` is bound as NULL. Left to diesel's default, a
/// `None` would be written `DEFAULT`, which SQLite has no multi-row form of: each row would then
/// be its own statement in its own savepoint, its SQL written anew every time.
#[derive(Insertable)]
#[diesel(table_name = scans, treat_none_as_default_value = false)]
pub(crate) struct NewScan {
    id: String,
    occurred_at: Moment,
    scanned_text: String,
    qr_code_id: Option<Shared>,
    place_id: Option<Shared>,
    unit_id: Option<Shared>,
    target_kind: Option<&'static str>,
    target_id: Option<Shared>,
    outcome: &'static str,
    locale: Option<String>,
    local_day: Shared,
    device: &'static str,
    is_repeat: bool,
    visitor_key: Option<String>,
    source: &'static str,
    client_scan_id: Option<String>,
}

/// A text column's value that many rows share.
#[derive(Debug, Clone, diesel::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub(crate) struct Shared(Arc<str>);

impl Shared {
    pub(crate) fn of(text: String) -> Self {
        Self(text.into())
    }
}

impl ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for Shared {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::sqlite::Sqlite>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Text, diesel::sqlite::Sqlite>::to_sql(&*self.0, out)
    }
}

impl ToSql<diesel::sql_types::Text, diesel::pg::Pg> for Shared {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Text, diesel::pg::Pg>::to_sql(&*self.0, out)
    }
}

/// A row's moment with its text as SQLite stores it, written once for all the rows of a batch
/// (diesel would format the same moment again for every row). PostgreSQL gets the moment itself.
#[derive(Debug, Clone, diesel::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Timestamp)]
pub(crate) struct Moment {
    at: NaiveDateTime,
    text: Arc<str>,
}

/// How diesel writes a timestamp into SQLite (`ToSql<Timestamp, Sqlite> for NaiveDateTime`): the
/// moments this module writes as text read back, sort and compare like every other.
const SQLITE_TIMESTAMP: &str = "%F %T%.f";

impl Moment {
    pub(crate) fn of(at: DateTime<Utc>) -> Self {
        let at = to_db(at);
        Self { at, text: at.format(SQLITE_TIMESTAMP).to_string().into() }
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::sqlite::Sqlite>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite>::to_sql(&*self.text, out)
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::pg::Pg> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Timestamp, diesel::pg::Pg>::to_sql(&self.at, out)
    }
}

/// The id columns of a scan of one code (its code, place, unit and target), as text: written once
/// when the code is resolved and shared by the rows of every scan of it.
#[derive(Debug, Default)]
pub(crate) struct IdTexts {
    qr: Option<Shared>,
    place: Option<Shared>,
    unit: Option<Shared>,
    target: Option<(&'static str, Shared)>,
}

impl IdTexts {
    pub(crate) fn new(
        qr: Option<QrCodeId>,
        place: Option<PlaceId>,
        unit: Option<UnitId>,
        target: Option<QrTarget>,
    ) -> Self {
        Self {
            qr: qr.map(|i| Shared::of(i.to_string())),
            place: place.map(|i| Shared::of(i.to_string())),
            unit: unit.map(|i| Shared::of(i.to_string())),
            target: target.map(|t| (t.kind().as_str(), Shared::of(t.id_string()))),
        }
    }

    pub(crate) fn of_event(e: &ScanEvent) -> Self {
        Self::new(e.qr_code_id, e.place_id, e.unit_id, e.target)
    }
}

/// The row of `e`, whose id columns are `ids` (the texts of `e`'s own ids), at `moment` on `day`.
pub(crate) fn new_scan(
    e: &ScanEvent,
    ids: &IdTexts,
    moment: &Moment,
    day: &Shared,
    client_id: Option<ScanId>,
) -> NewScan {
    NewScan {
        id: e.id.to_string(),
        occurred_at: moment.clone(),
        scanned_text: e.scanned_text.clone(),
        qr_code_id: ids.qr.clone(),
        place_id: ids.place.clone(),
        unit_id: ids.unit.clone(),
        target_kind: ids.target.as_ref().map(|(kind, _)| *kind),
        target_id: ids.target.as_ref().map(|(_, id)| id.clone()),
        outcome: e.outcome.as_str(),
        locale: e.locale.as_ref().map(|l| l.as_str().to_owned()),
        local_day: day.clone(),
        device: e.device.as_str(),
        is_repeat: e.repeat,
        visitor_key: e.visitor.as_ref().map(|v| v.as_str().to_owned()),
        source: e.source.as_str(),
        client_scan_id: client_id.map(|i| i.to_string()),
    }
}

fn optional<T: std::str::FromStr>(what: &str, v: Option<String>) -> Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    v.map(|v| parse(what, &v)).transpose()
}

pub(crate) fn event_of(r: ScanRow) -> Result<ScanEvent> {
    let target = match (r.target_kind, r.target_id) {
        (Some(kind), Some(id)) => {
            let kind = QrTargetKind::parse(&kind).map_err(|e| corrupt("scans.target_kind", e))?;
            Some(QrTarget::from_parts(kind, &id).map_err(|e| corrupt("scans.target_id", e))?)
        }
        _ => None,
    };
    Ok(ScanEvent {
        id: parse("scans.id", &r.id)?,
        occurred_at: from_db(r.occurred_at),
        scanned_text: r.scanned_text,
        qr_code_id: optional("scans.qr_code_id", r.qr_code_id)?,
        place_id: optional("scans.place_id", r.place_id)?,
        unit_id: optional("scans.unit_id", r.unit_id)?,
        target,
        outcome: ScanOutcome::parse(&r.outcome).ok_or_else(|| corrupt("scans.outcome", &r.outcome))?,
        locale: r.locale.map(|l| Locale::parse(&l).map_err(|e| corrupt("scans.locale", e))).transpose()?,
        local_day: r.local_day.parse::<NaiveDate>().map_err(|e| corrupt("scans.local_day", e))?,
        device: DeviceClass::parse(&r.device).ok_or_else(|| corrupt("scans.device", &r.device))?,
        repeat: r.is_repeat,
        visitor: r.visitor_key.as_deref().and_then(VisitorKey::parse),
        source: ScanSource::parse(&r.source).ok_or_else(|| corrupt("scans.source", &r.source))?,
    })
}

/// Inserts scan rows with multi-row statements on the backend's own connection (diesel's
/// multi-backend connection has no multi-row insert, and passes every bind through a generic,
/// allocating collector). Statements of fixed sizes (64, 32, …, 2 and 1 rows) are prepared once and
/// kept by diesel's statement cache (a statement of any other length would be written and looked
/// up anew); a batch takes them by the binary digits of its length, so 22 scans are 3 statements.
pub(crate) fn insert_rows(conn: &mut DbConnection, rows: &[NewScan]) -> Result<usize> {
    insert_chunked(conn, rows, Stored::All)
}

/// Inserts the rows whose scan id is not in `scans` yet (filing again what a crash left in the
/// scan inbox stores nothing twice); returns how many were new.
pub(crate) fn insert_new_rows(conn: &mut DbConnection, rows: &[NewScan]) -> Result<usize> {
    insert_chunked(conn, rows, Stored::NewOnly)
}

/// Which rows an insert stores.
#[derive(Clone, Copy, PartialEq)]
enum Stored {
    All,
    /// Rows that break no unique index (`ON CONFLICT DO NOTHING`).
    NewOnly,
}

fn insert_chunked(conn: &mut DbConnection, rows: &[NewScan], stored_rows: Stored) -> Result<usize> {
    let mut stored = 0;
    let mut rest = rows;
    while !rest.is_empty() {
        let (n, insert): (usize, InsertRows) = match rest.len() {
            64.. => (64, insert_fixed::<64>),
            32.. => (32, insert_fixed::<32>),
            16.. => (16, insert_fixed::<16>),
            8.. => (8, insert_fixed::<8>),
            4.. => (4, insert_fixed::<4>),
            2.. => (2, insert_fixed::<2>),
            _ => (1, insert_fixed::<1>),
        };
        let (chunk, after) = rest.split_at(n);
        stored += insert(conn, chunk, stored_rows)?;
        rest = after;
    }
    Ok(stored)
}

/// A statement of a fixed number of rows.
type InsertRows = fn(&mut DbConnection, &[NewScan], Stored) -> Result<usize>;

/// One statement of exactly `N` rows (16 bound columns a row: 64 rows stay far under either
/// backend's limit).
fn insert_fixed<const N: usize>(conn: &mut DbConnection, chunk: &[NewScan], stored: Stored) -> Result<usize> {
    let rows: &[NewScan; N] =
        chunk.try_into().map_err(|_| crate::StoreError::Task(format!("{} scan rows are not {N}", chunk.len())))?;
    let insert = diesel::insert_into(scans::table).values(rows);
    Ok(match (conn, stored) {
        (DbConnection::Sqlite(c), Stored::All) => insert.execute(c)?,
        (DbConnection::Pg(c), Stored::All) => insert.execute(c)?,
        (DbConnection::Sqlite(c), Stored::NewOnly) => insert.on_conflict_do_nothing().execute(c)?,
        (DbConnection::Pg(c), Stored::NewOnly) => insert.on_conflict_do_nothing().execute(c)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::micros;
    use diesel::connection::{Instrumentation, InstrumentationEvent};
    use std::sync::{Arc, Mutex};

    fn row(n: usize) -> NewScan {
        NewScan {
            id: format!("0190f000-0000-7000-8000-{n:012}"),
            occurred_at: Moment::of(DateTime::default()),
            scanned_text: "K4PVHZ".to_owned(),
            qr_code_id: None,
            place_id: None,
            unit_id: None,
            target_kind: None,
            target_id: None,
            outcome: "unknown_code",
            locale: None,
            local_day: Shared::of("2026-12-04".to_owned()),
            device: "android",
            is_repeat: false,
            visitor_key: None,
            source: "link",
            client_scan_id: None,
        }
    }

    /// What a connection was asked to run, in order.
    #[derive(Clone, Default)]
    struct Statements(Arc<Mutex<Vec<String>>>);

    impl Instrumentation for Statements {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            let text = match event {
                InstrumentationEvent::StartQuery { query, .. } => query.to_string(),
                InstrumentationEvent::BeginTransaction { .. } => "begin".to_owned(),
                _ => return,
            };
            self.0.lock().expect("statements").push(text);
        }
    }

    /// A batch's moment is written as text once for all its rows: that text must be what diesel
    /// itself writes for the moment, or stored scans would not compare with other timestamps.
    #[tokio::test]
    async fn a_scan_moment_is_stored_as_diesel_writes_a_timestamp() {
        let db = crate::testing::TestDatabase::sqlite();
        db.store().await;
        let path = db.url.strip_prefix("sqlite://").expect("sqlite url");
        let mut conn = diesel::SqliteConnection::establish(path).expect("open");
        #[derive(QueryableByName)]
        struct Text {
            #[diesel(sql_type = diesel::sql_types::Text)]
            t: String,
        }
        let whole = DateTime::parse_from_rfc3339("2026-12-04T16:59:59Z").expect("time").to_utc();
        let fraction = DateTime::parse_from_rfc3339("2026-12-04T17:00:00.123456789Z").expect("time").to_utc();
        for at in [whole, fraction] {
            let diesels: Text = diesel::sql_query("SELECT CAST(? AS TEXT) AS t")
                .bind::<diesel::sql_types::Timestamp, _>(to_db(at))
                .get_result(&mut conn)
                .expect("diesel's text");
            let mut one = row(1);
            one.occurred_at = Moment::of(at);
            let mut sqlite = DbConnection::Sqlite(diesel::SqliteConnection::establish(path).expect("open"));
            diesel::delete(scans::table).execute(&mut sqlite).expect("empty");
            assert_eq!(insert_rows(&mut sqlite, &[one]).expect("insert"), 1);
            let stored: Text =
                diesel::sql_query("SELECT occurred_at AS t FROM scans").get_result(&mut conn).expect("stored");
            assert_eq!(stored.t, diesels.t);
            let back: NaiveDateTime = scans::table.select(scans::occurred_at).first(&mut conn).expect("read back");
            assert_eq!(from_db(back), micros(at));
        }
    }

    /// Nine rows with NULLs are two statements (eight rows, then one), each prepared once: a `None`
    /// written as `DEFAULT` would make each row its own statement in its own savepoint.
    #[tokio::test]
    async fn a_batch_of_scan_rows_is_a_few_multi_row_statements() {
        let db = crate::testing::TestDatabase::sqlite();
        db.store().await;
        let path = db.url.strip_prefix("sqlite://").expect("sqlite url");
        let mut conn = diesel::SqliteConnection::establish(path).expect("open");
        let seen = Statements::default();
        conn.set_instrumentation(seen.clone());
        let mut conn = DbConnection::Sqlite(conn);
        let rows: Vec<NewScan> = (0..9).map(row).collect();
        assert_eq!(insert_rows(&mut conn, &rows).expect("insert"), 9);
        let seen = seen.0.lock().expect("statements").clone();
        assert_eq!(seen.len(), 2, "{seen:#?}");
        assert!(seen.iter().all(|s| s.starts_with("INSERT INTO `scans`")), "{seen:#?}");
        assert_eq!(seen[0].matches("), (").count(), 7, "eight rows in the first statement: {}", seen[0]);
    }
}
