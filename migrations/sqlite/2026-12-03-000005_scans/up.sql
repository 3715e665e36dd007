-- Scans as the statistics count them (issue 4): the post's calendar day, the device class, repeats,
-- a visitor key that only tells one day's visitors apart, and where the scan came from. No address
-- or user agent is ever stored.
ALTER TABLE scans ADD COLUMN local_day TEXT NOT NULL DEFAULT '';
ALTER TABLE scans ADD COLUMN device TEXT NOT NULL DEFAULT 'other';
ALTER TABLE scans ADD COLUMN is_repeat BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE scans ADD COLUMN visitor_key TEXT;
ALTER TABLE scans ADD COLUMN source TEXT NOT NULL DEFAULT 'link';
-- The id an app chose for its `recordScan`: a retried call finds its first one.
ALTER TABLE scans ADD COLUMN client_scan_id TEXT;
UPDATE scans SET outcome = 'disabled' WHERE outcome = 'inactive';
-- Scans recorded before this migration get their Hà Nội day (UTC+7 all year).
UPDATE scans SET local_day = date(occurred_at, '+7 hours');
-- Partial: link scans (nearly all) have none and cost this index nothing.
CREATE UNIQUE INDEX scans_client_scan_id ON scans (client_scan_id) WHERE client_scan_id IS NOT NULL;
DROP INDEX scans_unit_time;
CREATE INDEX scans_unit_day ON scans (unit_id, local_day);
-- Repeats: the last scan of one visitor and code is one index seek, however busy the visitor.
CREATE INDEX scans_visitor_code_time ON scans (visitor_key, qr_code_id, occurred_at);

-- Codes can expire; their targets keep a history (a poster is re-targeted, not reprinted).
ALTER TABLE qr_codes ADD COLUMN expires_at TIMESTAMP;
CREATE TABLE qr_code_targets (
    qr_code_id TEXT NOT NULL REFERENCES qr_codes (id),
    set_at TIMESTAMP NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    set_by TEXT NOT NULL,
    PRIMARY KEY (qr_code_id, set_at)
);
INSERT INTO qr_code_targets (qr_code_id, set_at, target_kind, target_id, set_by)
    SELECT id, created_at, target_kind, target_id, 'system' FROM qr_codes;

-- A code is never deleted, so its text is never handed out again (archive it instead).
CREATE TRIGGER qr_codes_no_delete BEFORE DELETE ON qr_codes
BEGIN
    SELECT RAISE(ABORT, 'QR codes are archived, never deleted: their text must not be reused');
END;
