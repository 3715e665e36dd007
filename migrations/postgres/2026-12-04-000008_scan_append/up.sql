-- Every scan insert dirtied a random leaf of two indexes, (qr_code_id, occurred_at) and the
-- (unit_id, local_day, device, is_repeat, visitor_key) one: ~2.6 WAL pages a scan. Now both grow at
-- their ends only.

-- The last time a person scanned each code (what "least-used places" needs from the code index):
-- one small row a code, updated once a batch.
CREATE TABLE code_scans (
    qr_code_id TEXT PRIMARY KEY NOT NULL,
    last_human_at TIMESTAMP NOT NULL
);
INSERT INTO code_scans (qr_code_id, last_human_at)
    SELECT qr_code_id, MAX(occurred_at) FROM scans
    WHERE qr_code_id IS NOT NULL AND device NOT IN ('bot', 'link_preview')
    GROUP BY qr_code_id;
DROP INDEX scans_code_time;

-- The scan id (time-ordered) right after the day: a unit's new scans go to the end of its day.
-- The columns after it are carried for the statistics, which read this index and not the table.
DROP INDEX scans_unit_day;
CREATE INDEX scans_unit_day ON scans (unit_id, local_day, id, device, is_repeat, visitor_key, place_id, qr_code_id);
