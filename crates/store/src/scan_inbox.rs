//! The scan inbox: where a crowd's scans are committed first, on SQLite.
//!
//! Under load the scan writer does not insert rows into `scans` on its serial path. It commits each
//! batch as one record (the batch's scans packed with postcard) to a small SQLite database beside
//! the main one, `<database>-inbox`, synced like every commit; only then does it answer. A commit
//! there writes a page or two instead of the ~20 that the batch's rows and their two indexes dirtied
//! (BENCHMARKS.md). The filing thread (`scan_filing.rs`) then moves the records into `scans`, many
//! batches a transaction, and readers of the scans wait for it (`Store::scans_settled`).
//!
//! A record stays until it is filed, so a crash between the two costs nothing: the next start files
//! whatever the inbox holds. Filing a record twice (a crash after its rows were filed but before it
//! was deleted) stores nothing twice: its scans' ids are already in `scans`.

use crate::StoreError;
use crate::convert::corrupt;
use crate::db::{DatabaseUrl, DbConnection};
use crate::error::Result;
use chrono::NaiveDate;
use diesel::prelude::*;
use frontier_domain::{
    DeviceClass, Locale, QrTarget, QrTargetKind, ScanEvent, ScanId, ScanOutcome, ScanSource, VisitorKey,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use uuid::Uuid;

/// The first byte of every record: the packing below. A newer server that packs differently reads
/// the older form too (a crash can leave records across an upgrade).
const FORMAT: u8 = 1;

diesel::table! {
    scan_inbox (seq) {
        seq -> BigInt,
        batch -> Binary,
    }
}

/// The inbox database of the SQLite database at `db` (a file path), or `None` for an in-memory
/// or `file:` URI database, whose writer stores rows directly.
pub(crate) fn url_of(db: &DatabaseUrl) -> Option<DatabaseUrl> {
    let path = db.sqlite_path().filter(|p| !p.starts_with("file:") && !p.contains(":memory:"))?;
    DatabaseUrl::parse(&format!("sqlite://{path}-inbox")).ok()
}

/// Creates the inbox's one table if this is a new inbox.
pub(crate) fn prepare(conn: &mut DbConnection) -> Result<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS scan_inbox (seq INTEGER PRIMARY KEY NOT NULL, batch BLOB NOT NULL);",
    )?;
    Ok(())
}

/// One scan as packed in a record. Ids as numbers, the rest in the words the database stores.
#[derive(Debug, Serialize, Deserialize)]
struct Packed<'a> {
    id: u128,
    /// Microseconds since 1970 (UTC).
    at: i64,
    #[serde(borrow)]
    text: Cow<'a, str>,
    qr: Option<u128>,
    place: Option<u128>,
    unit: Option<u128>,
    #[serde(borrow)]
    target: Option<(Cow<'a, str>, u128)>,
    #[serde(borrow)]
    outcome: Cow<'a, str>,
    #[serde(borrow)]
    locale: Option<Cow<'a, str>>,
    /// Days since 0001-01-01 (the local day).
    day: i32,
    #[serde(borrow)]
    device: Cow<'a, str>,
    repeat: bool,
    #[serde(borrow)]
    visitor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source: Cow<'a, str>,
    client_id: Option<u128>,
}

/// A scan to file, with the id its app chose (`recordScan`).
pub(crate) type Entry = (ScanEvent, Option<ScanId>);

fn id_of(u: Uuid) -> u128 {
    u.as_u128()
}

fn target_id(t: &QrTarget) -> Result<u128> {
    Uuid::parse_str(&t.id_string()).map(id_of).map_err(|e| corrupt("scan target id", e))
}

