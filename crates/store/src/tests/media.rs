//! Images through the store: saving processed uploads, texts, article images through the workflow and
//! its revisions, place galleries in batches, and the audit entries of each change.

use super::workflow::{at, content, editor, step};
use super::*;

fn file(width: u32, seed: u32) -> MediaFile {
    MediaFile {
        width,
        height: width * 3 / 4,
        hash: format!("{seed:064x}"),
        format: ImageFormat::Jpeg,
        bytes: u64::from(width) * 10,
    }
}

fn texts(vi: &str, en: Option<&str>) -> Translated<MediaText> {
    let mut t = vec![(l("vi"), MediaText::new(vi, Some("Chú thích")).expect("vi"))];
    if let Some(en) = en {
        t.push((l("en"), MediaText::new(en, None).expect("en")));
    }
    Translated::new(t)
}

fn upload(unit: UnitId, seed: u32) -> NewMedia {
    NewMedia {
        unit,
        kind: MediaKind::Jpeg,
        master: file(1600, seed),
        renditions: vec![file(320, seed + 1), file(640, seed + 2), file(1280, seed + 3)],
        texts: texts("Nhà văn hóa thôn Nà Pàn", Some("Na Pan village cultural house")),
        created_by: None,
    }
}

async fn actions(store: &Store, target: String) -> Vec<String> {
    let q = AuditQuery { target_id: Some(target), first: 20, ..Default::default() };
    let (entries, _) = store.audit_log(q).await.expect("audit");
    entries.into_iter().map(|e| e.event.action).collect()
}

each_backend!(uploads_are_saved_with_their_texts_and_audited, |store| {
    let (_, post, _, _) = unit_tree(&store).await;
    let saved = store.save_media(upload(post.id, 100), editor()).await.expect("save");
    assert_eq!((saved.master.width, saved.master.height), (1600, 1200));
    assert_eq!(saved.renditions.iter().map(|f| f.width).collect::<Vec<_>>(), vec![320, 640, 1280]);
    assert_eq!(saved.master.hash, format!("{:064x}", 100));
    assert_eq!(saved.texts.get(&l("en")).map(|t| t.alt.as_str()), Some("Na Pan village cultural house"));
    assert_eq!(saved.texts.get(&l("vi")).and_then(|t| t.caption.as_deref()), Some("Chú thích"));
    let read = store.media_by_ids(vec![saved.id, MediaId::generate()]).await.expect("read");
    assert_eq!(read, vec![saved.clone()], "unknown ids are left out");
    assert_eq!(actions(&store, saved.id.to_string()).await, ["media.upload"]);

    let mut no_vi = upload(post.id, 200);
    no_vi.texts = Translated::new([(l("en"), MediaText::new("House", None).expect("en"))]);
    let refused = store.save_media(no_vi, editor()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.field == "alt"), "{refused:?}");
    let orphan = store.save_media(upload(UnitId::generate(), 300), editor()).await;
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");

    let changed = store.set_media_texts(saved.id, texts("Sân nhà văn hóa", None), editor()).await.expect("texts");
    assert_eq!(changed.texts.locales().map(ToString::to_string).collect::<Vec<_>>(), ["vi"]);
    assert_eq!(changed.texts.get(&l("vi")).map(|t| t.alt.as_str()), Some("Sân nhà văn hóa"));
    assert_eq!(actions(&store, saved.id.to_string()).await, ["media.set_texts", "media.upload"]);
    let missing = store.set_media_texts(MediaId::generate(), texts("x", None), editor()).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))), "{missing:?}");
});

