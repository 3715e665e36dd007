//! Server-rendered reader pages: plain HTML, no JavaScript, a few kilobytes, readable on a small
//! phone. Each page is in the reader's language (`?lang=`, else `Accept-Language`, else `vi`), with a
//! language switch and a notice when the content is not in the language asked for.

mod images;
mod views;

use crate::App;
use crate::locale::page_chain;
use crate::ui::{self, Ui, language_name};

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use frontier_domain::translation::NamedText;
use frontier_domain::{Article, LocaleChain, QrTargetKind, Translated, Unit};
use frontier_graphql::{Links, markdown};
use frontier_store::{ArticleQuery, StoreError};
use views::*;

/// The languages the switch offers: those the interface speaks.
const SWITCH: [&str; 4] = ["vi", "en", "fr", "zh"];

/// The first `lang` of a query string. Read by hand so that a repeated or odd parameter is ignored
/// rather than answered with a 400: a person typed it.
pub(crate) fn lang_param(raw: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(raw?.as_bytes()).find(|(k, _)| k == "lang").map(|(_, v)| v.into_owned())
}

/// Vietnam keeps UTC+7 all year; dates on pages are local dates.
fn local_date(t: DateTime<Utc>, ui: &Ui) -> String {
    let offset = FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    let local = t.with_timezone(&offset);
    match ui.lang {
        "en" | "zh" => local.format("%Y-%m-%d").to_string(),
        _ => local.format("%d/%m/%Y").to_string(),
    }
}

/// Request facts every page needs.
pub struct Reader {
    chain: LocaleChain,
    ui: &'static Ui,
    /// Path prefix of the public base URL, put in front of every link.
    prefix: String,
}

impl Reader {
    pub fn new(app: &App, raw_query: Option<&str>, headers: &HeaderMap) -> Self {
        let chain = page_chain(lang_param(raw_query).as_deref(), headers);
        let ui = ui::for_chain(&chain);
        Self { chain, ui, prefix: app.links.prefix().to_owned() }
    }

    fn href(&self, kind: QrTargetKind, slug: &str) -> String {
        format!("{}{}?lang={}", self.prefix, Links::reader_path(kind, slug), self.ui.lang)
    }

    /// Language links to the same page (`path` without the prefix).
    fn switch(&self, path: &str) -> Vec<SwitchLink> {
        SWITCH
            .into_iter()
            .map(|tag| SwitchLink {
                tag,
                name: language_name(tag),
                href: format!("{}{path}?lang={tag}", self.prefix),
                current: tag == self.ui.lang,
            })
            .collect()
    }

    /// A notice when what is shown is not in the language the reader asked for.
    fn notice(&self, served: &str) -> Option<String> {
        let wanted = self.chain.preferred()?;
        let same = wanted.language() == served.split('-').next().unwrap_or(served);
        (!same).then(|| self.ui.not_translated(wanted.language(), served))
    }

    fn layout(&self, title: String, path: &str, served: Option<&str>) -> Layout {
        Layout {
            ui: self.ui,
            title,
            description: None,
            switch: self.switch(path),
            notice: served.and_then(|s| self.notice(s)),
            contact: None,
            home: format!("{}/?lang={}", self.prefix, self.ui.lang),
        }
    }

    fn named(&self, texts: &Translated<NamedText>) -> (String, Option<String>, String) {
        match texts.localize(&self.chain) {
            Some(l) => (l.text.name.clone(), l.text.description.clone(), l.served.to_string()),
            None => (String::new(), None, self.ui.lang.to_owned()),
        }
    }

    /// A link to a named page (category, place, unit), titled in the reader's language.
    fn link(&self, kind: QrTargetKind, slug: &str, texts: &Translated<NamedText>) -> Item {
        let (title, _, lang) = self.named(texts);
        Item { title, summary: String::new(), href: self.href(kind, slug), lang }
    }

    fn category_links(&self, categories: &[frontier_domain::Category]) -> Vec<Item> {
        categories.iter().map(|c| self.link(QrTargetKind::Category, c.slug.as_str(), &c.texts)).collect()
    }

