//! Accounts of officers who write, review and analyse. Passwords never enter this crate: hashing is
//! the auth crate's job, storage the store's.

use crate::error::ValidationError;
use crate::id::{UnitId, UserId};
use crate::role::Role;
use crate::translation::required_text;
use chrono::{DateTime, Utc};
use std::fmt;

pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_DISPLAY_NAME_CHARS: usize = 120;

/// An e-mail address used as login name, kept in lower case so `An@Bp.vn` and `an@bp.vn` are one
/// account. Checked for shape only: `local@domain.tld`, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let value = input.trim().to_lowercase();
        let err = |msg: &str| Err(ValidationError::new("email", msg.to_owned()));
        if value.is_empty() || value.chars().count() > MAX_EMAIL_CHARS {
            return err("must be an e-mail address of at most 254 characters");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return err("must contain @");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.contains('@') || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err("is not an e-mail address");
        }
        if !domain_ok {
            return err("has no valid domain");
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn display_name(input: &str) -> Result<String, ValidationError> {
    required_text("displayName", input, MAX_DISPLAY_NAME_CHARS)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub unit_id: UnitId,
    /// A disabled account cannot log in and its tokens stop working.
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(Email::parse("  Trung.Uy@BienPhong.vn ").expect("ok").as_str(), "trung.uy@bienphong.vn");
        for bad in ["", "no-at", "a@b", "@bp.vn", "a@.vn", "a@bp..vn", "a b@bp.vn", "a@bp.vn.", "a@b@bp.vn"] {
            assert_eq!(Email::parse(bad).map_err(|e| e.field), Err("email"), "{bad:?}");
        }
    }

    #[test]
    fn display_names_are_required() {
        assert_eq!(display_name(" Thiếu uý Nông Văn Dũng ").expect("ok"), "Thiếu uý Nông Văn Dũng");
        assert_eq!(display_name(" ").expect_err("blank").field, "displayName");
    }
}
