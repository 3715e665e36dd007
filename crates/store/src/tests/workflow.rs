//! The article workflow through the store: what the public and a previewing editor see at each step,
//! versions, revisions and the audit log.

use super::*;
use chrono::DateTime;

pub(super) fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).single().expect("time")
}

pub(super) fn editor() -> AuditActor {
    AuditActor::user(UserId::generate(), "Trung uý Hoàng Văn Sơn")
}

pub(super) fn content(unit: UnitId, cat: CategoryId, vi: &str, fr: Option<&str>) -> ArticleContent {
    let mut t = vec![(l("vi"), ArticleTranslation::new(vi, "Tóm tắt", "Nội dung").expect("vi"))];
    if let Some(fr) = fr {
        t.push((l("fr"), ArticleTranslation::new(fr, "Résumé", "Texte").expect("fr")));
    }
    ArticleContent {
        slug: Slug::from_title(vi).expect("slug"),
        category_id: cat,
        unit_id: unit,
        translations: Translated::new(t),
        images: ArticleImages::default(),
    }
}

pub(super) fn step(t: Transition, window: Option<PublicationWindow>, version: i64) -> Step {
    Step { transition: t, window, expected_version: version }
}

async fn public_slugs(store: &Store, now: DateTime<Utc>) -> Vec<String> {
    let page = store.articles(Audience::public(now), ArticleQuery { first: 50, ..Default::default() }).await;
    page.expect("list").items.iter().map(|a| a.slug.to_string()).collect()
}

each_backend!(drafts_stay_hidden_until_their_scheduled_minute, |store| {
    let (_, post, _, other) = unit_tree(&store).await;
    let cat = category(&store, "luat", None, 0).await;
    let draft = store
        .create_article(content(post.id, cat.id, "Luật Biên phòng", Some("Loi")), false, editor())
        .await
        .expect("create");
    assert_eq!(
        (draft.slug.as_str(), draft.status, draft.version, draft.live),
        ("luat-bien-phong", ArticleStatus::Draft, 1, false)
    );

    let now = at(8, 0);
    assert!(public_slugs(&store, now).await.is_empty(), "a draft is not public");
    let public = Audience::public(now);
    assert!(store.article_by_slug(public.clone(), "luat-bien-phong".into()).await.expect("slug").is_none());
    assert!(store.articles_by_ids(public.clone(), vec![draft.id]).await.expect("ids").is_empty());
    let own = Audience::preview(now, vec![post.id]);
    assert_eq!(store.articles_by_ids(own, vec![draft.id]).await.expect("preview").len(), 1);
    let sibling = Audience::preview(now, vec![other.id]);
    assert!(store.articles_by_ids(sibling, vec![draft.id]).await.expect("other unit").is_empty());

    let submitted = store.article_step(draft.id, step(Transition::Submit, None, 1), editor()).await.expect("submit");
    assert_eq!((submitted.status, submitted.version), (ArticleStatus::InReview, 2));
    let window = PublicationWindow::new(at(9, 30), Some(at(18, 0))).expect("window");
    let scheduled =
        store.article_step(draft.id, step(Transition::Publish, Some(window), 2), editor()).await.expect("publish");
    assert_eq!((scheduled.status, scheduled.live, scheduled.published_at), (ArticleStatus::Published, true, at(9, 30)));

    assert!(public_slugs(&store, at(9, 29)).await.is_empty(), "not before 09:30");
    assert_eq!(public_slugs(&store, at(9, 30)).await, vec!["luat-bien-phong"], "online at 09:30 sharp");
    assert_eq!(public_slugs(&store, at(17, 59)).await, vec!["luat-bien-phong"]);
    assert!(public_slugs(&store, at(18, 0)).await.is_empty(), "offline again at 18:00");
});

each_backend!(an_edit_of_a_published_article_waits_for_review, |store| {
    let (_, post, _, _) = unit_tree(&store).await;
    let cat = category(&store, "luat", None, 0).await;
    let a = store.create_article(content(post.id, cat.id, "Quy chế khu vực biên giới", None), false, editor()).await;
    let a = a.expect("create");
    store.article_step(a.id, step(Transition::Submit, None, 1), editor()).await.expect("submit");
    let w = PublicationWindow::new(at(7, 0), None).expect("window");
    store.article_step(a.id, step(Transition::Publish, Some(w), 2), editor()).await.expect("publish");

    let edited = content(post.id, cat.id, "Quy chế khu vực biên giới (sửa đổi)", Some("Règlement"));
    let mut wanted = edited.clone();
    wanted.slug = a.slug.clone();
    let after = store.update_article(a.id, 3, wanted.clone(), editor()).await.expect("edit");
    assert_eq!((after.status, after.live, after.version), (ArticleStatus::Draft, true, 4));

    let now = at(8, 0);
    let public = store.articles_by_ids(Audience::public(now), vec![a.id]).await.expect("public").pop().expect("online");
    assert_eq!(public.translations.get(&l("vi")).map(|t| t.title.as_str()), Some("Quy chế khu vực biên giới"));
    assert!(public.translations.get(&l("fr")).is_none(), "the unpublished French text stays unpublished");
    let preview = Audience::preview(now, vec![post.id]);
    let seen = store.articles_by_ids(preview, vec![a.id]).await.expect("preview").pop().expect("in scope");
    assert_eq!(seen.translations.get(&l("fr")).map(|t| t.title.as_str()), Some("Règlement"));

    let stale = store.update_article(a.id, 3, wanted.clone(), editor()).await;
    assert!(matches!(stale, Err(StoreError::Stale { current: 4 })), "{stale:?}");

    store.article_step(a.id, step(Transition::Submit, None, 4), editor()).await.expect("submit edit");
    let w = PublicationWindow::new(at(8, 0), None).expect("window");
    store.article_step(a.id, step(Transition::Publish, Some(w), 5), editor()).await.expect("publish edit");
    let public = store.articles_by_ids(Audience::public(now), vec![a.id]).await.expect("public").pop().expect("online");
    assert_eq!(public.translations.get(&l("fr")).map(|t| t.title.as_str()), Some("Règlement"));

    let revisions = store.article_revisions(a.id).await.expect("revisions");
    assert_eq!(revisions.iter().map(|r| r.number).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(revisions[0].changes, vec!["title[vi]", "translation[fr] added"]);
    assert_eq!(revisions[0].author_name, "Trung uý Hoàng Văn Sơn");

    let restored = store.restore_revision(a.id, 1, 6, editor()).await.expect("restore");
    assert_eq!((restored.version, restored.status), (7, ArticleStatus::Draft));
    let revisions = store.article_revisions(a.id).await.expect("revisions");
    assert_eq!((revisions[0].number, revisions[0].restored_from), (3, Some(1)));
    assert_eq!(revisions[0].content.translations.locales().count(), 1, "revision 1 had only vi");

    let (entries, _) = store
        .audit_log(AuditQuery { target_id: Some(a.id.to_string()), first: 20, ..Default::default() })
        .await
        .expect("audit");
    let actions: Vec<&str> = entries.iter().map(|e| e.event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "article.restore_revision",
            "article.publish",
            "article.submit",
            "article.update",
            "article.publish",
            "article.submit",
            "article.create"
        ]
    );
});

