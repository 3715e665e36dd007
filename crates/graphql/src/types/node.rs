use super::{Article, Category, Image, Place, QrCode, Unit};
use async_graphql::{ID, Interface, Union};

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global id, usable with `node(id:)`."))]
pub enum Node {
    Unit(Unit),
    Category(Category),
    Article(Article),
    Place(Place),
    QrCode(QrCode),
    Image(Image),
}

/// What a QR code opens.
#[derive(Union)]
pub enum QrTarget {
    Article(Article),
    Category(Category),
    Place(Place),
    Unit(Unit),
}
