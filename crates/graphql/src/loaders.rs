//! Batched loading of relations (DataLoader): a page of 20 articles asks for its categories and units
//! in one query each, not one per article. A loader is made per request, so no cache outlives it.

use async_graphql::dataloader::Loader;
use frontier_domain::{
    Article, ArticleId, Category, CategoryId, Media, MediaId, Place, PlaceId, QrCode, QrCodeId, Unit, UnitId,
};
use frontier_store::{Audience, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

/// Loads for one audience: a request has one for public reads and, for editors, one for preview.
pub struct StoreLoader {
    store: Store,
    audience: Audience,
}

impl StoreLoader {
    pub fn new(store: Store, audience: Audience) -> Self {
        Self { store, audience }
    }

    pub fn audience(&self) -> &Audience {
        &self.audience
    }
}

/// Key for the units directly below a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitChildren(pub UnitId);

/// Key for the categories directly below a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoryChildren(pub CategoryId);

/// Key for the photo gallery of a place, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceGallery(pub PlaceId);

/// Key for the QR codes hanging in a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceCodes(pub PlaceId);

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<StoreError>>;

impl Loader<ArticleId> for StoreLoader {
    type Value = Article;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[ArticleId]) -> LoadResult<ArticleId, Article> {
        let found = self.store.articles_by_ids(self.audience.clone(), keys.to_vec()).await.map_err(Arc::new)?;
        Ok(found.into_iter().map(|v| (v.id, v)).collect())
    }
}

macro_rules! by_id_loader {
    ($key:ty, $value:ty, $method:ident) => {
        impl Loader<$key> for StoreLoader {
            type Value = $value;
            type Error = Arc<StoreError>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, $value> {
                let found = self.store.$method(self.audience.clone(), keys.to_vec()).await.map_err(Arc::new)?;
                Ok(found.into_iter().map(|v| (v.id, v)).collect())
            }
        }
    };
}

by_id_loader!(UnitId, Unit, units_by_ids);
by_id_loader!(CategoryId, Category, categories_by_ids);
by_id_loader!(PlaceId, Place, places_by_ids);
by_id_loader!(QrCodeId, QrCode, qr_codes_by_ids);
// Images are not audience-filtered in the store: they are reached through content that is.
impl Loader<MediaId> for StoreLoader {
    type Value = Media;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[MediaId]) -> LoadResult<MediaId, Media> {
        let found = self.store.media_by_ids(keys.to_vec()).await.map_err(Arc::new)?;
        Ok(found.into_iter().map(|v| (v.id, v)).collect())
    }
}

/// Groups `rows` under the key `group` gives them, with an empty list for keys that have none.
fn grouped<K: Copy + Eq + std::hash::Hash, V>(
    keys: &[K],
    rows: Vec<V>,
    group: impl Fn(&V) -> Option<K>,
) -> HashMap<K, Vec<V>> {
    let mut out: HashMap<K, Vec<V>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        if let Some(list) = group(&row).and_then(|k| out.get_mut(&k)) {
            list.push(row);
        }
    }
    out
}

impl Loader<UnitChildren> for StoreLoader {
    type Value = Vec<Unit>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[UnitChildren]) -> LoadResult<UnitChildren, Vec<Unit>> {
        let rows = self
            .store
            .units_by_parents(self.audience.clone(), keys.iter().map(|k| k.0).collect())
            .await
            .map_err(Arc::new)?;
        Ok(grouped(keys, rows, |u| u.parent_id.map(UnitChildren)))
    }
}

impl Loader<CategoryChildren> for StoreLoader {
    type Value = Vec<Category>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[CategoryChildren]) -> LoadResult<CategoryChildren, Vec<Category>> {
        let rows = self
            .store
            .categories_by_parents(self.audience.clone(), keys.iter().map(|k| k.0).collect())
            .await
            .map_err(Arc::new)?;
        Ok(grouped(keys, rows, |c| c.parent_id.map(CategoryChildren)))
    }
}

impl Loader<PlaceCodes> for StoreLoader {
    type Value = Vec<QrCode>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[PlaceCodes]) -> LoadResult<PlaceCodes, Vec<QrCode>> {
        let rows = self
            .store
            .qr_codes_by_places(self.audience.clone(), keys.iter().map(|k| k.0).collect())
            .await
            .map_err(Arc::new)?;
        Ok(grouped(keys, rows, |q| Some(PlaceCodes(q.place_id))))
    }
}

impl Loader<PlaceGallery> for StoreLoader {
    type Value = Vec<Media>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[PlaceGallery]) -> LoadResult<PlaceGallery, Vec<Media>> {
        let rows = self.store.place_galleries(keys.iter().map(|k| k.0).collect()).await.map_err(Arc::new)?;
        let by_place = grouped(keys, rows, |(place, _)| Some(PlaceGallery(*place)));
        Ok(by_place.into_iter().map(|(k, v)| (k, v.into_iter().map(|(_, m)| m).collect())).collect())
    }
}
