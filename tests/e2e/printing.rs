//! Posters and label sheets as a printer would get them: the PDF rendered by poppler (`pdftoppm`)
//! and every symbol on the page decoded by zbarimg; the text read back with `pdftotext`.

use crate::demo::{HOUSE_CODE, content, unit_subtree};
use crate::harness::{Server, assert_one_line_failure, client, e2e, run_cli};
use crate::qr_images::symbol_url;
use crate::tools::{pdf_pages, pdf_text, rasterise_svg, rqrr_all, zbar, zbar_file};
use frontier_domain::AuditActor;
use std::collections::BTreeSet;

const POST: &str = "don-bien-phong-bac-xa";

async fn fetch(server: &Server, path: &str, mime: &str) -> Vec<u8> {
    let r = client().get(server.url(path)).send().await.expect("request");
    assert_eq!(r.status(), 200, "{path}");
    assert_eq!(r.headers()["content-type"], mime, "{path}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    r.bytes().await.expect("body").to_vec()
}

e2e!(poster_pdfs_render_and_their_symbol_scans, |server| {
    // pdftoppm at 150 dpi: A4 (210 × 297 mm) is about 1240 × 1754 pixels, A5 (148 × 210 mm) 874 × 1240.
    for (query, (w, h)) in [("", (210.0, 297.0)), ("?paper=a4", (210.0, 297.0)), ("?paper=A5", (148.0, 210.0))] {
        let pdf = fetch(&server, &format!("/qr/{HOUSE_CODE}/poster.pdf{query}"), "application/pdf").await;
        let dir = tempfile::tempdir().expect("dir");
        let pages = pdf_pages(&pdf, 150, dir.path());
        assert_eq!(pages.len(), 1, "{query}: one page");
        let img = image::open(&pages[0]).expect("page image").to_luma8();
        let px = |mm: f64| mm / 25.4 * 150.0;
        let near = |got: u32, mm: f64| (f64::from(got) - px(mm)).abs() <= 1.0;
        assert!(near(img.width(), w) && near(img.height(), h), "{query}: {}×{} px", img.width(), img.height());
        assert_eq!(zbar_file(&pages[0]), [symbol_url(&server, HOUSE_CODE)], "{query}");
    }
});

e2e!(poster_text_is_real_text_with_its_diacritics, |server| {
    let text = pdf_text(&fetch(&server, &format!("/qr/{HOUSE_CODE}/poster.pdf"), "application/pdf").await);
    let typed = format!("{}/q/{HOUSE_CODE}", server.base);
    for needle in [
        "Nhà văn hóa thôn Nà Pàn",
        "Nà Pàn Cultural House",
        "Maison de la culture de Nà Pàn",
        HOUSE_CODE,
        typed.as_str(),
        "Quét mã này để đọc thông tin của Bộ đội Biên phòng",
        "Scan this code to read information from the Border Guard",
        "Scannez ce code pour lire les informations des gardes-frontières",
        "Trạm Biên phòng số 1 – Bắc Xa",
        "Đường dây nóng / Hotline / Permanence: 0205 000 0000",
    ] {
        assert!(text.contains(needle), "`{needle}` missing from:\n{text}");
    }
    let vi = text.find("Quét mã").expect("vi");
    assert!(vi < text.find("Scan this").expect("en"), "Vietnamese first");
});

e2e!(poster_languages_follow_the_configuration, env = &[("FRONTIER_POSTER_LANGUAGES", "fr")], |server| {
    let text = pdf_text(&fetch(&server, &format!("/qr/{HOUSE_CODE}/poster.pdf?paper=a5"), "application/pdf").await);
    assert!(text.contains("Quét mã này") && text.contains("Scannez ce code"), "{text}");
    assert!(!text.contains("Scan this code") && !text.contains("Cultural House"), "{text}");
});

#[test]
fn unprintable_poster_languages_stop_the_server() {
    let db = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", db.path().join("f.db").display());
    for (langs, needle) in [("vi,zh", "`zh` cannot be printed"), ("vi,de", "`de` has no translation")] {
        let env = [
            ("FRONTIER_POSTER_LANGUAGES", langs),
            ("FRONTIER_DATABASE_URL", url.as_str()),
            ("FRONTIER_BIND", "127.0.0.1:0"),
        ];
        let out = run_cli(&["serve"], &env);
        assert_one_line_failure(&out, "FRONTIER_POSTER_LANGUAGES");
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle), "{langs}");
    }
}

e2e!(poster_svg_is_standalone_and_scans, |server| {
    let svg = fetch(&server, &format!("/qr/{HOUSE_CODE}/poster.svg?paper=a5"), "image/svg+xml").await;
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(svg.starts_with("<?xml") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("width=\"148.0mm\" height=\"210.0mm\""), "A5");
    assert!(svg.contains("Quét mã này để đọc thông tin của Bộ đội Biên phòng"));
    let raster = rasterise_svg(&svg);
    assert_eq!(zbar(&raster), [symbol_url(&server, HOUSE_CODE)]);
    let img = image::load_from_memory(&raster).expect("png").to_luma8();
    assert_eq!(rqrr_all(img).into_iter().map(|(_, t)| t).collect::<Vec<_>>(), [symbol_url(&server, HOUSE_CODE)]);
});

