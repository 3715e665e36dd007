DROP INDEX scans_unit_day;
CREATE INDEX scans_unit_day ON scans (unit_id, local_day, device, is_repeat, visitor_key);
CREATE INDEX scans_code_time ON scans (qr_code_id, occurred_at);
DROP TABLE code_scans;
