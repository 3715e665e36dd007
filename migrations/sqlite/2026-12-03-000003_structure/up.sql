-- QR codes can be archived like units, categories and places (kept for their scan history).
ALTER TABLE qr_codes ADD COLUMN archived_at TIMESTAMP;
