//! Access tokens: short-lived HS256 JWTs that say who the caller is, their role and their home unit.
//!
//! Verification trusts nothing in the token before its signature is checked with the one algorithm we
//! sign with (the header's `alg` is never believed: no `none`, no RS256 with our secret as a "public key",
//! no HS512). Time is judged against the `now` the caller passes, never the system clock, so tests and
//! callers decide what "now" is; jsonwebtoken's own time checks are therefore switched off and done here.

use crate::error::AuthError;
use crate::random;
use crate::secret::SigningSecret;
use chrono::{DateTime, Duration, Utc};
use frontier_domain::{Role, UnitId, UserId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// How long an access token lasts unless [`TokenIssuer::with_lifetime`] says otherwise.
pub const DEFAULT_LIFETIME: Duration = Duration::minutes(15);
/// Clock difference tolerated between the issuing and the verifying machine (jsonwebtoken's default is 60 s,
/// which would stretch a 15-minute token by a fifteenth).
pub const DEFAULT_LEEWAY_SECS: u32 = 5;
/// Longer input is refused before it is parsed. Our tokens are about 400 bytes.
const MAX_TOKEN_LEN: usize = 4096;
const ALGORITHM: Algorithm = Algorithm::HS256;

/// The claims as they travel in the token: RFC 7519 names, ids and role as strings, times in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The [`UserId`].
    pub sub: String,
    /// The [`Role`] name.
    pub role: String,
    /// The home [`UnitId`].
    pub unit: String,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    /// A random id for this token, for audit logs and a future deny list.
    pub jti: String,
}

/// What a verified token says, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub user: UserId,
    pub role: Role,
    pub unit: UnitId,
    pub issued_at: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub token_id: String,
}

/// Issues and verifies access tokens for one issuer and audience with one key.
#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    lifetime: Duration,
    leeway_secs: u32,
}

impl TokenIssuer {
    pub fn new(
        secret: &SigningSecret,
        issuer: impl Into<String>,
        audience: impl Into<String>,
    ) -> Result<Self, AuthError> {
        // jsonwebtoken panics on first use when the build enabled no crypto backend or both: say so here.
        if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
            return Err(AuthError::Config("jsonwebtoken has no single crypto backend in this build".into()));
        }
        let key_error = |e: jsonwebtoken::errors::Error| AuthError::Config(format!("JWT signing key: {e}"));
        let (issuer, audience) = (issuer.into(), audience.into());

