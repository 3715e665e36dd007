//! Signed links. Preview links show a draft to a commander who has no account: the link carries the
//! article id and an expiry. Signed URLs let a page embed what needs credentials (`<img src>` cannot
//! send an `Authorization` header): the signature covers the account, the path and query, and an
//! expiry. Both are HS256 under an audience of their own, so neither can pass for an access token, for
//! the other, or the other way round.

use crate::error::AuthError;
use crate::secret::SigningSecret;
use chrono::{DateTime, Utc};
use frontier_domain::{ArticleId, UserId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const AUDIENCE: &str = "frontier-preview";
const URL_AUDIENCE: &str = "frontier-signed-url";
const MAX_LEN: usize = 1024;
/// A signed URL names its whole path and query; those are bounded by the server's routes.
const MAX_URL_LEN: usize = 4096;

#[derive(Serialize, Deserialize)]
struct PreviewClaims {
    iss: String,
    aud: String,
    /// The article id.
    sub: String,
    exp: i64,
    iat: i64,
}

#[derive(Serialize, Deserialize)]
struct UrlClaims {
    iss: String,
    aud: String,
    /// The account whose rights the URL carries.
    sub: String,
    /// Path and query as the server sees them, without the signature's own parameter.
    url: String,
    exp: i64,
    iat: i64,
}

trait Expiring {
    fn exp(&self) -> i64;
}

impl Expiring for PreviewClaims {
    fn exp(&self) -> i64 {
        self.exp
    }
}

impl Expiring for UrlClaims {
    fn exp(&self) -> i64 {
        self.exp
    }
}

pub struct PreviewSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    url_validation: Validation,
    issuer: String,
}

fn validation(issuer: &str, audience: &str) -> Validation {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    // Expiry is checked against the caller's clock (`PreviewSigner::decode`).
    validation.validate_exp = false;
    validation.leeway = 0;
    validation
}

impl PreviewSigner {
    pub fn new(secret: &SigningSecret, issuer: impl Into<String>) -> Result<Self, AuthError> {
        let key_error = |e: jsonwebtoken::errors::Error| AuthError::Config(format!("preview signing key: {e}"));
        let issuer = issuer.into();
        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            decoding: DecodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            validation: validation(&issuer, AUDIENCE),
            url_validation: validation(&issuer, URL_AUDIENCE),
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
        let claims: PreviewClaims = self.decode(token, &self.validation, now)?;
        claims.sub.parse().map_err(|_| AuthError::Unauthenticated)
    }

    /// A signature for `url` (path and query, e.g. `/stats/x/scans.svg?from=2026-11-01`) that
    /// lets its bearer open it with `user`'s rights until `expires`.
    pub fn sign_url(
        &self,
        user: UserId,
        url: &str,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<String, AuthError> {
        let claims = UrlClaims {
            iss: self.issuer.clone(),
            aud: URL_AUDIENCE.to_owned(),
            sub: user.to_string(),
            url: url.to_owned(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(format!("signed URL encoding: {e}")))
    }

    /// The account a signature for `url` speaks for, if it is ours, signed for exactly this path and
    /// query, and not expired at `now`.
    pub fn verify_url(&self, token: &str, url: &str, now: DateTime<Utc>) -> Result<UserId, AuthError> {
        if token.len() > MAX_URL_LEN {
            return Err(AuthError::Unauthenticated);
        }
        let claims: UrlClaims = self.decode(token, &self.url_validation, now)?;
        if claims.url != url {
            return Err(AuthError::Unauthenticated);
        }
        claims.sub.parse().map_err(|_| AuthError::Unauthenticated)
    }

    fn decode<C: DeserializeOwned + Expiring>(
        &self,
        token: &str,
        validation: &Validation,
        now: DateTime<Utc>,
    ) -> Result<C, AuthError> {
        let data = jsonwebtoken::decode::<C>(token, &self.decoding, validation).map_err(|e| {
            tracing::debug!(reason = %e, "signed link refused");
            AuthError::Unauthenticated
        })?;
        if now.timestamp() >= data.claims.exp() {
            return Err(AuthError::Unauthenticated);
        }
        Ok(data.claims)
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

    #[test]
    fn signed_urls_open_exactly_their_url_until_they_expire() {
        let key = secret(b"0123456789abcdef0123456789abcdef-preview");
        let signer = PreviewSigner::new(&key, "frontier").expect("signer");
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time");
        let user = UserId::generate();
        let url = "/stats/don-bien-phong-bac-xa/scans.svg?from=2026-11-04&to=2026-12-03";
        let sig = signer.sign_url(user, url, now, now + Duration::minutes(15)).expect("sign");
        assert_eq!(signer.verify_url(&sig, url, now + Duration::minutes(14)).ok(), Some(user));
        assert!(signer.verify_url(&sig, url, now + Duration::minutes(15)).is_err(), "expired");
        let other = url.replace("2026-11-04", "2025-11-04");
        assert!(signer.verify_url(&sig, &other, now).is_err(), "another period");
        assert!(signer.verify_url(&sig, "/stats/don-bien-phong-bac-xa/places.svg", now).is_err(), "another path");
        // Neither kind of link passes for the other.
        assert!(signer.verify(&sig, now).is_err());
        let preview = signer.sign(ArticleId::generate(), now, now + Duration::hours(1)).expect("preview");
        assert!(signer.verify_url(&preview, url, now).is_err());
    }
}
