//! The audit log. The store offers appending and reading only; the database refuses updates and
//! deletes by trigger as well, so not even a hand-written statement rewrites history.

use crate::Store;
use crate::convert::{from_db, now, to_db};
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::audit_log;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use frontier_domain::{AuditActor, AuditEntry, AuditEvent, UnitId};
use uuid::Uuid;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
struct AuditRow {
    id: String,
    occurred_at: NaiveDateTime,
    actor_kind: String,
    actor_id: Option<String>,
    actor_name: String,
    action: String,
    target_kind: String,
    target_id: Option<String>,
    unit_id: Option<String>,
    summary: String,
}

/// Appends one entry; call it inside the transaction of the change it describes.
pub(crate) fn append(conn: &mut DbConnection, actor: &AuditActor, event: AuditEvent) -> Result<()> {
    let row = AuditRow {
        id: Uuid::now_v7().to_string(),
        occurred_at: to_db(now()),
        actor_kind: actor.kind.clone(),
        actor_id: actor.id.clone(),
        actor_name: actor.name.clone(),
        action: event.action,
        target_kind: event.target_kind,
        target_id: event.target_id,
        unit_id: event.unit_id.map(|u| u.to_string()),
        summary: event.summary,
    };
    diesel::insert_into(audit_log::table).values(&row).execute(conn)?;
    Ok(())
}

/// Filters of the admins' audit query; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    /// Exact action (`article.publish`) or a prefix ending in a dot (`article.`).
    pub action: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub units: Option<Vec<UnitId>>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Entries older than this id (the previous page's last one).
    pub before: Option<String>,
    pub first: i64,
}

fn to_domain(r: AuditRow) -> AuditEntry {
    AuditEntry {
        id: r.id,
        occurred_at: from_db(r.occurred_at),
        actor: AuditActor { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
        event: AuditEvent {
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            unit_id: r.unit_id.and_then(|u| u.parse().ok()),
            summary: r.summary,
        },
    }
}

/// Newest first; `has_next` tells whether older entries follow.
fn page(conn: &mut DbConnection, q: &AuditQuery) -> Result<(Vec<AuditEntry>, bool)> {
    let mut query = audit_log::table.into_boxed();
    if let Some(a) = &q.actor_id {
        query = query.filter(audit_log::actor_id.eq(a.clone()));
    }
    if let Some(action) = &q.action {
        query = match action.strip_suffix('.') {
            // Prefix match without LIKE: its case rules differ between SQLite and PostgreSQL.
            Some(prefix) => {
                query.filter(audit_log::action.ge(format!("{prefix}.")).and(audit_log::action.lt(format!("{prefix}/"))))
            }
            None => query.filter(audit_log::action.eq(action.clone())),
        };
    }
    if let Some(k) = &q.target_kind {
        query = query.filter(audit_log::target_kind.eq(k.clone()));
    }
    if let Some(t) = &q.target_id {
        query = query.filter(audit_log::target_id.eq(t.clone()));
    }
    if let Some(units) = &q.units {
        query = query.filter(audit_log::unit_id.eq_any(units.iter().map(ToString::to_string).collect::<Vec<_>>()));
    }
    if let Some(since) = q.since {
        query = query.filter(audit_log::occurred_at.ge(to_db(since)));
    }
    if let Some(until) = q.until {
        query = query.filter(audit_log::occurred_at.lt(to_db(until)));
    }
    if let Some(before) = &q.before {
        query = query.filter(audit_log::id.lt(before.clone()));
    }
    let first = q.first.max(0);
    let mut rows =
        query.order(audit_log::id.desc()).limit(first + 1).select(AuditRow::as_select()).load::<AuditRow>(conn)?;
    let has_next = rows.len() as i64 > first;
    rows.truncate(first as usize);
    Ok((rows.into_iter().map(to_domain).collect(), has_next))
}

impl Store {
    /// Appends an entry on its own (for events that change nothing else, such as a refused login).
    pub async fn audit(&self, actor: AuditActor, event: AuditEvent) -> Result<()> {
        self.transaction(move |c| append(c, &actor, event)).await
    }

    pub async fn audit_log(&self, query: AuditQuery) -> Result<(Vec<AuditEntry>, bool)> {
        self.run(move |c| page(c, &query)).await
    }
}
