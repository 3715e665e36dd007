//! What the templates receive. Everything here is already in the reader's language.

use crate::ui::Ui;
use askama::Template;

pub struct SwitchLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    /// The phone number as a `tel:` URI wants it (digits and `+` only).
    pub tel: String,
    pub address: Option<String>,
}

impl Contact {
    /// The contact line of a unit named `name`: a blank phone or address is none (a page would
    /// otherwise offer "call" with an empty number).
    pub fn new(name: String, hotline: Option<&str>, address: Option<&str>) -> Self {
        let given = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        let phone = given(hotline);
        let tel = phone.as_deref().unwrap_or("").chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        Self { name, phone, tel, address: given(address) }
    }
}

pub struct Layout {
    pub ui: &'static Ui,
    pub title: String,
    pub description: Option<String>,
    pub switch: Vec<SwitchLink>,
    pub notice: Option<String>,
    pub contact: Option<Contact>,
    /// The home page link, in the reader's language.
    pub home: String,
}

/// A link to a page, with the language its title is in.
pub struct Item {
    pub title: String,
    pub summary: String,
    pub href: String,
    pub lang: String,
}

/// An image as the page shows it (see `images.rs`).
pub struct Picture {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: Option<String>,
    /// The language of `alt` and `caption`.
    pub lang: String,
    /// Below the fold: the browser may wait until it is scrolled near.
    pub lazy: bool,
}

pub struct Group {
    pub title: String,
    pub links: Vec<Item>,
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub layout: Layout,
    pub served: String,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub cover: Option<Picture>,
    pub gallery: Vec<Picture>,
    pub published: String,
    pub unit: String,
    pub category: Item,
    pub related: Vec<Item>,
}

/// Home, category, place and unit pages: a heading, some link groups and a list of articles.
#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionPage {
    pub layout: Layout,
    pub served: String,
    pub kicker: Option<String>,
    pub heading: String,
    pub intro: Option<String>,
    /// A place's photo gallery (empty on other pages).
    pub gallery: Vec<Picture>,
    pub groups: Vec<Group>,
    pub articles_title: String,
    pub articles: Vec<Item>,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::Contact;

    #[test]
    fn a_contact_line_offers_only_a_real_number() {
        let c = Contact::new("Đồn Biên phòng Bắc Xa".into(), Some(" +84 205 3 885 109 "), Some("  "));
        assert_eq!(c.phone.as_deref(), Some("+84 205 3 885 109"));
        assert_eq!(c.tel, "+842053885109");
        assert_eq!(c.address, None);
        let blank = Contact::new("Trạm".into(), Some("   "), Some(" Xã Bắc Xa "));
        assert_eq!((blank.phone, blank.tel.as_str()), (None, ""));
        assert_eq!(blank.address.as_deref(), Some("Xã Bắc Xa"));
    }
}
