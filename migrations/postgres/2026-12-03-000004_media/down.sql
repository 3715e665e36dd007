DROP INDEX place_media_media;
DROP TABLE place_media;
DROP INDEX article_media_media;
DROP TABLE article_media;
DROP TABLE media_texts;
DROP TABLE media_renditions;
DROP INDEX media_unit;
DROP TABLE media;