/// Packs a batch's scans into one record.
pub(crate) fn pack<'a>(scans: impl Iterator<Item = (&'a ScanEvent, Option<ScanId>)>) -> Result<Vec<u8>> {
    let mut packed = Vec::new();
    for (e, client_id) in scans {
        let target = e.target.as_ref().map(|t| Ok::<_, StoreError>((Cow::Borrowed(t.kind().as_str()), target_id(t)?)));
        packed.push(Packed {
            id: id_of(e.id.0),
            at: e.occurred_at.timestamp_micros(),
            text: Cow::Borrowed(&e.scanned_text),
            qr: e.qr_code_id.map(|i| id_of(i.0)),
            place: e.place_id.map(|i| id_of(i.0)),
            unit: e.unit_id.map(|i| id_of(i.0)),
            target: target.transpose()?,
            outcome: Cow::Borrowed(e.outcome.as_str()),
            locale: e.locale.as_ref().map(|l| Cow::Borrowed(l.as_str())),
            day: chrono::Datelike::num_days_from_ce(&e.local_day),
            device: Cow::Borrowed(e.device.as_str()),
            repeat: e.repeat,
            visitor: e.visitor.as_ref().map(|v| Cow::Borrowed(v.as_str())),
            source: Cow::Borrowed(e.source.as_str()),
            client_id: client_id.map(|i| id_of(i.0)),
        });
    }
    let mut out = vec![FORMAT];
    out.extend(postcard::to_allocvec(&packed).map_err(|e| StoreError::Task(format!("packing scans: {e}")))?);
    Ok(out)
}

/// The scans of a record, as packed.
pub(crate) fn unpack(record: &[u8]) -> Result<Vec<Entry>> {
    let Some((&FORMAT, body)) = record.split_first() else {
        return Err(corrupt("scan_inbox.batch", format!("unknown format {:?}", record.first())));
    };
    let packed: Vec<Packed<'_>> = postcard::from_bytes(body).map_err(|e| corrupt("scan_inbox.batch", e))?;
    packed.into_iter().map(event_of).collect()
}

fn event_of(p: Packed<'_>) -> Result<Entry> {
    let bad = |what: &str, v: &str| corrupt(&format!("scan_inbox {what}"), v);
    let target = match p.target {
        Some((kind, id)) => {
            let kind = QrTargetKind::parse(&kind).map_err(|e| corrupt("scan_inbox target", e))?;
            Some(
                QrTarget::from_parts(kind, &Uuid::from_u128(id).to_string())
                    .map_err(|e| corrupt("scan_inbox target", e))?,
            )
        }
        None => None,
    };
    let at = chrono::DateTime::from_timestamp_micros(p.at).ok_or_else(|| bad("moment", &p.at.to_string()))?;
    let event = ScanEvent {
        id: ScanId(Uuid::from_u128(p.id)),
        occurred_at: at,
        scanned_text: p.text.into_owned(),
        qr_code_id: p.qr.map(|i| frontier_domain::QrCodeId(Uuid::from_u128(i))),
        place_id: p.place.map(|i| frontier_domain::PlaceId(Uuid::from_u128(i))),
        unit_id: p.unit.map(|i| frontier_domain::UnitId(Uuid::from_u128(i))),
        target,
        outcome: ScanOutcome::parse(&p.outcome).ok_or_else(|| bad("outcome", &p.outcome))?,
        locale: p.locale.map(|l| Locale::parse(&l).map_err(|e| corrupt("scan_inbox locale", e))).transpose()?,
        local_day: NaiveDate::from_num_days_from_ce_opt(p.day).ok_or_else(|| bad("day", &p.day.to_string()))?,
        device: DeviceClass::parse(&p.device).ok_or_else(|| bad("device", &p.device))?,
        repeat: p.repeat,
        visitor: p.visitor.as_deref().and_then(VisitorKey::parse),
        source: ScanSource::parse(&p.source).ok_or_else(|| bad("source", &p.source))?,
    };
    Ok((event, p.client_id.map(|i| ScanId(Uuid::from_u128(i)))))
}

fn sqlite(conn: &mut DbConnection) -> Result<&mut diesel::SqliteConnection> {
    match conn {
        DbConnection::Sqlite(c) => Ok(c),
        DbConnection::Pg(_) => Err(StoreError::Task("the scan inbox is a SQLite database".into())),
    }
}