each_backend!(article_images_are_content_with_revisions_and_review, |store| {
    let (_, post, _, _) = unit_tree(&store).await;
    let cat = category(&store, "luat", None, 0).await;
    let [a, b, c] = [100, 200, 300].map(|seed| upload(post.id, seed));
    let (a, b, c) = (
        store.save_media(a, editor()).await.expect("a"),
        store.save_media(b, editor()).await.expect("b"),
        store.save_media(c, editor()).await.expect("c"),
    );
    let draft = store.create_article(content(post.id, cat.id, "Luật Biên phòng", None), false, editor()).await;
    let draft = draft.expect("create");
    assert_eq!(draft.images, ArticleImages::default());

    let first = ArticleImages::new(Some(a.id), vec![b.id, c.id]).expect("images");
    let with_images = store.set_article_images(draft.id, 1, first.clone(), editor()).await.expect("set");
    assert_eq!((with_images.version, &with_images.images), (2, &first), "a draft's row holds its images at once");
    let stale = store.set_article_images(draft.id, 1, ArticleImages::default(), editor()).await;
    assert!(matches!(stale, Err(StoreError::Stale { current: 2 })), "{stale:?}");
    let unknown = ArticleImages::new(None, vec![MediaId::generate()]).expect("images");
    let refused = store.set_article_images(draft.id, 2, unknown, editor()).await;
    assert!(matches!(refused, Err(StoreError::NotFound(ref what)) if what.starts_with("image")), "{refused:?}");
    let twice = ArticleImages { cover: Some(a.id), gallery: vec![a.id] };
    let refused = store.set_article_images(draft.id, 2, twice, editor()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.field == "gallery"), "{refused:?}");

    store.article_step(draft.id, step(Transition::Submit, None, 2), editor()).await.expect("submit");
    let w = PublicationWindow::new(at(7, 0), None).expect("window");
    store.article_step(draft.id, step(Transition::Publish, Some(w), 3), editor()).await.expect("publish");
    let now = at(8, 0);
    let public = |store: Store| async move {
        store.articles_by_ids(Audience::public(now), vec![draft.id]).await.expect("public").pop().expect("online")
    };
    assert_eq!(public(store.clone()).await.images, first);

    // A published article keeps its published images until the change is published too.
    let second = ArticleImages::new(None, vec![c.id]).expect("images");
    store.set_article_images(draft.id, 4, second.clone(), editor()).await.expect("edit images");
    assert_eq!(public(store.clone()).await.images, first, "readers still see the published images");
    let preview = Audience::preview(now, vec![post.id]);
    let seen = store.articles_by_ids(preview, vec![draft.id]).await.expect("preview").pop().expect("in scope");
    assert_eq!(seen.images, second, "editors preview the new ones");

    let revisions = store.article_revisions(draft.id).await.expect("revisions");
    assert_eq!(revisions[0].changes, ["cover", "gallery"]);
    assert_eq!(revisions[0].content.images, second);
    assert_eq!(revisions[1].content.images, first);
    assert_eq!(revisions[2].content.images, ArticleImages::default(), "the first save had none");

    store.restore_revision(draft.id, 2, 5, editor()).await.expect("restore");
    let (_, head) = store.article_for_editing(draft.id).await.expect("read").expect("exists");
    assert_eq!(head.images, first, "restoring a revision restores its images");
    let actions = actions(&store, draft.id.to_string()).await;
    assert_eq!(actions[..2], ["article.restore_revision", "article.update"]);
});

each_backend!(place_galleries_load_in_order_for_many_places, |store| {
    let (_, post, _, _) = unit_tree(&store).await;
    let place = |s: &str| NewPlace {
        slug: slug(s),
        kind: PlaceKind::CulturalHouse,
        unit: post.id,
        commune: None,
        village: None,
        location: None,
        texts: names(s, None),
    };
    let p = store.save_place(place("nha-van-hoa-na-pan")).await.expect("p");
    let q = store.save_place(place("nha-van-hoa-ban-lang")).await.expect("q");
    let empty = store.save_place(place("tru-so-xa")).await.expect("empty");
    let mut images = Vec::new();
    for seed in [100, 200, 300] {
        images.push(store.save_media(upload(post.id, seed), editor()).await.expect("image").id);
    }
    store.set_place_gallery(p.id, vec![images[2], images[0]], editor()).await.expect("p gallery");
    store.set_place_gallery(q.id, vec![images[0]], editor()).await.expect("q gallery");

    let all = store.place_galleries(vec![p.id, q.id, empty.id]).await.expect("galleries");
    let pairs: Vec<(PlaceId, MediaId)> = all.iter().map(|(place, m)| (*place, m.id)).collect();
    let mut want = vec![(p.id, images[2]), (p.id, images[0]), (q.id, images[0])];
    want.sort_by_key(|(place, _)| *place);
    let mut got = pairs.clone();
    got.sort_by_key(|(place, _)| *place);
    assert_eq!(got, want, "one image may hang in two galleries");
    let p_order: Vec<MediaId> = pairs.iter().filter(|(place, _)| *place == p.id).map(|(_, m)| *m).collect();
    assert_eq!(p_order, vec![images[2], images[0]], "in the order given");

    store.set_place_gallery(p.id, vec![images[1]], editor()).await.expect("replace");
    let p_now = store.place_galleries(vec![p.id]).await.expect("p");
    assert_eq!(p_now.iter().map(|(_, m)| m.id).collect::<Vec<_>>(), vec![images[1]]);

    let twice = store.set_place_gallery(p.id, vec![images[1], images[1]], editor()).await;
    assert!(matches!(twice, Err(StoreError::Invalid(ref e)) if e.field == "images"), "{twice:?}");
    let unknown = store.set_place_gallery(p.id, vec![MediaId::generate()], editor()).await;
    assert!(matches!(unknown, Err(StoreError::NotFound(_))), "{unknown:?}");
    let nowhere = store.set_place_gallery(PlaceId::generate(), vec![], editor()).await;
    assert!(matches!(nowhere, Err(StoreError::NotFound(_))), "{nowhere:?}");
    let p_after = store.place_galleries(vec![p.id]).await.expect("p");
    assert_eq!(p_after.len(), 1, "refused changes left the gallery as it was");
    assert_eq!(actions(&store, p.id.to_string()).await, ["place.set_gallery"; 2]);
});
