//! Who may do what where. This is the only place the rule lives: resolvers ask [`permits`] and
//! never compare roles themselves.
//!
//! A role applies in the actor's home unit and in every unit below it (the chain of command runs
//! down, never up or sideways); `admin` applies province-wide. API keys and the anonymous public only
//! read published content.

use crate::id::UnitId;
use crate::role::Role;
use crate::tree::subtree;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// No credentials: a phone that scanned a code, a crawler, a frontend without a key.
    Public,
    /// A third-party frontend or app, limited to the content of these units (and those below them).
    ApiKey { units: Vec<UnitId> },
    /// A logged-in officer.
    User { role: Role, unit: UnitId },
}

/// Something an actor wants to do to the content of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read published, current content.
    ReadPublished,
    /// Read drafts, content in review, scheduled and archived content, revisions and preview links.
    Preview,
    /// Create and edit articles, places, QR codes and unit details; submit articles for review.
    Edit,
    /// Publish, schedule, unpublish and archive published articles.
    Publish,
    /// Read scan statistics.
    ReadStats,
    /// Create, move and archive units; edit the category tree. Province-wide structure.
    ManageStructure,
    /// Create and disable accounts, issue and revoke API keys, read the audit log.
    Administer,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Self::ReadPublished,
        Self::Preview,
        Self::Edit,
        Self::Publish,
        Self::ReadStats,
        Self::ManageStructure,
        Self::Administer,
    ];
}

/// The unit tree as (unit, parent) pairs, as the store lists it.
pub type UnitLinks = [(UnitId, Option<UnitId>)];

/// True when `actor` may do `action` to content owned by `target`.
pub fn permits(actor: &Actor, action: Action, target: UnitId, units: &UnitLinks) -> bool {
    match actor {
        Actor::Public => action == Action::ReadPublished,
        Actor::ApiKey { units: scope } => {
            action == Action::ReadPublished && scope.iter().any(|root| subtree(units, *root).contains(&target))
        }
        Actor::User { role: Role::Admin, .. } => true,
        Actor::User { role, unit } => {
            let in_scope = subtree(units, *unit).contains(&target);
            match action {
                Action::ReadPublished => true,
                Action::Preview | Action::Edit => in_scope && matches!(role, Role::Editor | Role::Reviewer),
                Action::Publish => in_scope && *role == Role::Reviewer,
                Action::ReadStats => in_scope && *role == Role::Analyst,
                Action::ManageStructure | Action::Administer => false,
            }
        }
    }
}

/// The units whose unpublished content this actor may see: `None` when it may see none, the whole
/// tree for an admin. Used to widen queries in preview.
pub fn preview_scope(actor: &Actor, units: &UnitLinks) -> Option<Vec<UnitId>> {
    match actor {
        Actor::User { role: Role::Admin, .. } => Some(units.iter().map(|(id, _)| *id).collect()),
        Actor::User { role: Role::Editor | Role::Reviewer, unit } => Some(subtree(units, *unit)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    /// How the target unit stands to the actor's home unit in the test tree.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Rel {
        Own,
        Child,
        Sibling,
        Parent,
    }

    fn id(n: u128) -> UnitId {
        UnitId(Uuid::from_u128(n))
    }

    //        1 province command
    //      2 post        3 post
    //     4 station     5 station
    // The actor's home is post 2: own = 2, child = 4, sibling = 3, parent = 1.
    fn tree() -> Vec<(UnitId, Option<UnitId>)> {
        vec![(id(1), None), (id(2), Some(id(1))), (id(3), Some(id(1))), (id(4), Some(id(2))), (id(5), Some(id(3)))]
    }

    fn target(rel: Rel) -> UnitId {
        match rel {
            Rel::Own => id(2),
            Rel::Child => id(4),
            Rel::Sibling => id(3),
            Rel::Parent => id(1),
        }
    }

    const Y: bool = true;
    const N: bool = false;

    /// Expected answers, written out by hand: for each role and action, (own, child, sibling, parent).
    fn expected(role: Option<Role>, action: Action) -> [bool; 4] {
        use Action::*;
        match (role, action) {
            // Anonymous public.
            (None, ReadPublished) => [Y, Y, Y, Y],
            (None, _) => [N, N, N, N],
            (Some(Role::Admin), _) => [Y, Y, Y, Y],
            (Some(Role::Editor), ReadPublished) => [Y, Y, Y, Y],
            (Some(Role::Editor), Preview | Edit) => [Y, Y, N, N],
            (Some(Role::Editor), Publish | ReadStats | ManageStructure | Administer) => [N, N, N, N],
            (Some(Role::Reviewer), ReadPublished) => [Y, Y, Y, Y],
            (Some(Role::Reviewer), Preview | Edit | Publish) => [Y, Y, N, N],
            (Some(Role::Reviewer), ReadStats | ManageStructure | Administer) => [N, N, N, N],
            (Some(Role::Analyst), ReadPublished) => [Y, Y, Y, Y],
            (Some(Role::Analyst), ReadStats) => [Y, Y, N, N],
            (Some(Role::Analyst), Preview | Edit | Publish | ManageStructure | Administer) => [N, N, N, N],
        }
    }

    #[test]
    fn every_role_action_and_relation() {
        let units = tree();
        let roles = [None, Some(Role::Admin), Some(Role::Editor), Some(Role::Reviewer), Some(Role::Analyst)];
        let mut checked = 0;
        for role in roles {
            let actor = match role {
                None => Actor::Public,
                Some(role) => Actor::User { role, unit: id(2) },
            };
            for action in Action::ALL {
                let want = expected(role, action);
                for (i, rel) in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent].into_iter().enumerate() {
                    let got = permits(&actor, action, target(rel), &units);
                    assert_eq!(got, want[i], "{role:?} {action:?} on {rel:?} unit");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 7 * 4);
    }

    #[test]
    fn api_keys_read_published_content_of_their_units_only() {
        let units = tree();
        let key = Actor::ApiKey { units: vec![id(2)] };
        for action in Action::ALL {
            let want = action == Action::ReadPublished;
            assert_eq!(permits(&key, action, id(2), &units), want, "{action:?} own");
            assert_eq!(permits(&key, action, id(4), &units), want, "{action:?} child");
            assert!(!permits(&key, action, id(3), &units), "{action:?} sibling");
            assert!(!permits(&key, action, id(1), &units), "{action:?} parent");
        }
    }

    #[test]
    fn an_unknown_home_unit_reaches_nothing_but_itself() {
        let units = tree();
        let stray = Actor::User { role: Role::Reviewer, unit: id(99) };
        assert!(!permits(&stray, Action::Edit, id(2), &units));
        assert!(permits(&stray, Action::ReadPublished, id(2), &units));
    }

    #[test]
    fn preview_scope_follows_the_roles() {
        let units = tree();
        let mut scope = preview_scope(&Actor::User { role: Role::Editor, unit: id(2) }, &units).expect("editor");
        scope.sort();
        assert_eq!(scope, vec![id(2), id(4)]);
        assert_eq!(preview_scope(&Actor::User { role: Role::Admin, unit: id(2) }, &units).map(|s| s.len()), Some(5));
        assert_eq!(preview_scope(&Actor::User { role: Role::Analyst, unit: id(2) }, &units), None);
        assert_eq!(preview_scope(&Actor::Public, &units), None);
        assert_eq!(preview_scope(&Actor::ApiKey { units: vec![id(1)] }, &units), None);
    }
}
