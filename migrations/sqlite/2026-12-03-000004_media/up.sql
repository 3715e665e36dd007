-- Media: uploaded images, their resized renditions, per-locale alt texts and captions, and where they
-- are shown (an article's cover and gallery, a place's photo gallery). The files themselves live on
-- disk under their SHA-256 (FRONTIER_MEDIA_DIR); the database keeps what is needed to name and
-- describe them.

-- `width`, `height`, `hash`, `format` and `bytes` describe the master (the whole image, long side at
-- most 2560 px); `kind` is what the upload was (read from its bytes).
CREATE TABLE media (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL CHECK (kind IN ('jpeg', 'png', 'webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    hash TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    bytes BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP
);
CREATE INDEX media_unit ON media (unit_id, created_at);

-- The narrower copies of a master, one per width.
CREATE TABLE media_renditions (
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    hash TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('jpeg', 'png')),
    bytes BIGINT NOT NULL,
    PRIMARY KEY (media_id, width)
);

CREATE TABLE media_texts (
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    alt TEXT NOT NULL,
    caption TEXT,
    PRIMARY KEY (media_id, locale)
);

-- The images of the version an article row holds (the published one while it is live); pending
-- edits keep theirs in the revision, like their texts.
CREATE TABLE article_media (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id TEXT NOT NULL REFERENCES media (id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cover', 'gallery')),
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_media ON article_media (media_id);

-- The photo gallery of a place (a village's cultural house, a commune office).
CREATE TABLE place_media (
    place_id TEXT NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    media_id TEXT NOT NULL REFERENCES media (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (place_id, media_id)
);
CREATE INDEX place_media_media ON place_media (media_id);
