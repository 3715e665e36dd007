//! `/qr/{code}.png|svg` decode, with zbarimg and with rqrr, to the code's scan URL, at every error
//! correction level and at the smallest size; parameters are checked and caching works.

use crate::demo::HOUSE_CODE;
use crate::harness::{Server, client, e2e};
use crate::tools::{rasterise_svg, rqrr_all, zbar};

/// What the symbol must hold: the upper-case form of the scan URL.
pub fn symbol_url(server: &Server, code: &str) -> String {
    format!("{}/Q/{code}", server.base.to_ascii_uppercase())
}

async fn get(server: &Server, path: &str) -> reqwest::Response {
    client().get(server.url(path)).send().await.expect("request")
}

e2e!(every_level_decodes_at_the_smallest_size_in_both_formats, |server| {
    let want = symbol_url(&server, HOUSE_CODE);
    for ecc in ["L", "M", "Q", "H"] {
        let png = get(&server, &format!("/qr/{HOUSE_CODE}.png?size=64&ecc={ecc}")).await;
        assert_eq!(png.status(), 200, "{ecc}");
        assert_eq!(png.headers()["content-type"], "image/png");
        assert_eq!(png.headers()["x-content-type-options"], "nosniff");
        let bytes = png.bytes().await.expect("bytes");
        let img = image::load_from_memory(&bytes).expect("a PNG").to_luma8();
        assert!(img.width() >= 64 && img.width() < 128, "{ecc}: {} px", img.width());
        assert_eq!(zbar(&bytes), std::slice::from_ref(&want), "zbarimg, {ecc} png");
        let found = rqrr_all(img);
        assert_eq!(found.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(), [want.as_str()], "rqrr, {ecc} png");

        let svg = get(&server, &format!("/qr/{HOUSE_CODE}.svg?size=64&ecc={}", ecc.to_lowercase())).await;
        assert_eq!(svg.status(), 200, "{ecc}");
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        let raster = rasterise_svg(&svg.text().await.expect("svg"));
        assert_eq!(zbar(&raster), std::slice::from_ref(&want), "zbarimg, {ecc} svg");
        let img = image::load_from_memory(&raster).expect("png").to_luma8();
        assert_eq!(
            rqrr_all(img).into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
            std::slice::from_ref(&want),
            "rqrr, {ecc} svg"
        );
    }
});

e2e!(quiet_zone_is_four_modules_unless_asked_otherwise, |server| {
    // rqrr reads symbols without any quiet zone, so the margin is measured in the pixels.
    for (query, margin) in [("", 4), ("?margin=0", 0), ("?margin=2", 2), ("?margin=10", 10)] {
        let bytes = get(&server, &format!("/qr/{HOUSE_CODE}.png{query}")).await.bytes().await.expect("bytes");
        let img = image::load_from_memory(&bytes).expect("a PNG").to_luma8();
        let version = rqrr_all(img.clone())[0].0;
        let modules = 17 + 4 * version as u32 + 2 * margin;
        assert_eq!(img.width() % modules, 0, "{query}: whole pixels per module");
        let scale = img.width() / modules;
        let first = margin * scale;
        assert!(img.get_pixel(first, first).0[0] < 128, "{query}: finder corner is dark");
        assert!((0..img.width()).all(|x| (0..first).all(|y| img.get_pixel(x, y).0[0] > 128)), "{query}: top margin");
        if margin == 4 {
            assert_eq!(zbar(&bytes), [symbol_url(&server, HOUSE_CODE)]);
        }
    }
});

e2e!(colours_are_drawn_and_poor_contrast_refused, |server| {
    let r = get(&server, &format!("/qr/{HOUSE_CODE}.png?dark=%231d3557&light=FFF8E7&ecc=q")).await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.expect("bytes");
    let rgb = image::load_from_memory(&bytes).expect("png").to_rgb8();
    assert_eq!(rgb.get_pixel(0, 0).0, [0xff, 0xf8, 0xe7], "light colour in the quiet zone");
    assert_eq!(zbar(&bytes), [symbol_url(&server, HOUSE_CODE)], "navy on cream still reads");
    let svg = get(&server, &format!("/qr/{HOUSE_CODE}.svg?dark=1d3557")).await.text().await.expect("svg");
    assert!(svg.contains("fill=\"#1d3557\""), "{svg}");

    let refused = [
        ("dark=999999", "dark and light: dark #999999 on light #ffffff has a contrast of 2.84:1"),
        ("dark=000&light=888", "dark and light: dark #000000 on light #888888"),
        ("dark=ffffff&light=000000", "dark and light: dark #ffffff is lighter than light #000000"),
    ];
    for (query, message) in refused {
        let r = get(&server, &format!("/qr/{HOUSE_CODE}.svg?{query}")).await;
        assert_eq!(r.status(), 400, "{query}");
        let text = r.text().await.expect("text");
        assert!(text.starts_with(message), "{query}: {text}");
    }
});

