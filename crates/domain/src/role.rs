//! What an account is for. A role applies in the account's home unit and every unit below it
//! (`admin` applies province-wide); the rules are in [`crate::policy`].

use crate::error::ValidationError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Everything, province-wide: units, accounts, API keys, the audit log, all content.
    Admin,
    /// Writes content of the home unit and the units below it; submits it for review.
    Editor,
    /// What an editor does, and also publishes, schedules and unpublishes.
    Reviewer,
    /// Reads scan statistics of the home unit and the units below it.
    Analyst,
}

impl Role {
    pub const ALL: [Role; 4] = [Self::Admin, Self::Editor, Self::Reviewer, Self::Analyst];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Reviewer => "reviewer",
            Self::Analyst => "analyst",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL.into_iter().find(|r| r.as_str() == value).ok_or_else(|| {
            ValidationError::new("role", format!("unknown role `{value}` (admin, editor, reviewer or analyst)"))
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert_eq!(Role::parse("Admin").expect_err("case matters").field, "role");
        assert!(Role::parse("root").is_err());
    }
}
