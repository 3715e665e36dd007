-- Summaries of finished local days, per scope (a digest of everything that decides the counting but
-- the days: the key, units, filters, humanOnly, the counting rule's version). A finished day never
-- changes (scans are immutable and the day's visitor-key secret is gone), so its tallies are counted
-- from the rows once. They are a pure cache: deleting any of them is always safe.
-- A marker says "this day of this scope is summarised", also when it had no scan at all.
CREATE TABLE scan_summary_days (
    scope TEXT NOT NULL,
    local_day TEXT NOT NULL,
    made_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, local_day)
);
-- An import into past days finds the markers of those days through this index.
CREATE INDEX scan_summary_days_day ON scan_summary_days (local_day);
-- The day's tallies per key value; `group_key` is '' for none and '=' followed by the value.
CREATE TABLE scan_summaries (
    scope TEXT NOT NULL,
    local_day TEXT NOT NULL,
    group_key TEXT NOT NULL,
    people BIGINT NOT NULL,
    repeats BIGINT NOT NULL,
    bots BIGINT NOT NULL,
    visitors BIGINT NOT NULL,
    PRIMARY KEY (scope, local_day, group_key)
);
-- Bumped by every import of scans (first thing in its transaction): a summary counted while an
-- import committed is not stored.
CREATE TABLE scan_summary_epoch (
    id INTEGER PRIMARY KEY,
    epoch BIGINT NOT NULL
);
INSERT INTO scan_summary_epoch (id, epoch) VALUES (1, 0);
