-- Repeats are told from the scan writer's memory (visitor keys live one process), so no scan
-- insert pays for a (visitor, code, time) index any more.
DROP INDEX scans_visitor_code_time;
-- Per-day statistics of a unit read everything they count from this index, never the table.
DROP INDEX scans_unit_day;
CREATE INDEX scans_unit_day ON scans (unit_id, local_day, device, is_repeat, visitor_key);