each_backend!(workflow_steps_are_checked, |store| {
    let (_, post, _, _) = unit_tree(&store).await;
    let cat = category(&store, "luat", None, 0).await;
    let a = store.create_article(content(post.id, cat.id, "Thông báo", None), false, editor()).await.expect("a");
    let w = PublicationWindow::new(at(7, 0), None).expect("window");
    let skip = store.article_step(a.id, step(Transition::Publish, Some(w), 1), editor()).await;
    assert!(
        matches!(skip, Err(StoreError::Invalid(ref e)) if e.field == "status"),
        "draft cannot skip review: {skip:?}"
    );
    let twin = store.create_article(content(post.id, cat.id, "Thông báo", None), false, editor()).await.expect("twin");
    assert_eq!(twin.slug.as_str(), "thong-bao-2", "generated slugs stay unique");
    let taken = store.create_article(content(post.id, cat.id, "Thông báo", None), true, editor()).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "an explicit slug that is taken: {taken:?}");
    let archived = store.article_step(a.id, step(Transition::Archive, None, 1), editor()).await.expect("archive");
    let edit = store.update_article(a.id, archived.version, a.content(), editor()).await;
    assert!(matches!(edit, Err(StoreError::Invalid(ref e)) if e.field == "status"), "{edit:?}");
});

each_backend!(the_audit_log_cannot_be_rewritten, |store| {
    store
        .audit(
            AuditActor::system(),
            AuditEvent {
                action: "user.login_failed".into(),
                target_kind: "user".into(),
                target_id: None,
                unit_id: None,
                summary: "x".into(),
            },
        )
        .await
        .expect("append");
    use diesel::connection::SimpleConnection;
    let update = store.run(|c| Ok(c.batch_execute("UPDATE audit_log SET summary = 'y'")?)).await;
    assert!(update.is_err(), "update refused");
    let delete = store.run(|c| Ok(c.batch_execute("DELETE FROM audit_log")?)).await;
    assert!(delete.is_err(), "delete refused");
    let (entries, _) = store.audit_log(AuditQuery { first: 5, ..Default::default() }).await.expect("read");
    assert_eq!(entries.iter().map(|e| e.event.summary.as_str()).collect::<Vec<_>>(), ["x"]);
});

each_backend!(a_code_whose_article_is_not_public_scans_as_target_unavailable, |store| {
    let (_, post, ..) = unit_tree(&store).await;
    let cat = category(&store, "luat", None, 0).await;
    let house = place(&store, "house-1", post.id, PlaceKind::CulturalHouse).await;
    let draft = store.create_article(content(post.id, cat.id, "Luật Biên phòng", None), false, editor()).await;
    let draft = draft.expect("create");
    let code = QrCodeValue::parse("BX7K2M").expect("code");
    let new = NewQrCode { code, place: house.id, target: QrTarget::Article(draft.id), active: true, expires_at: None };
    store.save_qr_code(new).await.expect("code");
    let scan = || {
        let store = store.clone();
        async move {
            let s = store.record_scan("BX7K2M".into(), None).await.expect("scan");
            (s.event.outcome, s.target_slug.map(|t| t.to_string()))
        }
    };
    // A draft: the reader gets "not available", and the statistics say so.
    assert_eq!(scan().await, (ScanOutcome::TargetUnavailable, None));
    let submitted = store.article_step(draft.id, step(Transition::Submit, None, 1), editor()).await.expect("submit");
    let online = PublicationWindow::new(Utc::now() - chrono::Duration::minutes(1), None).expect("window");
    store
        .article_step(draft.id, step(Transition::Publish, Some(online), submitted.version), editor())
        .await
        .expect("publish");
    assert_eq!(scan().await, (ScanOutcome::Ok, Some("luat-bien-phong".to_owned())));
    assert_eq!(store.scan_count("BX7K2M".into(), Some(ScanOutcome::TargetUnavailable)).await.expect("count"), 1);
});
