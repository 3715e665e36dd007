-- Content model, first version. Ids are UUIDv7 text made by the application (diesel cannot use
-- RETURNING through its multi-backend connection); timestamps are UTC.
CREATE TABLE units (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('province_command', 'border_post', 'station')),
    parent_id TEXT REFERENCES units (id),
    phone TEXT,
    address TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE categories (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    parent_id TEXT REFERENCES categories (id),
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE articles (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    category_id TEXT NOT NULL REFERENCES categories (id),
    unit_id TEXT NOT NULL REFERENCES units (id),
    published_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX articles_published ON articles (published_at, id);
CREATE INDEX articles_category ON articles (category_id, published_at);
CREATE INDEX articles_unit ON articles (unit_id, published_at);

CREATE TABLE article_translations (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (article_id, locale)
);
CREATE INDEX article_translations_locale ON article_translations (locale, article_id);

CREATE TABLE places (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('cultural_house', 'commune_office', 'border_station', 'checkpoint', 'patrol_point', 'other')),
    unit_id TEXT NOT NULL REFERENCES units (id),
    commune TEXT,
    village TEXT,
    latitude DOUBLE,
    longitude DOUBLE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX places_unit ON places (unit_id, slug);

-- Names and descriptions of units, categories and places, one row per locale. Owner ids are UUIDs,
-- unique across those tables, so one table serves all three.
CREATE TABLE entity_texts (
    owner_id TEXT NOT NULL,
    locale TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (owner_id, locale)
);

CREATE TABLE qr_codes (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    place_id TEXT NOT NULL REFERENCES places (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('article', 'category', 'place', 'unit')),
    target_id TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX qr_codes_place ON qr_codes (place_id);

-- Scans reference codes loosely (no foreign keys): a scan is history and must outlive any edit.
CREATE TABLE scans (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    scanned_text TEXT NOT NULL,
    qr_code_id TEXT,
    place_id TEXT,
    unit_id TEXT,
    target_kind TEXT,
    target_id TEXT,
    outcome TEXT NOT NULL,
    locale TEXT
);
CREATE INDEX scans_code_time ON scans (qr_code_id, occurred_at);
CREATE INDEX scans_unit_time ON scans (unit_id, occurred_at);
