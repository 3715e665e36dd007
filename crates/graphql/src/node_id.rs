//! Global object ids for `node(id)`: opaque to clients, `base64url("Article:<uuid>")` inside.

use crate::error::{ApiResult, bad_input};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Unit,
    Category,
    Article,
    Place,
    QrCode,
    Image,
}

impl NodeKind {
    const ALL: [NodeKind; 6] = [Self::Unit, Self::Category, Self::Article, Self::Place, Self::QrCode, Self::Image];

    pub fn name(self) -> &'static str {
        match self {
            Self::Unit => "Unit",
            Self::Category => "Category",
            Self::Article => "Article",
            Self::Place => "Place",
            Self::QrCode => "QrCode",
            Self::Image => "Image",
        }
    }
}

impl NodeKind {
    /// What the thing is called in a sentence ("QR code", "article"), not its GraphQL type name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::Category => "category",
            Self::Article => "article",
            Self::Place => "place",
            Self::QrCode => "QR code",
            Self::Image => "image",
        }
    }

    /// The type's name with its indefinite article, for messages about ids ("an Article", "a Unit").
    pub fn with_article(self) -> String {
        format!("{} {}", self.article(), self.name())
    }

    /// The label with its indefinite article, for messages about things ("an article", "a QR code").
    pub fn label_with_article(self) -> String {
        format!("{} {}", self.article(), self.label())
    }

    fn article(self) -> &'static str {
        if matches!(self, Self::Article | Self::Image) { "an" } else { "a" }
    }
}

pub fn encode(kind: NodeKind, id: impl std::fmt::Display) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

pub fn decode(id: &str) -> ApiResult<(NodeKind, Uuid)> {
    let bad = || bad_input("id", "not a Frontier node id");
    let bytes = URL_SAFE_NO_PAD.decode(id.trim().trim_end_matches('=')).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (name, uuid) = text.split_once(':').ok_or_else(bad)?;
    let kind = NodeKind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(bad)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| bad())?;
    Ok((kind, uuid))
}

/// Decodes an id argument that must name a `kind`; `field` names the argument in the error.
pub fn decode_as(field: &str, id: &str, kind: NodeKind) -> ApiResult<Uuid> {
    match decode(id) {
        Ok((k, uuid)) if k == kind => Ok(uuid),
        Ok((found, _)) => {
            Err(bad_input(field, format!("the id of {}, not of {}", found.with_article(), kind.with_article())))
        }
        Err(_) => Err(bad_input(field, "not a Frontier node id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_junk() {
        let u = Uuid::now_v7();
        let id = encode(NodeKind::Place, u);
        assert_eq!(decode(&id).expect("decodes"), (NodeKind::Place, u));
        assert!(!id.contains(&u.to_string()), "opaque");
        for junk in [
            "",
            "!!",
            "QXJ0aWNsZQ",
            &URL_SAFE_NO_PAD.encode(format!("Video:{u}")),
            &URL_SAFE_NO_PAD.encode("Article:nope"),
        ] {
            assert!(decode(junk).is_err(), "{junk}");
        }
        let wrong = decode_as("articleId", &id, NodeKind::Article).expect_err("a place's id");
        assert_eq!(wrong.message, "articleId: the id of a Place, not of an Article");
    }
}