e2e!(posters_are_revalidated_with_an_etag, |server| {
    let path = server.url(&format!("/qr/{HOUSE_CODE}/poster.pdf"));
    let r = client().get(&path).send().await.expect("get");
    assert_eq!(r.headers()["cache-control"], "public, no-cache");
    let etag = r.headers()["etag"].to_str().expect("etag").to_owned();
    let again = client().get(&path).header("if-none-match", &etag).send().await.expect("revalidate");
    assert_eq!(again.status(), 304);
});

e2e!(printing_refuses_what_does_not_exist, |server| {
    for path in [
        "/qr/ZZZZZZ/poster.pdf",
        "/qr/not-a-code/poster.svg",
        "/qr/K4PVHZ/poster.png",
        "/qr/K4PVHZ/flyer.pdf",
        "/units/no-such-unit/qr-sheet.pdf",
    ] {
        let r = client().get(server.url(path)).send().await.expect("request");
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = client().get(server.url(&format!("/qr/{HOUSE_CODE}/poster.pdf?paper=letter"))).send().await.expect("req");
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.expect("text"), "paper must be a4 or a5\n");
});

e2e!(unit_sheet_holds_every_active_code_of_the_unit_and_below, |server| {
    let store = server.store().await;
    // One code switched off, one archived, one expired: none belongs on the tour's sheet.
    let units = unit_subtree(POST);
    let mine: Vec<_> = content()
        .qr_codes
        .iter()
        .filter(|q| {
            let place = content().places.iter().find(|p| p.slug == q.place).expect("place of code");
            units.contains(place.unit.as_str())
        })
        .map(|q| q.code.to_string())
        .collect();
    let (off, archived) = (mine[1].clone(), mine[2].clone());
    let code = |c: &str| frontier_domain::QrCodeValue::parse(c).expect("code");
    let q = store.qr_code_by_code_any(code(&off)).await.expect("read").expect("exists");
    let new = frontier_store::NewQrCode {
        code: q.code.clone(),
        place: q.place_id,
        target: q.target,
        active: false,
        expires_at: None,
    };
    store.save_qr_code(new).await.expect("switch off");
    let q = store.qr_code_by_code_any(code(&archived)).await.expect("read").expect("exists");
    let place = store.place_for_editing(q.place_id).await.expect("read").expect("place");
    store.set_qr_code_archived(q.id, q.version, true, place.unit_id, AuditActor::system()).await.expect("archive");
    // And one past its date: a scan would only say "expired".
    let expired = mine[3].clone();
    let q = store.qr_code_by_code_any(code(&expired)).await.expect("read").expect("exists");
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let new = frontier_store::NewQrCode {
        code: q.code.clone(),
        place: q.place_id,
        target: q.target,
        active: true,
        expires_at: Some(yesterday),
    };
    store.save_qr_code(new).await.expect("expire");

    let left_out = [&off, &archived, &expired];
    let want: BTreeSet<String> =
        mine.iter().filter(|c| !left_out.contains(c)).map(|c| symbol_url(&server, c)).collect();
    assert_eq!(want.len(), mine.len() - 3);

    let pdf = fetch(&server, &format!("/units/{POST}/qr-sheet.pdf"), "application/pdf").await;
    let dir = tempfile::tempdir().expect("dir");
    let pages = pdf_pages(&pdf, 150, dir.path());
    assert_eq!(pages.len(), want.len().div_ceil(8), "8 labels a page");
    let mut found = Vec::new();
    for page in &pages {
        found.extend(zbar_file(page));
    }
    let found_set: BTreeSet<String> = found.iter().cloned().collect();
    assert_eq!(found.len(), found_set.len(), "each code once");
    let (missing, extra): (Vec<_>, Vec<_>) =
        (want.difference(&found_set).collect(), found_set.difference(&want).collect());
    assert!(
        missing.is_empty() && extra.is_empty(),
        "exactly the active codes of {POST} and its stations: {missing:?} not found, {extra:?} not wanted, in {} pages",
        pages.len()
    );

    let text = pdf_text(&pdf);
    assert!(text.contains(&format!("Mã QR của Đồn Biên phòng Bắc Xa · {} mã · Trang 1/", want.len())), "{text}");
    assert!(text.contains("Nhà văn hóa thôn Nà Pàn") && text.contains(HOUSE_CODE), "{text}");

    // A station's sheet holds only its own codes.
    let station = fetch(&server, "/units/tram-bac-xa-2/qr-sheet.pdf", "application/pdf").await;
    let dir = tempfile::tempdir().expect("dir");
    let mut station_codes = BTreeSet::new();
    for page in pdf_pages(&station, 150, dir.path()) {
        station_codes.extend(zbar_file(&page));
    }
    let expected: BTreeSet<String> = content()
        .qr_codes
        .iter()
        .filter(|q| content().places.iter().any(|p| p.slug == q.place && p.unit.as_str() == "tram-bac-xa-2"))
        .map(|q| q.code.to_string())
        .filter(|c| *c != off && *c != archived)
        .map(|c| symbol_url(&server, &c))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(station_codes, expected);
});

e2e!(a_failing_store_answers_503_not_500, |server| {
    server.db.execute("ALTER TABLE qr_codes RENAME TO qr_codes_away");
    for path in
        [format!("/qr/{HOUSE_CODE}.png"), format!("/qr/{HOUSE_CODE}/poster.pdf"), format!("/units/{POST}/qr-sheet.pdf")]
    {
        let r = client().get(server.url(&path)).send().await.expect("request");
        assert_eq!(r.status(), 503, "{path}");
    }
});
