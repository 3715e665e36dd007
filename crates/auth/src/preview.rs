//! Signed preview links: a draft shown to a commander who has no account. The link carries the
//! article id and an expiry, signed with HS256 under an audience of its own, so it can never pass for
//! an access token (nor the other way round).

use crate::error::AuthError;
use crate::secret::SigningSecret;
use chrono::{DateTime, Utc};
use frontier_domain::ArticleId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const AUDIENCE: &str = "frontier-preview";
const MAX_LEN: usize = 1024;

#[derive(Serialize, Deserialize)]
struct PreviewClaims {
    iss: String,
    aud: String,
    /// The article id.
    sub: String,
    exp: i64,
    iat: i64,
}

pub struct PreviewSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
}

impl PreviewSigner {
    pub fn new(secret: &SigningSecret, issuer: impl Into<String>) -> Result<Self, AuthError> {
        let key_error = |e: jsonwebtoken::errors::Error| AuthError::Config(format!("preview signing key: {e}"));
        let issuer = issuer.into();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[AUDIENCE]);
        // Expiry is checked against the caller's clock below.
        validation.validate_exp = false;
        validation.leeway = 0;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            decoding: DecodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            validation,
            issuer,
        })
    }

    pub fn sign(&self, article: ArticleId, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<String, AuthError> {
        let claims = PreviewClaims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: article.to_string(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(format!("preview link encoding: {e}")))
    }

    /// The article a link shows, if the link is ours, untampered and not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<ArticleId, AuthError> {
        if token.len() > MAX_LEN {
            return Err(AuthError::Unauthenticated);
        }
        let data = jsonwebtoken::decode::<PreviewClaims>(token, &self.decoding, &self.validation).map_err(|e| {
            tracing::debug!(reason = %e, "preview link refused");
            AuthError::Unauthenticated
        })?;
        if now.timestamp() >= data.claims.exp {
            return Err(AuthError::Unauthenticated);
        }
        data.claims.sub.parse().map_err(|_| AuthError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::TokenIssuer;
    use chrono::{Duration, TimeZone};

    fn secret(s: &[u8]) -> SigningSecret {
        SigningSecret::from_bytes(s.to_vec()).expect("long enough")
    }

    #[test]
    fn links_open_their_article_until_they_expire() {
        let key = secret(b"0123456789abcdef0123456789abcdef-preview");
        let signer = PreviewSigner::new(&key, "frontier").expect("signer");
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time");
        let id = ArticleId::generate();
        let link = signer.sign(id, now, now + Duration::hours(24)).expect("sign");
        assert_eq!(signer.verify(&link, now + Duration::hours(23)).ok(), Some(id));
        assert!(signer.verify(&link, now + Duration::hours(24)).is_err(), "expired at the hour");

        let other = PreviewSigner::new(&secret(b"another-secret-that-is-32-bytes-long!!"), "frontier").expect("other");
        assert!(other.verify(&link, now).is_err(), "another key");
        let mut tampered = link.clone();
        tampered.insert(link.len() - 3, 'A');
        assert!(signer.verify(&tampered, now).is_err(), "tampered");
        assert!(signer.verify("", now).is_err());
    }

    #[test]
    fn an_access_token_is_no_preview_link_and_back() {
        let key = secret(b"0123456789abcdef0123456789abcdef-preview");
        let signer = PreviewSigner::new(&key, "frontier").expect("signer");
        let issuer = TokenIssuer::new(&key, "frontier", "frontier-api").expect("issuer");
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time");
        let (access, _) = issuer
            .issue(
                frontier_domain::UserId::generate(),
                frontier_domain::Role::Admin,
                frontier_domain::UnitId::generate(),
                now,
            )
            .expect("issue");
        assert!(signer.verify(&access, now).is_err());
        let link = signer.sign(ArticleId::generate(), now, now + Duration::hours(1)).expect("sign");
        assert!(issuer.verify(&link, now).is_err());
    }
}