    fn article_item(&self, a: &Article) -> Option<Item> {
        let l = a.translations.localize(&self.chain)?;
        Some(Item {
            title: l.text.title.clone(),
            summary: l.text.summary.clone(),
            href: self.href(QrTargetKind::Article, a.slug.as_str()),
            lang: l.served.to_string(),
        })
    }

    fn contact(&self, unit: &Unit) -> Contact {
        Contact::new(self.named(&unit.texts).0, unit.hotline(), unit.address.as_deref())
    }
}

fn page(status: StatusCode, body: Result<String, askama::Error>) -> Response {
    match body {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            let h = r.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
            h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
            // The pages need nothing but their own inline styles and same-origin images.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"),
            );
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "page template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "page could not be rendered").into_response()
        }
    }
}

/// A short page with a heading and one sentence (not found, unknown code, …). Its language switch
/// leads to `switch_path`: the same page, or the home page where opening the same URL again would
/// count another scan.
pub fn message(
    reader: &Reader,
    status: StatusCode,
    switch_path: &str,
    pick: impl Fn(&Ui) -> (&'static str, &'static str),
    contact: Option<&Unit>,
) -> Response {
    let (heading, text) = pick(reader.ui);
    let mut layout = reader.layout(heading.to_owned(), switch_path, None);
    layout.contact = contact.map(|u| reader.contact(u));
    let body = MessagePage { layout, heading: heading.to_owned(), text: text.to_owned() }.render();
    let mut r = page(status, body);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn not_found(reader: &Reader, path: &str) -> Response {
    message(reader, StatusCode::NOT_FOUND, path, |ui| (ui.not_found_title, ui.not_found_text), None)
}

/// Store failures on a page: logged, and the reader gets a polite "try again" (503), never a trace.
pub fn unavailable(reader: &Reader, e: StoreError) -> Response {
    tracing::error!(error = %e, "page could not load its content");
    message(reader, StatusCode::SERVICE_UNAVAILABLE, "/", |ui| (ui.error_title, ui.error_text), None)
}

macro_rules! try_page {
    ($e:expr, $reader:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return unavailable(&$reader, e),
        }
    };
}

async fn latest(app: &App, query: ArticleQuery, reader: &Reader) -> Result<Vec<Item>, StoreError> {
    let page = app.store.articles(app.public(), query).await?;
    Ok(page.items.iter().filter_map(|a| reader.article_item(a)).collect())
}

pub async fn home(State(app): State<App>, RawQuery(raw): RawQuery, headers: HeaderMap) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    let roots = try_page!(app.store.root_categories(app.public()).await, reader);
    let links = reader.category_links(&roots);
    let articles = try_page!(latest(&app, ArticleQuery { first: 10, ..Default::default() }, &reader).await, reader);
    let ui = reader.ui;
    let body = SectionPage {
        layout: reader.layout(ui.portal.to_owned(), "/", None),
        served: ui.lang.to_owned(),
        kicker: None,
        heading: ui.portal.to_owned(),
        intro: Some(ui.tagline.to_owned()),
        gallery: Vec::new(),
        groups: vec![Group { title: ui.categories.to_owned(), links }],
        articles_title: ui.latest.to_owned(),
        articles,
    };
    page(StatusCode::OK, body.render())
}

pub async fn article(
    State(app): State<App>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    // A slug that is not even UTF-8 names no page: the same friendly 404 as any unknown slug.
    let Ok(Path(slug)) = slug else { return not_found(&reader, "/") };
    let path = Links::reader_path(QrTargetKind::Article, &slug);
    let Some(a) = try_page!(app.store.article_by_slug(app.public(), slug).await, reader) else {
        return not_found(&reader, &path);
    };
    article_page(&app, &reader, a, &path, false).await
}

