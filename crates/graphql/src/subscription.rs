//! The root `Subscription` type: the live feed of the command's wall dashboard. `scanRecorded(unit)`
//! follows the scan writer's broadcast of committed scans (`ScanWriter::subscribe`) and yields those
//! of the unit and every unit below it.
//!
//! - Who: the same rule as scan statistics (`Action::ReadStats`: analysts of the unit or a unit above
//!   it, admins). The account and the unit tree are read again at most once a second while events
//!   come, so a disabled account, a changed role or a new station below the post takes effect.
//! - Expiry: an access token expires; at that moment the subscription ends with an
//!   `UNAUTHENTICATED` error, and the client subscribes again with a fresh token.
//! - Lag: a subscriber that falls more than the writer's buffer behind skips what it missed and goes
//!   on; the next item says how many scans were skipped (`skippedBefore`), and a warning is logged.
//! - Each event is read as the public sees it at the moment it is sent, through a loader of its own.

use crate::context::{Lens, chain, store, viewer};
use crate::error::{
    ApiResult, INTERNAL, OrApi, UNAUTHENTICATED, bad_input, forbidden, not_found_field, unauthenticated,
};
use crate::guard;
use crate::node_id::{self, NodeKind};
use crate::types::ScanFeedItem;
use async_graphql::futures_util::stream::{self, Stream};
use async_graphql::{Context, Error, ErrorExtensions, Subscription as SubscriptionRoot};
use frontier_domain::tree::subtree;
use frontier_domain::{Action, Actor, Clock, LocaleChain, ScanEvent, Slug, UnitId, UserId, permits};
use frontier_store::{ScanWriter, Store};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::{self, error::RecvError};

/// How long the account and the unit tree a subscription checked stay trusted.
const RECHECK: Duration = Duration::from_secs(1);

pub struct Subscription;

/// Live events over the graphql-ws protocol (`graphql-transport-ws`, or the legacy `graphql-ws`) on
/// `/graphql`. Credentials go in the `connection_init` payload (`{"Authorization": "Bearer …"}` or
/// `{"token": "…"}`) or the upgrade request's `Authorization` header.
#[SubscriptionRoot]
impl Subscription {
    /// Each scan of a code in `unit` or any unit below it, as soon as it is recorded. For analysts
    /// of the unit or a unit above it, and admins. Ends with an `UNAUTHENTICATED` error when the
    /// access token expires (subscribe again with a fresh one).
    async fn scan_recorded(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's slug (or its global id): its scans and those of every unit below it.")]
        unit: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
    ) -> Result<impl Stream<Item = ApiResult<ScanFeedItem>> + use<>, Error> {
        let user = guard::signed_in(ctx)?.id;
        let expires_at = viewer(ctx).expires_at;
        let clock: Arc<dyn Clock> = ctx.data_unchecked::<Arc<dyn Clock>>().clone();
        if expires_at.is_some_and(|at| at <= clock.now()) {
            return Err(expired());
        }
        let chain = chain(ctx, locale.as_deref())?;
        let root = watched_unit(ctx, &unit).await?;
        guard::require(ctx, Action::ReadStats, root)?;
        let writer = ctx
            .data_opt::<ScanWriter>()
            .ok_or_else(|| Error::new("this server has no live feed").extend_with(|_, e| e.set("code", INTERNAL)))?;
        // Subscribed before the fresh check, so nothing committed in between is missed.
        let events = writer.subscribe();
        let mut watch = Watch { store: store(ctx).clone(), root, user, units: HashSet::new(), read_at: Instant::now() };
        watch.refresh().await?;
        let deadline = expires_at.map(|at| {
            let left = (at - clock.now()).to_std().unwrap_or(Duration::ZERO);
            tokio::time::Instant::now() + left
        });
        let feed = Feed { events, watch, deadline, chain, clock, skipped: 0, ended: false };
        Ok(stream::unfold(feed, Feed::next))
    }
}

