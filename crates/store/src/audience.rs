//! Who a read is for. Every read of content takes an [`Audience`], so no query can forget to hide
//! drafts: the public sees published content inside its window, in categories and units that are not
//! archived; an editor in preview also sees everything of the units in their scope.

use crate::convert::parse;
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::{categories, units};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use frontier_domain::tree::{reachable, subtree};
use frontier_domain::{CategoryId, UnitId};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    /// The moment publication windows are checked against.
    pub now: DateTime<Utc>,
    /// Units whose unpublished content is included (already expanded to their subtrees).
    pub preview: Option<Vec<UnitId>>,
    /// Only content of these units and the units below them (an API key's scope).
    pub within: Option<Vec<UnitId>>,
}

impl Audience {
    pub fn public(now: DateTime<Utc>) -> Self {
        Self { now, preview: None, within: None }
    }

    /// Public content plus everything owned by `units`.
    pub fn preview(now: DateTime<Utc>, units: Vec<UnitId>) -> Self {
        Self { now, preview: Some(units), within: None }
    }

    /// Narrows to the content of `roots` and the units below them.
    pub fn within(mut self, roots: Vec<UnitId>) -> Self {
        self.within = Some(roots);
        self
    }

    pub fn previews(&self, unit: UnitId) -> bool {
        self.preview.as_ref().is_some_and(|p| p.contains(&unit))
    }
}

/// The audience's view of the two trees, worked out once per read.
pub(crate) struct Reach {
    /// Units readers may reach (not archived, below no archived unit).
    pub units: HashSet<UnitId>,
    pub categories: HashSet<CategoryId>,
    /// `within` expanded to subtrees; `None` means everywhere.
    pub within: Option<HashSet<UnitId>>,
    pub preview: HashSet<UnitId>,
    pub now: NaiveDateTime,
}

type TreeRow = (String, Option<String>, Option<NaiveDateTime>);

fn nodes<Id: std::str::FromStr>(what: &str, rows: Vec<TreeRow>) -> Result<Vec<(Id, Option<Id>, bool)>>
where
    Id::Err: std::fmt::Display,
{
    rows.into_iter()
        .map(|(id, p, archived)| {
            Ok((parse(what, &id)?, p.as_deref().map(|p| parse(what, p)).transpose()?, archived.is_some()))
        })
        .collect()
}

impl Reach {
    /// Everything: for articles, which depend on both trees.
    pub fn of(conn: &mut DbConnection, audience: &Audience) -> Result<Self> {
        let mut reach = Self::of_units(conn, audience)?;
        let cat_rows: Vec<TreeRow> =
            categories::table.select((categories::id, categories::parent_id, categories::archived_at)).load(conn)?;
        let cat_nodes: Vec<(CategoryId, Option<CategoryId>, bool)> = nodes("categories", cat_rows)?;
        reach.categories = reachable(&cat_nodes);
        Ok(reach)
    }

    /// The unit tree only (one statement): for places, QR codes and units, which no category hides.
    pub fn of_units(conn: &mut DbConnection, audience: &Audience) -> Result<Self> {
        let unit_rows: Vec<TreeRow> =
            units::table.select((units::id, units::parent_id, units::archived_at)).load(conn)?;
        let unit_nodes: Vec<(UnitId, Option<UnitId>, bool)> = nodes("units", unit_rows)?;
        let links: Vec<(UnitId, Option<UnitId>)> = unit_nodes.iter().map(|(id, p, _)| (*id, *p)).collect();
        let within = audience.within.as_ref().map(|roots| roots.iter().flat_map(|r| subtree(&links, *r)).collect());
        Ok(Self {
            units: reachable(&unit_nodes),
            categories: HashSet::new(),
            within,
            preview: audience.preview.iter().flatten().copied().collect(),
            now: crate::convert::to_db(audience.now),
        })
    }

    /// Units: reachable ones, and in preview every unit of the scope; always inside the API-key scope
    /// (a frontend keyed to one post sees that post's tree, not the province's).
    pub fn shows_unit(&self, unit: UnitId) -> bool {
        let within = self.within.as_ref().is_none_or(|w| w.contains(&unit));
        within && (self.units.contains(&unit) || self.preview.contains(&unit))
    }

    /// Categories have no owner: anyone previewing sees archived ones too (to file drafts there).
    pub fn shows_category(&self, category: CategoryId) -> bool {
        self.categories.contains(&category) || !self.preview.is_empty()
    }

    /// Content owned by `unit` (a place, a QR code): not archived and in a reachable unit, or in the
    /// preview scope; always inside the API-key scope.
    pub fn shows_content(&self, unit: UnitId, archived: bool) -> bool {
        let within = self.within.as_ref().is_none_or(|w| w.contains(&unit));
        within && ((!archived && self.units.contains(&unit)) || self.preview.contains(&unit))
    }

    pub fn strings<T: ToString>(set: &HashSet<T>) -> Vec<String> {
        set.iter().map(ToString::to_string).collect()
    }
}
