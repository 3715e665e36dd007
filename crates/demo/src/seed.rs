//! Loading the demo content into a store, in dependency order.

use crate::content::{self, DemoContent};
use frontier_domain::{ArticleId, CategoryId, PlaceId, QrTarget, QrTargetKind, Slug, UnitId};
use frontier_store::{NewArticle, NewCategory, NewPlace, NewQrCode, NewUnit, Store, StoreError};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The embedded content breaks a rule (a bug in the content files, caught by the tests).
    #[error("demo content: {0}")]
    Content(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many records of each kind the demo content has, and how many of them this run created (the
/// others were already there and were left untouched).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub units: usize,
    pub categories: usize,
    pub places: usize,
    pub qr_codes: usize,
    pub articles: usize,
    pub created: usize,
}

fn missing(kind: &str, slug: &Slug, by: &Slug) -> SeedError {
    SeedError::Content(format!("{by} refers to unknown {kind} `{slug}`"))
}

/// Items whose parent is `None` or already placed come first: parents are saved before children
/// whatever order the file lists them in.
fn parents_first<T>(
    items: Vec<T>,
    slug: impl Fn(&T) -> &Slug,
    parent: impl Fn(&T) -> Option<&Slug>,
) -> Result<Vec<T>, SeedError> {
    let mut pending = items;
    let mut placed: Vec<Slug> = Vec::new();
    let mut out = Vec::new();
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, rest): (Vec<T>, Vec<T>) =
            pending.into_iter().partition(|i| parent(i).is_none_or(|p| placed.contains(p)));
        placed.extend(ready.iter().map(|i| slug(i).clone()));
        out.extend(ready);
        pending = rest;
        if pending.len() == before {
            let stuck = slug(&pending[0]).clone();
            let parent = parent(&pending[0]).cloned().unwrap_or(stuck.clone());
            return Err(missing("parent", &parent, &stuck));
        }
    }
    Ok(out)
}

/// Writes the demo content. Safe to run again, and on a database people work in: a record whose slug
/// (a QR code: whose code) already exists is left as it is — never overwritten, never duplicated — so
/// `serve --demo` on every start does not undo an officer's edits or re-enable a disabled code.
pub async fn seed(store: &Store) -> Result<SeedReport, SeedError> {
    let DemoContent { units, categories, places, qr_codes, articles } = content::load()?;
    let mut report = SeedReport::default();

    let mut unit_ids: HashMap<Slug, UnitId> = HashMap::new();
    for u in parents_first(units, |u| &u.slug, |u| u.parent.as_ref())? {
        report.units += 1;
        if let Some(existing) = store.unit_by_slug_any(u.slug.to_string()).await? {
            unit_ids.insert(u.slug, existing.id);
            continue;
        }
        let parent = u.parent.as_ref().map(|p| unit_ids.get(p).copied().ok_or_else(|| missing("unit", p, &u.slug)));
        let saved = store
            .save_unit(NewUnit {
                slug: u.slug.clone(),
                kind: u.kind,
                parent: parent.transpose()?,
                phone: u.phone,
                address: u.address,
                texts: u.texts,
            })
            .await?;
        unit_ids.insert(u.slug, saved.id);
        report.created += 1;
    }

    let mut category_ids: HashMap<Slug, CategoryId> = HashMap::new();
    for c in parents_first(categories, |c| &c.slug, |c| c.parent.as_ref())? {
        report.categories += 1;
        if let Some(existing) = store.category_by_slug_any(c.slug.to_string()).await? {
            category_ids.insert(c.slug, existing.id);
            continue;
        }
        let parent =
            c.parent.as_ref().map(|p| category_ids.get(p).copied().ok_or_else(|| missing("category", p, &c.slug)));
        let new =
            NewCategory { slug: c.slug.clone(), parent: parent.transpose()?, position: c.position, texts: c.texts };
        category_ids.insert(c.slug, store.save_category(new).await?.id);
        report.created += 1;
    }

    let mut article_ids: HashMap<Slug, ArticleId> = HashMap::new();
    for a in articles {
        report.articles += 1;
        // Whatever state an editor left it in (a draft, archived), an existing article is theirs now.
        if let Some(existing) = store.article_id_by_slug(a.slug.to_string()).await? {
            article_ids.insert(a.slug, existing);
            continue;
        }
        let category = *category_ids.get(&a.category).ok_or_else(|| missing("category", &a.category, &a.slug))?;
        let unit = *unit_ids.get(&a.unit).ok_or_else(|| missing("unit", &a.unit, &a.slug))?;
        let new = NewArticle {
            slug: a.slug.clone(),
            category,
            unit,
            published_at: a.published_at,
            translations: a.translations,
        };
        article_ids.insert(a.slug, store.save_article(new).await?.id);
        report.created += 1;
    }

    let mut place_ids: HashMap<Slug, PlaceId> = HashMap::new();
    for p in places {
        report.places += 1;
        if let Some(existing) = store.place_by_slug_any(p.slug.to_string()).await? {
            place_ids.insert(p.slug, existing.id);
            continue;
        }
        let unit = *unit_ids.get(&p.unit).ok_or_else(|| missing("unit", &p.unit, &p.slug))?;
        let new = NewPlace {
            slug: p.slug.clone(),
            kind: p.kind,
            unit,
            commune: p.commune,
            village: p.village,
            location: p.location,
            texts: p.texts,
        };
        place_ids.insert(p.slug, store.save_place(new).await?.id);
        report.created += 1;
    }

    for q in qr_codes {
        report.qr_codes += 1;
        if store.qr_code_by_code_any(q.code.clone()).await?.is_some() {
            continue;
        }
        let place = *place_ids.get(&q.place).ok_or_else(|| missing("place", &q.place, &q.place))?;
        let (kind, slug) = &q.target;
        let by = &q.place;
        let target = match kind {
            QrTargetKind::Article => {
                QrTarget::Article(*article_ids.get(slug).ok_or_else(|| missing("article", slug, by))?)
            }
            QrTargetKind::Category => {
                QrTarget::Category(*category_ids.get(slug).ok_or_else(|| missing("category", slug, by))?)
            }
            QrTargetKind::Place => QrTarget::Place(*place_ids.get(slug).ok_or_else(|| missing("place", slug, by))?),
            QrTargetKind::Unit => QrTarget::Unit(*unit_ids.get(slug).ok_or_else(|| missing("unit", slug, by))?),
        };
        store.save_qr_code(NewQrCode { code: q.code, place, target, active: true, expires_at: None }).await?;
        report.created += 1;
    }
    Ok(report)
}
