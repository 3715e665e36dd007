//! Names and descriptions of units, categories and places (table `entity_texts`).

use crate::convert::parse;
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::entity_texts;
use diesel::prelude::*;
use frontier_domain::translation::NamedText;
use frontier_domain::{Locale, Translated};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = entity_texts)]
struct TextRow {
    owner_id: String,
    locale: String,
    name: String,
    description: Option<String>,
}

/// The texts of each owner, keyed by owner id; owners without texts are absent.
pub fn load(conn: &mut DbConnection, owners: &[String]) -> Result<HashMap<String, Translated<NamedText>>> {
    let rows: Vec<TextRow> = entity_texts::table
        .filter(entity_texts::owner_id.eq_any(owners))
        .order((entity_texts::owner_id, entity_texts::locale))
        .select(TextRow::as_select())
        .load(conn)?;
    let mut grouped: HashMap<String, Vec<(Locale, NamedText)>> = HashMap::new();
    for row in rows {
        let locale: Locale = parse("entity_texts.locale", &row.locale)?;
        let text = NamedText { name: row.name, description: row.description };
        grouped.entry(row.owner_id).or_default().push((locale, text));
    }
    Ok(grouped.into_iter().map(|(k, v)| (k, Translated::new(v))).collect())
}

/// Replaces all texts of one owner.
pub fn replace(conn: &mut DbConnection, owner: &str, texts: &Translated<NamedText>) -> Result<()> {
    diesel::delete(entity_texts::table.filter(entity_texts::owner_id.eq(owner))).execute(conn)?;
    for (locale, text) in texts.iter() {
        diesel::insert_into(entity_texts::table)
            .values(TextRow {
                owner_id: owner.to_owned(),
                locale: locale.to_string(),
                name: text.name.clone(),
                description: text.description.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}
