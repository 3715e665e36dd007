//! Reading the TOML files under `content/` (embedded in the binary) into domain values.

use crate::seed::SeedError;
use chrono::{DateTime, Utc};
use frontier_domain::translation::NamedText;
use frontier_domain::{
    ArticleTranslation, Coordinates, Locale, PlaceKind, QrCodeValue, QrTargetKind, Slug, Translated, UnitKind,
    ValidationError,
};
use serde::Deserialize;
use std::collections::BTreeMap;

const UNITS: &str = include_str!("../content/units.toml");
const CATEGORIES: &str = include_str!("../content/categories.toml");
const PLACES: &str = include_str!("../content/places.toml");
const ARTICLES: [(&str, &str); 8] = [
    ("phap-luat-bien-gioi", include_str!("../content/articles/phap-luat-bien-gioi.toml")),
    ("an-ninh-quoc-phong", include_str!("../content/articles/an-ninh-quoc-phong.toml")),
    ("quy-dinh-chung", include_str!("../content/articles/quy-dinh-chung.toml")),
    ("van-hoa-di-san", include_str!("../content/articles/van-hoa-di-san.toml")),
    ("tin-tuc", include_str!("../content/articles/tin-tuc.toml")),
    ("hinh-anh-ban-lang", include_str!("../content/articles/hinh-anh-ban-lang.toml")),
    ("gioi-thieu-don", include_str!("../content/articles/gioi-thieu-don.toml")),
    ("du-lich", include_str!("../content/articles/du-lich.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    unit: Vec<UnitEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    slug: String,
    kind: String,
    parent: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    name: BTreeMap<String, String>,
    #[serde(default)]
    description: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    category: Vec<CategoryEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    slug: String,
    position: i32,
    parent: Option<String>,
    name: BTreeMap<String, String>,
    #[serde(default)]
    description: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    place: Vec<PlaceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceEntry {
    slug: String,
    kind: String,
    unit: String,
    commune: Option<String>,
    village: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    name: BTreeMap<String, String>,
    #[serde(default)]
    description: BTreeMap<String, String>,
    #[serde(default)]
    qr: Vec<QrEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QrEntry {
    code: String,
    target: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticlesFile {
    article: Vec<ArticleEntry>,
}

#[derive(Deserialize)]
struct ArticleEntry {
    slug: String,
    category: String,
    unit: String,
    published_at: DateTime<Utc>,
    /// Every other key is a locale holding `title`, `summary`, `body`.
    #[serde(flatten)]
    translations: BTreeMap<String, TranslationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranslationEntry {
    title: String,
    #[serde(default)]
    summary: String,
    body: String,
}

pub struct DemoUnit {
    pub slug: Slug,
    pub kind: UnitKind,
    pub parent: Option<Slug>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub texts: Translated<NamedText>,
}

pub struct DemoCategory {
    pub slug: Slug,
    pub parent: Option<Slug>,
    pub position: i32,
    pub texts: Translated<NamedText>,
}

pub struct DemoPlace {
    pub slug: Slug,
    pub kind: PlaceKind,
    pub unit: Slug,
    pub commune: Option<String>,
    pub village: Option<String>,
    pub location: Option<Coordinates>,
    pub texts: Translated<NamedText>,
}

pub struct DemoQrCode {
    pub code: QrCodeValue,
    pub place: Slug,
    pub target: (QrTargetKind, Slug),
}

pub struct DemoArticle {
    pub slug: Slug,
    pub category: Slug,
    pub unit: Slug,
    pub published_at: DateTime<Utc>,
    pub translations: Translated<ArticleTranslation>,
}

/// All demo content, parsed and checked against the domain's rules (references are checked when
/// seeding, against what is in the database).
pub struct DemoContent {
    pub units: Vec<DemoUnit>,
    pub categories: Vec<DemoCategory>,
    pub places: Vec<DemoPlace>,
    pub qr_codes: Vec<DemoQrCode>,
    pub articles: Vec<DemoArticle>,
}

fn at(file: &str, key: &str, e: ValidationError) -> SeedError {
    SeedError::Content(format!("{file}: {key}: {e}"))
}

fn named(
    file: &str,
    key: &str,
    names: BTreeMap<String, String>,
    descriptions: &BTreeMap<String, String>,
) -> Result<Translated<NamedText>, SeedError> {
    let mut out = Vec::new();
    for (tag, name) in names {
        let locale = Locale::parse(&tag).map_err(|e| at(file, key, e))?;
        let text = NamedText::new(&name, descriptions.get(&tag).map(String::as_str)).map_err(|e| at(file, key, e))?;
        out.push((locale, text));
    }
    let texts = Translated::new(out);
    texts.require_default("name").map_err(|e| at(file, key, e))?;
    Ok(texts)
}

fn slug(file: &str, key: &str, value: &str) -> Result<Slug, SeedError> {
    Slug::parse(value).map_err(|e| at(file, key, e))
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, SeedError> {
    toml::from_str(text).map_err(|e| SeedError::Content(format!("{file}: {e}")))
}

/// Parses and checks the embedded content files.
pub fn load() -> Result<DemoContent, SeedError> {
    let units_file: UnitsFile = parse_toml("units.toml", UNITS)?;
    let mut units = Vec::new();
    for u in units_file.unit {
        let f = "units.toml";
        units.push(DemoUnit {
            slug: slug(f, &u.slug, &u.slug)?,
            kind: UnitKind::parse(&u.kind).map_err(|e| at(f, &u.slug, e))?,
            parent: u.parent.as_deref().map(|p| slug(f, &u.slug, p)).transpose()?,
            phone: u.phone,
            address: u.address,
            texts: named(f, &u.slug, u.name, &u.description)?,
        });
    }

    let categories_file: CategoriesFile = parse_toml("categories.toml", CATEGORIES)?;
    let mut categories = Vec::new();
    for c in categories_file.category {
        let f = "categories.toml";
        categories.push(DemoCategory {
            slug: slug(f, &c.slug, &c.slug)?,
            parent: c.parent.as_deref().map(|p| slug(f, &c.slug, p)).transpose()?,
            position: c.position,
            texts: named(f, &c.slug, c.name, &c.description)?,
        });
    }

    let places_file: PlacesFile = parse_toml("places.toml", PLACES)?;
    let (mut places, mut qr_codes) = (Vec::new(), Vec::new());
    for p in places_file.place {
        let f = "places.toml";
        let place_slug = slug(f, &p.slug, &p.slug)?;
        let location = match (p.latitude, p.longitude) {
            (Some(lat), Some(lon)) => Some(Coordinates::new(lat, lon).map_err(|e| at(f, &p.slug, e))?),
            (None, None) => None,
            _ => return Err(SeedError::Content(format!("{f}: {}: latitude and longitude go together", p.slug))),
        };
        for q in p.qr {
            let code = QrCodeValue::parse(&q.code).map_err(|e| at(f, &p.slug, e))?;
            let (kind, target) = q.target.split_once(':').ok_or_else(|| {
                SeedError::Content(format!("{f}: {}: target `{}` is not KIND:SLUG", p.slug, q.target))
            })?;
            let kind = QrTargetKind::parse(kind).map_err(|e| at(f, &p.slug, e))?;
            qr_codes.push(DemoQrCode { code, place: place_slug.clone(), target: (kind, slug(f, &p.slug, target)?) });
        }
        places.push(DemoPlace {
            slug: place_slug,
            kind: PlaceKind::parse(&p.kind).map_err(|e| at(f, &p.slug, e))?,
            unit: slug(f, &p.slug, &p.unit)?,
            commune: p.commune,
            village: p.village,
            location,
            texts: named(f, &p.slug, p.name, &p.description)?,
        });
    }

    let mut articles = Vec::new();
    for (name, text) in ARTICLES {
        let f = format!("articles/{name}.toml");
        let file: ArticlesFile = parse_toml(&f, text)?;
        for a in file.article {
            let mut translations = Vec::new();
            for (tag, t) in a.translations {
                let locale = Locale::parse(&tag).map_err(|e| at(&f, &a.slug, e))?;
                let tr = ArticleTranslation::new(&t.title, &t.summary, &t.body).map_err(|e| at(&f, &a.slug, e))?;
                translations.push((locale, tr));
            }
            let translations = Translated::new(translations);
            translations.require_default("translations").map_err(|e| at(&f, &a.slug, e))?;
            articles.push(DemoArticle {
                slug: slug(&f, &a.slug, &a.slug)?,
                category: slug(&f, &a.slug, &a.category)?,
                unit: slug(&f, &a.slug, &a.unit)?,
                published_at: a.published_at,
                translations,
            });
        }
    }
    Ok(DemoContent { units, categories, places, qr_codes, articles })
}