        let mut validation = Validation::new(ALGORITHM);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[&audience]);
        // Checked in `check` against the caller's clock instead of the system's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;

        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            decoding: DecodingKey::from_secret(secret.as_bytes()).map_err(key_error)?,
            validation,
            issuer,
            audience,
            lifetime: DEFAULT_LIFETIME,
            leeway_secs: DEFAULT_LEEWAY_SECS,
        })
    }

    /// Tokens issued from now on last `lifetime` (whole seconds; at least one).
    pub fn with_lifetime(mut self, lifetime: Duration) -> Result<Self, AuthError> {
        if lifetime.num_seconds() < 1 {
            return Err(AuthError::Config(format!("access token lifetime must be at least 1 s, not {lifetime}")));
        }
        self.lifetime = lifetime;
        Ok(self)
    }

    pub fn with_leeway_secs(mut self, leeway_secs: u32) -> Self {
        self.leeway_secs = leeway_secs;
        self
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A signed token for `user` and when it expires. Times are whole seconds, as JWT has them.
    pub fn issue(
        &self,
        user: UserId,
        role: Role,
        unit: UnitId,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let iat = now.timestamp();
        let exp = iat.saturating_add(self.lifetime.num_seconds());
        let expires = DateTime::from_timestamp(exp, 0)
            .ok_or_else(|| AuthError::Internal(format!("expiry {exp} out of range")))?;
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user.to_string(),
            role: role.as_str().to_owned(),
            unit: unit.to_string(),
            exp,
            iat,
            nbf: iat,
            jti: random::base64url::<16>()?,
        };
        let token = jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)
            .map_err(|e| AuthError::Internal(format!("JWT encoding: {e}")))?;
        Ok((token, expires))
    }

    /// The claims of `token` if it is ours, untampered, for our audience and valid at `now`. Every failure
    /// is the same [`AuthError::Unauthenticated`]; the reason goes to a debug log line only.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, AuthError> {
        self.check(token, now).map_err(|reason| {
            tracing::debug!(%reason, "access token refused");
            AuthError::Unauthenticated
        })
    }

    fn check(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, String> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(format!("{} bytes long", token.len()));
        }
        // Checks the signature with HS256 only, then iss, aud and the presence of sub, exp and nbf. It also
        // refuses a `crit` header naming anything but `b64`.
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| e.to_string())?;
        let c = data.claims;

        let (now, leeway) = (now.timestamp(), i64::from(self.leeway_secs));
        if now >= c.exp.saturating_add(leeway) {
            return Err(format!("expired at {}", c.exp));
        }
        if now < c.nbf.saturating_sub(leeway) {
            return Err(format!("not valid before {}", c.nbf));
        }
        if now < c.iat.saturating_sub(leeway) {
            return Err(format!("issued in the future at {}", c.iat));
        }

        let time = |t: i64| DateTime::from_timestamp(t, 0).ok_or_else(|| format!("time {t} out of range"));
        Ok(AccessClaims {
            user: c.sub.parse().map_err(|_| "sub is not a user id".to_owned())?,
            role: Role::parse(&c.role).map_err(|e| e.to_string())?,
            unit: c.unit.parse().map_err(|_| "unit is not a unit id".to_owned())?,
            issued_at: time(c.iat)?,
            expires: time(c.exp)?,
            token_id: c.jti,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use jsonwebtoken::encode;
    use serde_json::json;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test-secret";
    const ISS: &str = "frontier";
    const AUD: &str = "frontier-api";

    fn issuer() -> TokenIssuer {
        let secret = SigningSecret::from_bytes(SECRET.to_vec()).expect("test secret is long enough");
        TokenIssuer::new(&secret, ISS, AUD).expect("issuer")
    }

    /// 2026-03-01T08:00:00Z: 56 years of 365 days plus 14 leap days (1972..=2024) to 2026-01-01,
    /// then 59 days of January and February, then 8 hours.
    fn t0() -> DateTime<Utc> {
        let secs = (56 * 365 + 14 + 59) * 86_400 + 8 * 3600;
        assert_eq!(secs, 1_772_352_000);
        DateTime::from_timestamp(secs, 0).expect("in range")
    }

    fn ids() -> (UserId, UnitId) {
        (
            "0190f3a0-0000-7000-8000-000000000001".parse().expect("uuid"),
            "0190f3a0-0000-7000-8000-0000000000aa".parse().expect("uuid"),
        )
    }

    /// Claims as the issuer would write them at `t0`, for forging variants of.
    fn good_claims() -> serde_json::Value {
        let (user, unit) = ids();
        let iat = 1_772_352_000_i64;
        json!({"iss": ISS, "aud": AUD, "sub": user.to_string(), "role": "editor", "unit": unit.to_string(),
               "exp": iat + 900, "iat": iat, "nbf": iat, "jti": "test-jti"})
    }

    fn sign(alg: Algorithm, key: &[u8], claims: &serde_json::Value) -> String {
        encode(&Header::new(alg), claims, &EncodingKey::from_secret(key).expect("key")).expect("encode")
    }

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn an_issuer_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<TokenIssuer>();
    }

    #[test]
    fn an_issued_token_verifies_to_its_claims() {
        let (user, unit) = ids();
        let (token, expires) = issuer().issue(user, Role::Reviewer, unit, t0()).expect("issue");
        assert_eq!(expires, t0() + Duration::minutes(15));
        let claims = issuer().verify(&token, t0()).expect("accepted");
        assert_eq!((claims.user, claims.role, claims.unit), (user, Role::Reviewer, unit));
        assert_eq!((claims.issued_at, claims.expires), (t0(), expires));
        assert_eq!(claims.token_id.len(), 22, "16 random bytes in base64url");
        assert_eq!(token.matches('.').count(), 2);
    }

    #[test]
    fn the_header_and_payload_are_what_we_documented() {
        let (user, unit) = ids();
        let (token, _) = issuer().issue(user, Role::Admin, unit, t0()).expect("issue");
        let part = |i: usize| -> serde_json::Value {
            let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.split('.').nth(i).expect("part"));
            serde_json::from_slice(&raw.expect("base64url")).expect("json")
        };
        assert_eq!(part(0), json!({"alg": "HS256", "typ": "JWT"}));
        let mut payload = part(1);
        assert_eq!(payload["jti"].as_str().map(str::len), Some(22));
        payload["jti"] = json!("test-jti");
        let mut expected = good_claims();
        expected["role"] = json!("admin");
        assert_eq!(payload, expected);
    }

    #[test]
    fn the_clock_passed_in_decides_not_the_system_clock() {
        let (user, unit) = ids();
        let long_ago = DateTime::from_timestamp(978_307_200, 0).expect("2001-01-01");
        let (token, _) = issuer().issue(user, Role::Analyst, unit, long_ago).expect("issue");
        assert!(issuer().verify(&token, long_ago).is_ok(), "expired by the system clock, valid at the given now");
        let (token, _) = issuer().issue(user, Role::Analyst, unit, Utc::now()).expect("issue");
        assert_eq!(issuer().verify(&token, Utc::now() + Duration::days(1)), Err(AuthError::Unauthenticated));
    }

    #[test]
    fn expiry_and_not_before_allow_exactly_the_leeway() {
        let (user, unit) = ids();
        let (token, _) = issuer().issue(user, Role::Editor, unit, t0()).expect("issue");
        let at = |secs: i64| issuer().verify(&token, t0() + Duration::seconds(secs)).is_ok();
        // exp = t0 + 900 and leeway 5: valid while now < t0 + 905; nbf = t0: valid from t0 - 5.
        assert!(at(904) && !at(905) && !at(100_000));
        assert!(at(-5) && !at(-6));

        let strict = issuer().with_leeway_secs(0);
        assert!(strict.verify(&token, t0() + Duration::seconds(899)).is_ok());
        assert!(strict.verify(&token, t0() + Duration::seconds(900)).is_err());
        assert!(strict.verify(&token, t0() - Duration::seconds(1)).is_err());
    }

    #[test]
    fn a_custom_lifetime_is_used_and_nonsense_refused() {
        let (user, unit) = ids();
        let short = issuer().with_lifetime(Duration::seconds(60)).expect("60 s is fine");
        let (token, expires) = short.issue(user, Role::Editor, unit, t0()).expect("issue");
        assert_eq!(expires.timestamp(), 1_772_352_060);
        assert!(short.verify(&token, t0() + Duration::seconds(64)).is_ok());
        assert!(short.verify(&token, t0() + Duration::seconds(65)).is_err());
        assert!(matches!(issuer().with_lifetime(Duration::zero()), Err(AuthError::Config(_))));
        assert!(matches!(issuer().with_lifetime(Duration::milliseconds(999)), Err(AuthError::Config(_))));
    }

    #[test]
    fn every_forged_or_broken_token_gets_the_same_opaque_error() {
        let good = sign(Algorithm::HS256, SECRET, &good_claims());
        assert!(issuer().verify(&good, t0()).is_ok(), "the baseline forgery material must itself be valid");

        let with = |key: &str, value: serde_json::Value| {
            let mut c = good_claims();
            c[key] = value;
            sign(Algorithm::HS256, SECRET, &c)
        };
        let without = |key: &str| {
            let mut c = good_claims();
            c.as_object_mut().expect("object").remove(key);
            sign(Algorithm::HS256, SECRET, &c)
        };
        let payload = serde_json::to_vec(&good_claims()).expect("json");
        let alg_none = format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), b64(&payload));
        // The header says HS256 but the signature part is missing.
        let unsigned = format!("{}.{}.", b64(br#"{"alg":"HS256","typ":"JWT"}"#), b64(&payload));
        let tampered = {
            let mut admin = good_claims();
            admin["role"] = json!("admin");
            let parts: Vec<&str> = good.split('.').collect();
            format!("{}.{}.{}", parts[0], b64(&serde_json::to_vec(&admin).expect("json")), parts[2])
        };
        let crit = {
            let header = b64(br#"{"alg":"HS256","typ":"JWT","crit":["exp"]}"#);
            let message = format!("{header}.{}", b64(&payload));
            let key = EncodingKey::from_secret(SECRET).expect("key");
            format!(
                "{message}.{}",
                jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).expect("sign")
            )
        };
        let past = 1_772_352_000_i64 - 3600;

        let cases: Vec<(&str, String)> = vec![
            ("alg none", alg_none),
            ("empty signature", unsigned),
            ("another secret", sign(Algorithm::HS256, b"another-secret-another-secret-another", &good_claims())),
            ("HS512 with our secret", sign(Algorithm::HS512, SECRET, &good_claims())),
            ("HS384 with our secret", sign(Algorithm::HS384, SECRET, &good_claims())),
            ("tampered payload", tampered),
            ("wrong signature bytes", format!("{}.{}", &good[..good.rfind('.').expect("dot")], "AAAA")),
            ("wrong issuer", with("iss", json!("someone-else"))),
            ("wrong audience", with("aud", json!("another-api"))),
            ("audience list", with("aud", json!([AUD, "another-api"]))),
            ("expired", with("exp", json!(past))),
            ("not yet valid", with("nbf", json!(1_772_352_000_i64 + 3600))),
            ("issued in the future", with("iat", json!(1_772_352_000_i64 + 3600))),
            ("missing sub", without("sub")),
            ("missing exp", without("exp")),
            ("missing nbf", without("nbf")),
            ("missing iss", without("iss")),
            ("missing aud", without("aud")),
            ("missing role", without("role")),
            ("sub not a uuid", with("sub", json!("alice"))),
            ("garbage role", with("role", json!("root"))),
            ("role in capitals", with("role", json!("Admin"))),
            ("unit not a uuid", with("unit", json!("hq"))),
            ("unit a number", with("unit", json!(42))),
            ("exp as a string", with("exp", json!("soon"))),
            ("critical extension", crit),
            ("empty string", String::new()),
            ("junk", "not a token".into()),
            ("three junk parts", "abc.def.ghi".into()),
            ("too long", format!("{good}{}", "A".repeat(5000))),
        ];
        for (what, token) in cases {
            let result = issuer().verify(&token, t0());
            assert_eq!(result, Err(AuthError::Unauthenticated), "{what} must be refused");
        }
        assert_eq!(AuthError::Unauthenticated.to_string(), "authentication failed");
    }
}