/// The unit named by `unit`: a slug, or a global id (`Unit.id`).
async fn watched_unit(ctx: &Context<'_>, unit: &str) -> ApiResult<UnitId> {
    if let Ok(slug) = Slug::parse(unit) {
        return match store(ctx).unit_by_slug_any(slug.to_string()).await.api()? {
            Some(u) => Ok(u.id),
            None => Err(not_found_field("unit", format!("unit `{slug}`"))),
        };
    }
    if node_id::decode(unit).is_err() {
        return Err(bad_input("unit", "must be a unit's slug (lower-case words joined by hyphens) or its id"));
    }
    let id = UnitId(node_id::decode_as("unit", unit, NodeKind::Unit)?);
    if store(ctx).unit_links().await.api()?.iter().any(|(u, _)| *u == id) {
        Ok(id)
    } else {
        Err(not_found_field("unit", "unit"))
    }
}

fn expired() -> Error {
    Error::new("the access token has expired: subscribe again with a fresh one")
        .extend_with(|_, e| e.set("code", UNAUTHENTICATED))
}

/// What a subscriber may see, as last read from the store.
struct Watch {
    store: Store,
    root: UnitId,
    user: UserId,
    units: HashSet<UnitId>,
    read_at: Instant,
}

impl Watch {
    /// Reads the account and the unit tree again: the subscriber must still be allowed.
    async fn refresh(&mut self) -> ApiResult<()> {
        let links = self.store.unit_links().await.api()?;
        let user = self.store.user(self.user).await.api()?.filter(|u| !u.disabled).ok_or_else(unauthenticated)?;
        let actor = Actor::User { role: user.role, unit: user.unit_id };
        if !permits(&actor, Action::ReadStats, self.root, &links) {
            return Err(forbidden("your role does not allow reading scan statistics for this unit"));
        }
        self.units = subtree(&links, self.root).into_iter().collect();
        self.read_at = Instant::now();
        Ok(())
    }
}

/// One subscription's state between items.
struct Feed {
    events: broadcast::Receiver<ScanEvent>,
    watch: Watch,
    /// When the access token expires (on tokio's clock).
    deadline: Option<tokio::time::Instant>,
    chain: Arc<LocaleChain>,
    clock: Arc<dyn Clock>,
    /// Scans missed since the last item (the receiver lagged).
    skipped: u64,
    /// An error ended the subscription.
    ended: bool,
}

impl Feed {
    async fn next(mut self) -> Option<(ApiResult<ScanFeedItem>, Self)> {
        if self.ended {
            return None;
        }
        loop {
            let received = match self.deadline {
                Some(at) => tokio::select! {
                    r = self.events.recv() => Some(r),
                    () = tokio::time::sleep_until(at) => None,
                },
                None => Some(self.events.recv().await),
            };
            let event = match received {
                None => return self.end(expired()),
                Some(Ok(event)) => event,
                Some(Err(RecvError::Lagged(n))) => {
                    tracing::warn!(skipped = n, "a live-feed subscriber fell behind; it goes on without those scans");
                    self.skipped = self.skipped.saturating_add(n);
                    continue;
                }
                // The writer stopped (the server is shutting down).
                Some(Err(RecvError::Closed)) => return None,
            };
            // Unknown codes belong to no unit.
            let Some(unit) = event.unit_id else { continue };
            if self.watch.read_at.elapsed() >= RECHECK
                && let Err(e) = self.watch.refresh().await
            {
                return self.end(e);
            }
            if !self.watch.units.contains(&unit) {
                continue;
            }
            let lens = Lens::public_at(self.chain.clone(), &self.watch.store, self.clock.now());
            let item = ScanFeedItem::new(event, std::mem::take(&mut self.skipped), lens);
            return Some((Ok(item), self));
        }
    }

    fn end(mut self, error: Error) -> Option<(ApiResult<ScanFeedItem>, Self)> {
        self.ended = true;
        Some((Err(error), self))
    }
}
