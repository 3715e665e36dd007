//! Login throttling, in memory. Failed logins are counted per client address and per account in a sliding
//! window; past a free allowance each further failure doubles how long that key must wait. Time is passed
//! in, so the rules are tested without sleeping.
//!
//! Memory is bounded: each kind of key is capped, expired entries go first and then those whose last
//! failure is oldest. A flood of fresh addresses can therefore push out an older entry (the price of a
//! bound), but never an account's entry, which is kept in a table of its own.

use sha2::{Digest as _, Sha256};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// How far back failures count.
    pub window: Duration,
    /// Failures in the window that cost nothing; the one that reaches this number starts the backoff.
    pub free_failures: u32,
    /// The wait after the failure that reaches `free_failures`; each further failure doubles it.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// How many addresses, and separately how many accounts, are tracked at most.
    pub max_keys: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            free_failures: 5,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(15 * 60),
            max_keys: 100_000,
        }
    }
}

impl ThrottleConfig {
    /// The wait after the `n`-th failure in the window (zero before the allowance is used up).
    pub fn backoff(&self, failures: u32) -> Duration {
        let Some(doublings) = failures.checked_sub(self.free_failures) else {
            return Duration::ZERO;
        };
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        self.first_backoff.checked_mul(factor).map_or(self.max_backoff, |d| d.min(self.max_backoff))
    }

    /// Failures past this many change nothing (the backoff is at its cap), so no more are remembered.
    fn saturation(&self) -> usize {
        let mut n = self.free_failures;
        while self.backoff(n) < self.max_backoff && n < self.free_failures.saturating_add(64) {
            n += 1;
        }
        (n as usize).max(1)
    }
}

/// A refused attempt: how long until the next one may be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Rounded up, for an HTTP `Retry-After` header: retrying at the rounded-down second would be refused.
    pub fn whole_seconds(&self) -> u64 {
        self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)
    }
}

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "too many failed logins; try again in {} s", self.whole_seconds())
    }
}

impl std::error::Error for RetryAfter {}

/// An attempt [`Throttle::admit`] let through, already counted as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "report the outcome with `Throttle::failed` or `Throttle::succeeded`"]
pub struct Admitted {
    address: IpAddr,
    at: Instant,
}

/// The throttle for one process. Call [`Throttle::admit`] before verifying a password, then
/// [`Throttle::failed`] or [`Throttle::succeeded`] (or [`Throttle::check`], then [`Throttle::record_failure`]
/// or [`Throttle::record_success`], where attempts cannot overlap); a refused attempt records nothing.
pub struct Throttle {
    config: ThrottleConfig,
    tables: Mutex<Tables>,
}

struct Tables {
    addresses: Table<IpAddr>,
    /// Keyed by the SHA-256 of the normalised email: fixed-size keys whatever is typed, and no addresses
    /// kept in memory.
    accounts: Table<[u8; 32]>,
}

impl Throttle {
    pub fn new(config: ThrottleConfig) -> Self {
        let tables = Tables { addresses: Table::new(&config), accounts: Table::new(&config) };
        Self { config, tables: Mutex::new(tables) }
    }

    /// `Err` with the longer of the two waits if the address or the account is locked at `now`.
    pub fn check(&self, ip: IpAddr, email: &str, now: Instant) -> Result<(), RetryAfter> {
        let mut t = self.lock();
        let by_address = t.addresses.wait(&address_key(ip), now, &self.config);
        let by_account = t.accounts.wait(&account_key(email), now, &self.config);
        match by_address.max(by_account) {
            Duration::ZERO => Ok(()),
            wait => Err(RetryAfter(wait)),
        }
    }

    /// [`Throttle::check`] and [`Throttle::record_failure`] in one step, for an attempt about to be
    /// verified: it counts as a failure from the moment it is let through, so attempts sent at the
    /// same moment cannot all pass the check before the first of them is verified and recorded. Hand
    /// the result to [`Throttle::succeeded`] when the password was right.
    pub fn admit(&self, ip: IpAddr, email: &str, now: Instant) -> Result<Admitted, RetryAfter> {
        let mut t = self.lock();
        let (address, account) = (address_key(ip), account_key(email));
        let by_address = t.addresses.wait(&address, now, &self.config);
        let by_account = t.accounts.wait(&account, now, &self.config);
        let wait = by_address.max(by_account);
        if !wait.is_zero() {
            return Err(RetryAfter(wait));
        }
        t.addresses.record(address, now, &self.config);
        t.accounts.record(account, now, &self.config);
        Ok(Admitted { address, at: now })
    }

