DROP TABLE scans;
DROP TABLE qr_codes;
DROP TABLE places;
DROP TABLE article_translations;
DROP TABLE articles;
DROP TABLE categories;
DROP TABLE entity_texts;
DROP TABLE units;
