ALTER TABLE qr_codes DROP COLUMN archived_at;