/// Adds a record.
pub(crate) fn append(conn: &mut DbConnection, seq: i64, record: &[u8]) -> Result<()> {
    diesel::insert_into(scan_inbox::table)
        .values((scan_inbox::seq.eq(seq), scan_inbox::batch.eq(record)))
        .execute(sqlite(conn)?)?;
    Ok(())
}

/// Deletes the records up to `seq` (filed).
pub(crate) fn delete_through(conn: &mut DbConnection, seq: i64) -> Result<usize> {
    Ok(diesel::delete(scan_inbox::table.filter(scan_inbox::seq.le(seq))).execute(sqlite(conn)?)?)
}

/// The records after `seq`, oldest first, up to `limit` of them.
pub(crate) fn after(conn: &mut DbConnection, seq: i64, limit: i64) -> Result<Vec<(i64, Vec<u8>)>> {
    Ok(scan_inbox::table
        .filter(scan_inbox::seq.gt(seq))
        .order(scan_inbox::seq)
        .limit(limit)
        .select((scan_inbox::seq, scan_inbox::batch))
        .load(sqlite(conn)?)?)
}

/// The newest record's number (0 for an empty inbox).
pub(crate) fn last_seq(conn: &mut DbConnection) -> Result<i64> {
    let last: Option<i64> = scan_inbox::table.select(diesel::dsl::max(scan_inbox::seq)).first(sqlite(conn)?)?;
    Ok(last.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontier_domain::{PlaceId, QrCodeId, UnitId};

    fn event(n: u8) -> ScanEvent {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T23:30:00.123456Z").expect("time").to_utc();
        ScanEvent {
            id: ScanId::generate(),
            occurred_at: at,
            scanned_text: format!("K4PVH{n}"),
            qr_code_id: Some(QrCodeId::generate()),
            place_id: Some(PlaceId::generate()),
            unit_id: Some(UnitId::generate()),
            target: Some(QrTarget::Place(PlaceId::generate())),
            outcome: ScanOutcome::Expired,
            locale: Some(Locale::parse("vi-VN").expect("locale")),
            local_day: NaiveDate::from_ymd_opt(2026, 12, 5).expect("day"),
            device: DeviceClass::Ios,
            repeat: true,
            visitor: VisitorKey::parse("6f1c0a9e4b7d2e316f1c0a9e4b7d2e31"),
            source: ScanSource::App,
        }
    }

    /// Every field of a scan comes back from its record as it went in (so a filed scan is the one
    /// that was answered), also the empty ones.
    #[test]
    fn a_record_gives_back_its_scans_exactly() {
        let full = event(1);
        let bare = ScanEvent {
            qr_code_id: None,
            place_id: None,
            unit_id: None,
            target: None,
            outcome: ScanOutcome::UnknownCode,
            locale: None,
            visitor: None,
            repeat: false,
            device: DeviceClass::LinkPreview,
            source: ScanSource::Link,
            ..event(2)
        };
        let app = ScanId::generate();
        let record = pack([(&full, Some(app)), (&bare, None)].into_iter()).expect("pack");
        let back = unpack(&record).expect("unpack");
        assert_eq!(back.len(), 2);
        assert_eq!(format!("{:?}", back[0].0), format!("{full:?}"));
        assert_eq!(back[0].1, Some(app));
        assert_eq!(format!("{:?}", back[1].0), format!("{bare:?}"));
        assert_eq!(back[1].1, None);
        // Under two hundred bytes a scan: a batch of 30 takes a page or two.
        assert!(record.len() < 2 * 200, "{} bytes", record.len());
    }

    #[test]
    fn a_record_of_an_unknown_format_is_an_error_not_a_guess() {
        let mut record = pack([(&event(1), None)].into_iter()).expect("pack");
        record[0] = 9;
        assert!(unpack(&record).is_err());
        assert!(unpack(&[]).is_err());
    }
}