e2e!(bad_parameters_are_refused_by_name, |server| {
    let cases = [
        ("size=1", "size must be a number of pixels from 64 to 4096"),
        ("size=100000", "size must be"),
        ("size=abc", "size must be"),
        ("size=-5", "size must be"),
        ("margin=-1", "margin must be a whole number of modules from 0 to 16"),
        ("margin=99", "margin must be"),
        ("ecc=X", "ecc must be L, M, Q or H"),
        ("dark=black", "dark must be a hex colour"),
        ("light=%23ffff", "light must be a hex colour"),
        ("ecc=L&ecc=H", "ecc is given more than once"),
    ];
    for (query, message) in cases {
        let r = get(&server, &format!("/qr/{HOUSE_CODE}.png?{query}")).await;
        assert_eq!(r.status(), 400, "{query}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let text = r.text().await.expect("text");
        assert!(text.starts_with(message), "{query}: {text}");
    }
});

e2e!(images_are_cached_with_a_strong_etag, |server| {
    let path = format!("/qr/{HOUSE_CODE}.png?size=128&ecc=H");
    let first = get(&server, &path).await;
    assert_eq!(first.headers()["cache-control"], "public, max-age=86400");
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"), "strong: {etag}");
    let body = first.bytes().await.expect("bytes");
    assert_eq!(get(&server, &path).await.headers()["etag"], etag.as_str(), "same parameters, same tag");

    for header in [etag.clone(), format!("\"x\", W/{etag}"), "*".to_owned()] {
        let r = client().get(server.url(&path)).header("if-none-match", &header).send().await.expect("revalidate");
        assert_eq!(r.status(), 304, "{header}");
        assert_eq!(r.headers()["etag"], etag.as_str());
        assert!(r.bytes().await.expect("body").is_empty());
    }
    let stale = client().get(server.url(&path)).header("if-none-match", "\"old\"").send().await.expect("get");
    assert_eq!(stale.status(), 200);
    assert_eq!(stale.bytes().await.expect("bytes"), body);

    // Every parameter, the format and the code change the tag.
    let mut tags = std::collections::HashSet::from([etag]);
    for other in [
        format!("/qr/{HOUSE_CODE}.png?size=129&ecc=H"),
        format!("/qr/{HOUSE_CODE}.png?size=128&ecc=Q"),
        format!("/qr/{HOUSE_CODE}.png?size=128&ecc=H&margin=3"),
        format!("/qr/{HOUSE_CODE}.png?size=128&ecc=H&dark=123"),
        format!("/qr/{HOUSE_CODE}.png?size=128&ecc=H&light=eee"),
        format!("/qr/{HOUSE_CODE}.svg?size=128&ecc=H"),
        "/qr/PGWMZT.png?size=128&ecc=H".to_owned(),
    ] {
        let r = get(&server, &other).await;
        assert_eq!(r.status(), 200, "{other}");
        assert!(tags.insert(r.headers()["etag"].to_str().expect("etag").to_owned()), "{other} has its own tag");
    }
});

e2e!(images_exist_only_for_known_codes, |server| {
    for path in ["/qr/ZZZZZZ.png", "/qr/K4PVHZ.gif", "/qr/not-a-code.svg", "/qr/K4PVHZ", "/qr/..%2F..%2Fetc.png"] {
        let r = get(&server, path).await;
        assert_eq!(r.status(), 404, "{path}");
    }
    let lower = get(&server, &format!("/qr/{}.png", HOUSE_CODE.to_lowercase())).await;
    assert_eq!(lower.status(), 200, "codes are case-insensitive");
});