    /// The admitted attempt was wrong: its failure is dated `now`, when that was known, so the wait it
    /// causes starts then and not while the password was still being checked.
    pub fn failed(&self, admitted: Admitted, email: &str, now: Instant) {
        let mut t = self.lock();
        let account = account_key(email);
        t.addresses.forget(&admitted.address, admitted.at);
        t.addresses.record(admitted.address, now, &self.config);
        t.accounts.forget(&account, admitted.at);
        t.accounts.record(account, now, &self.config);
    }

    /// The admitted attempt was right: the account starts afresh, as with [`Throttle::record_success`],
    /// and the address's count loses this attempt (a right password costs the address nothing).
    pub fn succeeded(&self, admitted: Admitted, email: &str) {
        let mut t = self.lock();
        t.accounts.entries.remove(&account_key(email));
        t.addresses.forget(&admitted.address, admitted.at);
    }

    pub fn record_failure(&self, ip: IpAddr, email: &str, now: Instant) {
        let mut t = self.lock();
        t.addresses.record(address_key(ip), now, &self.config);
        t.accounts.record(account_key(email), now, &self.config);
    }

    /// Clears the account's failures. The address keeps its own: one right password from an address that
    /// guesses at many accounts must not give it a fresh allowance.
    pub fn record_success(&self, email: &str) {
        self.lock().accounts.entries.remove(&account_key(email));
    }

