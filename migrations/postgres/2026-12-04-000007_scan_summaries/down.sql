DROP TABLE scan_summary_epoch;
DROP TABLE scan_summaries;
DROP TABLE scan_summary_days;
