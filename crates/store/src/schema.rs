// The tables as diesel sees them. Only column types both backends share (Text, Integer, Double,
// Bool, Timestamp, Nullable) appear here; each backend's DDL lives in migrations/{sqlite,postgres}.

diesel::table! {
    units (id) {
        id -> Text,
        slug -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        phone -> Nullable<Text>,
        address -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> Text,
        slug -> Text,
        parent_id -> Nullable<Text>,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    articles (id) {
        id -> Text,
        slug -> Text,
        category_id -> Text,
        unit_id -> Text,
        published_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        status -> Text,
        live -> Bool,
        unpublish_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    article_translations (article_id, locale) {
        article_id -> Text,
        locale -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
    }
}

diesel::table! {
    places (id) {
        id -> Text,
        slug -> Text,
        kind -> Text,
        unit_id -> Text,
        commune -> Nullable<Text>,
        village -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    entity_texts (owner_id, locale) {
        owner_id -> Text,
        locale -> Text,
        name -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    qr_codes (id) {
        id -> Text,
        code -> Text,
        place_id -> Text,
        target_kind -> Text,
        target_id -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        archived_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    scans (id) {
        id -> Text,
        occurred_at -> Timestamp,
        scanned_text -> Text,
        qr_code_id -> Nullable<Text>,
        place_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<Text>,
        outcome -> Text,
        locale -> Nullable<Text>,
        local_day -> Text,
        device -> Text,
        is_repeat -> Bool,
        visitor_key -> Nullable<Text>,
        source -> Text,
        client_scan_id -> Nullable<Text>,
    }
}

diesel::table! {
    /// The last time a person scanned each code (statistics' "least-used places").
    code_scans (qr_code_id) {
        qr_code_id -> Text,
        last_human_at -> Timestamp,
    }
}

diesel::table! {
    scan_summary_days (scope, local_day) {
        scope -> Text,
        local_day -> Text,
        made_at -> Timestamp,
    }
}

diesel::table! {
    scan_summaries (scope, local_day, group_key) {
        scope -> Text,
        local_day -> Text,
        group_key -> Text,
        people -> BigInt,
        repeats -> BigInt,
        bots -> BigInt,
        visitors -> BigInt,
    }
}

diesel::table! {
    scan_summary_epoch (id) {
        id -> Integer,
        epoch -> BigInt,
    }
}

diesel::table! {
    qr_code_targets (qr_code_id, set_at) {
        qr_code_id -> Text,
        set_at -> Timestamp,
        target_kind -> Text,
        target_id -> Text,
        set_by -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        role -> Text,
        unit_id -> Text,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_key_units (api_key_id, unit_id) {
        api_key_id -> Text,
        unit_id -> Text,
    }
}

diesel::table! {
    article_revisions (id) {
        id -> Text,
        article_id -> Text,
        number -> BigInt,
        version -> BigInt,
        author_id -> Nullable<Text>,
        author_name -> Text,
        created_at -> Timestamp,
        content -> Text,
        changes -> Text,
        restored_from -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        actor_name -> Text,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        summary -> Text,
    }
}

diesel::table! {
    media (id) {
        id -> Text,
        unit_id -> Text,
        kind -> Text,
        width -> Integer,
        height -> Integer,
        hash -> Text,
        format -> Text,
        bytes -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        archived_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    media_renditions (media_id, width) {
        media_id -> Text,
        width -> Integer,
        height -> Integer,
        hash -> Text,
        format -> Text,
        bytes -> BigInt,
    }
}

diesel::table! {
    media_texts (media_id, locale) {
        media_id -> Text,
        locale -> Text,
        alt -> Text,
        caption -> Nullable<Text>,
    }
}

diesel::table! {
    article_media (article_id, media_id) {
        article_id -> Text,
        media_id -> Text,
        position -> Integer,
        role -> Text,
    }
}

diesel::table! {
    place_media (place_id, media_id) {
        place_id -> Text,
        media_id -> Text,
        position -> Integer,
    }
}

diesel::joinable!(article_translations -> articles (article_id));
diesel::joinable!(articles -> categories (category_id));
diesel::joinable!(articles -> units (unit_id));
diesel::joinable!(places -> units (unit_id));
diesel::joinable!(qr_codes -> places (place_id));
diesel::joinable!(article_revisions -> articles (article_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_key_units -> api_keys (api_key_id));
diesel::joinable!(media_renditions -> media (media_id));
diesel::joinable!(media_texts -> media (media_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    categories,
    articles,
    article_translations,
    places,
    entity_texts,
    qr_codes,
    scans,
    users,
    refresh_tokens,
    api_keys,
    api_key_units,
    article_revisions,
    audit_log,
    media,
    media_renditions,
    media_texts,
    article_media,
    place_media,
    qr_code_targets,
    code_scans,
    scan_summary_days,
    scan_summaries,
    scan_summary_epoch,
);
