DROP INDEX scans_unit_day;
CREATE INDEX scans_unit_day ON scans (unit_id, local_day);
CREATE INDEX scans_visitor_code_time ON scans (visitor_key, qr_code_id, occurred_at);