    /// How many addresses and how many accounts are being tracked.
    pub fn tracked(&self) -> (usize, usize) {
        let t = self.lock();
        (t.addresses.entries.len(), t.accounts.entries.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        // The tables hold counters only: after a panic elsewhere they are still usable.
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An IPv6 client is throttled by its /64, the block one subscriber gets; an IPv4-mapped address as IPv4.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

fn account_key(email: &str) -> [u8; 32] {
    Sha256::digest(email.trim().to_lowercase().as_bytes()).into()
}

/// The failures of one kind of key.
struct Table<K> {
    entries: HashMap<K, Failures>,
    /// At most this many times are kept per key ([`ThrottleConfig::saturation`]).
    keep: usize,
}

/// Times of the failures still in the window, oldest first.
struct Failures(VecDeque<Instant>);

impl Failures {
    fn forget_older_than(&mut self, window: Duration, now: Instant) {
        while self.0.front().is_some_and(|&t| now.saturating_duration_since(t) >= window) {
            self.0.pop_front();
        }
    }

    fn last(&self) -> Option<Instant> {
        self.0.back().copied()
    }
}

impl<K: Hash + Eq + Clone> Table<K> {
    fn new(config: &ThrottleConfig) -> Self {
        Self { entries: HashMap::new(), keep: config.saturation() }
    }

    /// How long `key` must still wait at `now` (zero if it need not).
    fn wait(&mut self, key: &K, now: Instant, config: &ThrottleConfig) -> Duration {
        let Some(failures) = self.entries.get_mut(key) else { return Duration::ZERO };
        failures.forget_older_than(config.window, now);
        let Some(last) = failures.last() else {
            self.entries.remove(key);
            return Duration::ZERO;
        };
        let count = u32::try_from(failures.0.len()).unwrap_or(u32::MAX);
        // `now` may have been read before another thread recorded a later failure: the wait is
        // counted from `now` or from that failure, whichever is later, so it never exceeds the backoff.
        config.backoff(count).saturating_sub(now.saturating_duration_since(last))
    }

    fn record(&mut self, key: K, now: Instant, config: &ThrottleConfig) {
        if !self.entries.contains_key(&key) && self.entries.len() >= config.max_keys {
            self.make_room(now, config);
        }
        let failures = self.entries.entry(key).or_insert_with(|| Failures(VecDeque::new()));
        failures.forget_older_than(config.window, now);
        failures.0.push_back(now);
        if failures.0.len() > self.keep {
            failures.0.pop_front();
        }
    }

    /// Takes back one failure of `key` recorded at `at`.
    fn forget(&mut self, key: &K, at: Instant) {
        let Some(failures) = self.entries.get_mut(key) else { return };
        if let Some(i) = failures.0.iter().rposition(|t| *t == at) {
            failures.0.remove(i);
        }
        if failures.0.is_empty() {
            self.entries.remove(key);
        }
    }

    /// Drops expired entries, then the stalest until a tenth of the cap is free, so that a flood of new
    /// keys pays for this scan once per `max_keys / 10` insertions rather than on every one.
    fn make_room(&mut self, now: Instant, config: &ThrottleConfig) {
        self.entries.retain(|_, f| {
            f.forget_older_than(config.window, now);
            !f.0.is_empty()
        });
        let target = config.max_keys - config.max_keys.div_ceil(10);
        let excess = self.entries.len().saturating_sub(target);
        if excess == 0 {
            return;
        }
        let mut by_age: Vec<(Instant, K)> =
            self.entries.iter().filter_map(|(k, f)| Some((f.last()?, k.clone()))).collect();
        by_age.select_nth_unstable_by_key(excess - 1, |(last, _)| *last);
        for (_, key) in &by_age[..excess] {
            self.entries.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const EMAIL: &str = "officer@example.vn";

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(203, 0, 113, last))
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn ms(m: u64) -> Duration {
        Duration::from_millis(m)
    }

    /// A throttle tracking at most `max_keys` of each kind, and the instant its test starts at.
    fn capped(max_keys: usize) -> (Throttle, Instant) {
        (Throttle::new(ThrottleConfig { max_keys, ..ThrottleConfig::default() }), Instant::now())
    }

    /// The `n`-th address of a flood.
    fn flood(n: u32) -> IpAddr {
        IpAddr::V4(Ipv4Addr::from_bits(0x0a00_0000 + n))
    }

    /// A default throttle after `n` failures of [`EMAIL`] from `ip(1)`, all at the returned instant.
    fn after_failures(n: usize) -> (Throttle, Instant) {
        let (th, t) = capped(ThrottleConfig::default().max_keys);
        for _ in 0..n {
            th.record_failure(ip(1), EMAIL, t);
        }
        (th, t)
    }

    #[test]
    fn backoff_doubles_from_the_fifth_failure_and_stops_at_fifteen_minutes() {
        let c = ThrottleConfig::default();
        // Failure n (n >= 5) waits 2^(n-5) s; 2^10 = 1024 s is past the 900 s cap.
        let table = [
            (0, 0),
            (4, 0),
            (5, 1),
            (6, 2),
            (7, 4),
            (8, 8),
            (12, 128),
            (14, 512),
            (15, 900),
            (16, 900),
            (40, 900),
            (u32::MAX, 900),
        ];
        for (failures, wait) in table {
            assert_eq!(c.backoff(failures), secs(wait), "after {failures} failures");
        }
        assert_eq!(c.saturation(), 15);
    }

    #[test]
    fn a_timeline_of_failures_against_one_address_and_account() {
        let th = Throttle::new(ThrottleConfig::default());
        let t0 = Instant::now();
        let at = |s: u64| t0 + secs(s);
        for s in 0..4 {
            th.record_failure(ip(1), EMAIL, at(s));
            assert_eq!(th.check(ip(1), EMAIL, at(s)), Ok(()), "failure {} is free", s + 1);
        }
        th.record_failure(ip(1), EMAIL, at(4)); // 5th: wait 1 s from t=4
        assert_eq!(th.check(ip(1), EMAIL, at(4)), Err(RetryAfter(secs(1))));
        assert_eq!(th.check(ip(1), EMAIL, at(4) + ms(999)), Err(RetryAfter(ms(1))));
        assert_eq!(th.check(ip(1), EMAIL, at(5)), Ok(()));
        th.record_failure(ip(1), EMAIL, at(5)); // 6th: 2 s, until t=7
        assert_eq!(th.check(ip(1), EMAIL, at(6)), Err(RetryAfter(secs(1))));
        assert_eq!(th.check(ip(1), EMAIL, at(7)), Ok(()));
        th.record_failure(ip(1), EMAIL, at(7)); // 7th: 4 s, until t=11
        assert_eq!(th.check(ip(1), EMAIL, at(7)), Err(RetryAfter(secs(4))));
        assert_eq!(th.check(ip(1), EMAIL, at(11)), Ok(()));

        // At t=902 the failures at 0, 1 and 2 are 900 s or more old and no longer count: the one recorded
        // then is the 5th in the window (3, 4, 5, 7, 902), so it waits 1 s, not the 8th's 8 s.
        th.record_failure(ip(1), EMAIL, at(902));
        assert_eq!(th.check(ip(1), EMAIL, at(902)), Err(RetryAfter(secs(1))));
        // Much later everything has slid out and the entries are dropped on the next look.
        assert_eq!(th.check(ip(1), EMAIL, at(2000)), Ok(()));
        assert_eq!(th.tracked(), (0, 0));
    }

    #[test]
    fn the_account_is_locked_from_every_address_and_the_address_for_every_account() {
        let th = Throttle::new(ThrottleConfig::default());
        let t = Instant::now();
        for i in 0..5 {
            th.record_failure(ip(i), EMAIL, t); // five addresses, one failure each, one account
        }
        assert_eq!(th.check(ip(99), EMAIL, t), Err(RetryAfter(secs(1))), "account key");
        assert_eq!(th.check(ip(99), "  Officer@Example.VN ", t), Err(RetryAfter(secs(1))), "normalised email");
        assert_eq!(th.check(ip(0), "someone.else@example.vn", t), Ok(()), "one failure from ip 0 is free");

        let th = Throttle::new(ThrottleConfig::default());
        for i in 0..6 {
            th.record_failure(ip(7), &format!("user{i}@example.vn"), t); // one address, six accounts
        }
        assert_eq!(th.check(ip(7), "user99@example.vn", t), Err(RetryAfter(secs(2))), "address key, 6th failure");
        assert_eq!(th.check(ip(8), "user0@example.vn", t), Ok(()));
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let (th, t) = after_failures(5);
        th.record_success(EMAIL);
        assert_eq!(th.check(ip(2), EMAIL, t), Ok(()), "the account starts afresh");
        assert_eq!(th.check(ip(1), "other@example.vn", t), Err(RetryAfter(secs(1))), "the address does not");
        assert_eq!(th.tracked(), (1, 0));
    }

    #[test]
    fn attempts_count_from_the_moment_they_are_admitted() {
        // Six attempts at once, none verified yet: the sixth must already see five failures.
        let (th, t) = after_failures(0);
        let admitted: Vec<_> = (0..5).map(|_| th.admit(ip(1), EMAIL, t)).collect();
        assert!(admitted.iter().all(Result::is_ok), "{admitted:?}");
        assert_eq!(th.admit(ip(1), EMAIL, t), Err(RetryAfter(secs(1))));
        assert_eq!(th.admit(ip(2), EMAIL, t), Err(RetryAfter(secs(1))), "the account, from anywhere");
        assert_eq!(th.admit(ip(1), "other@example.vn", t), Err(RetryAfter(secs(1))), "the address, for anyone");
        assert_eq!(th.tracked(), (1, 1), "refused attempts are not recorded");
    }

    #[test]
    fn a_wrong_password_counts_from_when_it_was_found_wrong() {
        let (th, t) = after_failures(4);
        let attempt = th.admit(ip(1), EMAIL, t).expect("the fifth attempt is free");
        // The check took half a second; the 1 s wait of the fifth failure starts after it.
        th.failed(attempt, EMAIL, t + ms(500));
        assert_eq!(th.check(ip(1), EMAIL, t + ms(500)), Err(RetryAfter(secs(1))));
        assert_eq!(th.check(ip(2), EMAIL, t + ms(1400)), Err(RetryAfter(ms(100))));
        assert_eq!(th.check(ip(2), EMAIL, t + ms(1500)), Ok(()));
        let entries = &th.lock().addresses.entries[&ip(1)].0;
        assert_eq!((entries.len(), entries.back().copied()), (5, Some(t + ms(500))), "re-dated, not added");
    }

    #[test]
    fn a_right_password_gives_back_its_admission() {
        let (th, t) = after_failures(4);
        let ok = th.admit(ip(1), EMAIL, t + ms(10)).expect("the fifth attempt is free");
        th.succeeded(ok, EMAIL);
        assert_eq!(th.lock().addresses.entries[&ip(1)].0.len(), 4, "the four failures stay, the success goes");
        assert_eq!(th.tracked(), (1, 0), "the account starts afresh");
        let (th, t) = after_failures(0);
        let ok = th.admit(ip(3), EMAIL, t).expect("free");
        th.succeeded(ok, EMAIL);
        assert_eq!(th.tracked(), (0, 0), "nothing is left of a first right password");
    }

    #[test]
    fn ipv6_clients_are_throttled_by_their_64_block() {
        let th = Throttle::new(ThrottleConfig::default());
        let t = Instant::now();
        let v6 = |s: &str| -> IpAddr { s.parse().expect("address") };
        for i in 1..=5 {
            th.record_failure(v6(&format!("2001:db8:0:1::{i}")), &format!("u{i}@example.vn"), t);
        }
        assert!(th.check(v6("2001:db8:0:1:ffff:ffff:ffff:ffff"), "x@example.vn", t).is_err());
        assert_eq!(th.check(v6("2001:db8:0:2::1"), "x@example.vn", t), Ok(()));
        assert_eq!(address_key(v6("::ffff:203.0.113.9")), ip(9), "IPv4-mapped is the IPv4 address");
    }

    #[test]
    fn a_flood_of_addresses_stays_within_the_cap() {
        let (th, t0) = capped(1000);
        for n in 0..20_000u32 {
            th.record_failure(flood(n), EMAIL, t0 + ms(u64::from(n)));
            assert!(th.tracked().0 <= 1000, "after {} addresses: {:?}", n + 1, th.tracked());
        }
        // The newest address survived; the first ones, whose failures are the oldest, were pushed out.
        let tracks = |addr| th.lock().addresses.entries.contains_key(&addr);
        assert!(tracks(flood(19_999)));
        assert!(!tracks(flood(0)));
        assert_eq!(th.tracked().1, 1, "the one account is untouched");
    }

    #[test]
    fn expired_entries_make_room_before_live_ones_are_evicted() {
        let (th, t0) = capped(100);
        for n in 0..100u32 {
            th.record_failure(flood(n), EMAIL, t0);
        }
        assert_eq!(th.tracked().0, 100);
        let later = t0 + secs(16 * 60);
        th.record_failure(ip(1), EMAIL, later);
        assert_eq!(th.tracked().0, 1, "all 100 had expired, so only the new one is left");
    }

    #[test]
    fn the_default_cap_holds_against_a_larger_flood() {
        let (th, t0) = capped(ThrottleConfig::default().max_keys);
        for n in 0..150_000u32 {
            th.record_failure(flood(n), &format!("{n}@x.vn"), t0 + ms(u64::from(n)));
        }
        let (addresses, accounts) = th.tracked();
        assert!(addresses <= 100_000 && accounts <= 100_000, "{addresses} {accounts}");
        assert!(addresses >= 90_000, "eviction frees a tenth at a time, not everything: {addresses}");
    }

    #[test]
    fn endless_failures_keep_a_bounded_history() {
        let (th, t) = after_failures(1000);
        assert_eq!(th.lock().addresses.entries[&ip(1)].0.len(), 15);
        assert_eq!(th.check(ip(1), EMAIL, t), Err(RetryAfter(secs(900))));
    }

    #[test]
    fn the_throttle_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Throttle>();
        let (th, t) = after_failures(0);
        std::thread::scope(|s| {
            for i in 0..4u8 {
                let th = &th;
                s.spawn(move || th.record_failure(ip(i), EMAIL, t));
            }
        });
        assert_eq!(th.tracked(), (4, 1));
        assert_eq!(th.check(ip(9), EMAIL, t), Ok(()), "4 failures of the account are still free");
    }

    #[test]
    fn a_failure_recorded_after_the_moment_asked_about_waits_no_longer_than_its_backoff() {
        // Two logins at once: one read the clock, then the other's later failure (the fifth) was
        // recorded before the first looked. The first is told the backoff itself, 1 s, not 1 s and
        // the 40 ms between them, which would round up to 2 s.
        let (th, t) = after_failures(4);
        th.record_failure(ip(1), EMAIL, t + ms(40));
        assert_eq!(th.check(ip(1), EMAIL, t), Err(RetryAfter(secs(1))));
        assert_eq!(th.check(ip(1), EMAIL, t + ms(540)), Err(RetryAfter(ms(500))));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(ms(1)).whole_seconds(), 1);
        assert_eq!(RetryAfter(secs(2)).whole_seconds(), 2);
        assert_eq!(RetryAfter(ms(2001)).whole_seconds(), 3);
        assert_eq!(RetryAfter(ms(1500)).to_string(), "too many failed logins; try again in 2 s");
    }
}