/// `GET /preview/{token}`: an article's latest content, published or not, for whoever holds a signed
/// link that has not expired (`createPreviewLink`). Never cached, never indexed.
pub async fn preview(
    State(app): State<App>,
    token: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    let expired =
        |reader: &Reader| message(reader, StatusCode::GONE, "/", |ui| (ui.not_found_title, ui.preview_expired), None);
    let Ok(Path(token)) = token else { return expired(&reader) };
    let Ok(id) = app.sessions.previews.verify(&token, app.clock.now()) else { return expired(&reader) };
    let Some((mut a, content)) = try_page!(app.store.article_for_editing(id).await, reader) else {
        return expired(&reader);
    };
    a.slug = content.slug;
    a.category_id = content.category_id;
    a.unit_id = content.unit_id;
    a.translations = content.translations;
    a.images = content.images;
    let mut r = article_page(&app, &reader, a, &format!("/preview/{token}"), true).await;
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    // The token is in the URL: links out of the page must not carry it in a Referer.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

async fn article_page(app: &App, reader: &Reader, a: Article, path: &str, preview: bool) -> Response {
    let Some(text) = a.translations.localize(&reader.chain) else { return not_found(reader, path) };
    let (cover, gallery) = try_page!(images::article(app, reader, &a.images).await, *reader);
    let category = try_page!(app.store.categories_by_ids(app.public(), vec![a.category_id]).await, *reader).pop();
    let unit = try_page!(app.store.units_by_ids(app.public(), vec![a.unit_id]).await, *reader).pop();
    let related_query = ArticleQuery { category: Some(a.category_id), first: 6, ..Default::default() };
    let mut related = try_page!(latest(app, related_query, reader).await, *reader);
    let own = reader.href(QrTargetKind::Article, a.slug.as_str());
    related.retain(|i| i.href != own);
    related.truncate(5);

    let served = text.served.to_string();
    let mut layout = reader.layout(text.text.title.clone(), path, Some(&served));
    if preview {
        layout.notice = Some(reader.ui.preview_notice.to_owned());
    }
    layout.description = Some(text.text.summary.clone()).filter(|s| !s.is_empty());
    layout.contact = unit.as_ref().map(|u| reader.contact(u));
    let category = match &category {
        Some(c) => reader.link(QrTargetKind::Category, c.slug.as_str(), &c.texts),
        None => Item {
            title: reader.ui.categories.to_owned(),
            summary: String::new(),
            href: "/".into(),
            lang: served.clone(),
        },
    };
    let body = ArticlePage {
        layout,
        served,
        title: text.text.title.clone(),
        summary: text.text.summary.clone(),
        body_html: markdown::to_html(&text.text.body),
        cover,
        gallery,
        published: local_date(a.published_at, reader.ui),
        unit: unit.map(|u| reader.named(&u.texts).0).unwrap_or_default(),
        category,
        related,
    };
    page(StatusCode::OK, body.render())
}

pub async fn category(
    State(app): State<App>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    // A slug that is not even UTF-8 names no page: the same friendly 404 as any unknown slug.
    let Ok(Path(slug)) = slug else { return not_found(&reader, "/") };
    let path = Links::reader_path(QrTargetKind::Category, &slug);
    let Some(c) = try_page!(app.store.category_by_slug(app.public(), slug).await, reader) else {
        return not_found(&reader, &path);
    };
    let kids = try_page!(app.store.categories_by_parents(app.public(), vec![c.id]).await, reader);
    let query = ArticleQuery { category: Some(c.id), first: 20, ..Default::default() };
    let articles = try_page!(latest(&app, query, &reader).await, reader);
    let (name, description, served) = reader.named(&c.texts);
    let mut groups = Vec::new();
    if !kids.is_empty() {
        let links = reader.category_links(&kids);
        groups.push(Group { title: reader.ui.subcategories.to_owned(), links });
    }
    let body = SectionPage {
        layout: reader.layout(name.clone(), &path, Some(&served)),
        served,
        kicker: Some(reader.ui.categories.to_owned()),
        heading: name,
        intro: description,
        gallery: Vec::new(),
        groups,
        articles_title: reader.ui.latest.to_owned(),
        articles,
    };
    page(StatusCode::OK, body.render())
}

pub async fn place(
    State(app): State<App>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    // A slug that is not even UTF-8 names no page: the same friendly 404 as any unknown slug.
    let Ok(Path(slug)) = slug else { return not_found(&reader, "/") };
    let path = Links::reader_path(QrTargetKind::Place, &slug);
    let Some(p) = try_page!(app.store.place_by_slug(app.public(), slug).await, reader) else {
        return not_found(&reader, &path);
    };
    let unit = try_page!(app.store.units_by_ids(app.public(), vec![p.unit_id]).await, reader).pop();
    let photos = try_page!(app.store.place_galleries(vec![p.id]).await, reader);
    let gallery = photos.iter().map(|(_, m)| images::picture(&reader, m, true)).collect();
    // A station often has no hotline of its own: the nearest unit above it with one answers.
    let units = try_page!(app.store.units_any().await, reader);
    let contact_unit = unit.as_ref().and_then(|u| frontier_domain::answering_unit(&units, u.id)).cloned();
    let roots = try_page!(app.store.root_categories(app.public()).await, reader);
    let articles = try_page!(latest(&app, ArticleQuery { first: 8, ..Default::default() }, &reader).await, reader);
    let (name, description, served) = reader.named(&p.texts);
    let mut kicker = reader.ui.place_kind(p.kind).to_owned();
    for part in [p.village.as_deref(), p.commune.as_deref()].into_iter().flatten() {
        kicker.push_str(" · ");
        kicker.push_str(part);
    }
    let links = reader.category_links(&roots);
    let mut layout = reader.layout(name.clone(), &path, Some(&served));
    layout.contact = contact_unit.as_ref().map(|u| reader.contact(u));
    let body = SectionPage {
        layout,
        served,
        kicker: Some(kicker),
        heading: name,
        intro: description,
        gallery,
        groups: vec![Group { title: reader.ui.categories.to_owned(), links }],
        articles_title: reader.ui.latest.to_owned(),
        articles,
    };
    page(StatusCode::OK, body.render())
}

pub async fn unit(
    State(app): State<App>,
    slug: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let reader = Reader::new(&app, raw.as_deref(), &headers);
    // A slug that is not even UTF-8 names no page: the same friendly 404 as any unknown slug.
    let Ok(Path(slug)) = slug else { return not_found(&reader, "/") };
    let path = Links::reader_path(QrTargetKind::Unit, &slug);
    let Some(u) = try_page!(app.store.unit_by_slug(app.public(), slug).await, reader) else {
        return not_found(&reader, &path);
    };
    let parent = match u.parent_id {
        Some(p) => try_page!(app.store.units_by_ids(app.public(), vec![p]).await, reader).pop(),
        None => None,
    };
    let kids = try_page!(app.store.units_by_parents(app.public(), vec![u.id]).await, reader);
    let query = ArticleQuery { unit: Some(u.id), first: 10, ..Default::default() };
    let articles = try_page!(latest(&app, query, &reader).await, reader);
    let (name, description, served) = reader.named(&u.texts);
    let mut groups = Vec::new();
    if !kids.is_empty() {
        let links = kids.iter().map(|u| reader.link(QrTargetKind::Unit, u.slug.as_str(), &u.texts)).collect();
        groups.push(Group { title: reader.ui.units_below.to_owned(), links });
    }
    let mut layout = reader.layout(name.clone(), &path, Some(&served));
    layout.contact = Some(reader.contact(&u));
    let body = SectionPage {
        layout,
        served,
        kicker: parent.map(|p| reader.named(&p.texts).0),
        heading: name,
        intro: description,
        gallery: Vec::new(),
        groups,
        articles_title: reader.ui.latest.to_owned(),
        articles,
    };
    page(StatusCode::OK, body.render())
}

/// Fallback for every unknown path.
pub async fn fallback(State(app): State<App>, uri: Uri, headers: HeaderMap) -> Response {
    let reader = Reader::new(&app, uri.query(), &headers);
    not_found(&reader, switchable_path(uri.path()))
}

/// The path an unknown page's language switch may link back to. Anything a browser could read as
/// another site (`//host/…`, `/\host`) or that is merely long junk leads home instead.
fn switchable_path(path: &str) -> &str {
    let plain = path.len() <= 200
        && path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%".contains(&b));
    if plain { path } else { "/" }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_paths_are_linked_back() {
        assert_eq!(super::switchable_path("/c/khong-co"), "/c/khong-co");
        for bad in ["//evil.example/phish", "/\\evil.example/x", "/a b", "evil", "/\"><script>"] {
            assert_eq!(super::switchable_path(bad), "/", "{bad}");
        }
        assert_eq!(super::switchable_path(&format!("/{}", "a".repeat(300))), "/");
    }
}
