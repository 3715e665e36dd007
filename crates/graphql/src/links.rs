//! Public URLs: what a QR symbol encodes, where a scan is sent, where the reader pages live. The
//! server's routes and the GraphQL fields that print URLs both come from here, so they cannot drift.

use frontier_domain::{Locale, MediaFile, QrCodeValue, QrTargetKind};

/// Placeholders a frontend URL template may use.
const PLACEHOLDERS: [&str; 5] = ["{locale}", "{slug}", "{kind}", "{type}", "{code}"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// Scheme, host and optional path prefix, without a trailing slash.
    base: String,
    /// The path part of `base` (`/portal`, or empty): prefixed to every link the pages print, for a
    /// portal served below a path by a reverse proxy that strips it.
    prefix: String,
    frontend: Option<String>,
}

/// The short path segment of each reader page kind (`/a/…` for articles).
pub fn kind_segment(kind: QrTargetKind) -> &'static str {
    match kind {
        QrTargetKind::Article => "a",
        QrTargetKind::Category => "c",
        QrTargetKind::Place => "p",
        QrTargetKind::Unit => "u",
    }
}

impl Links {
    /// `base` is `FRONTIER_PUBLIC_BASE_URL`; `frontend` is `FRONTIER_FRONTEND_URL`, a template such as
    /// `https://portal.example/{locale}/{kind}/{slug}`. A template without `{kind}` or `{type}` can only
    /// mean one kind of page, so it is used for article targets and the others keep the built-in pages.
    pub fn new(base: &str, frontend: Option<&str>) -> Result<Self, String> {
        let base = base.trim().trim_end_matches('/');
        check_http_url("public base URL", base)?;
        if base.contains(['?', '#']) {
            return Err(format!("public base URL `{base}` must not have a query or fragment"));
        }
        let frontend = match frontend.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(template) => {
                let mut rest = template.to_owned();
                for p in PLACEHOLDERS {
                    rest = rest.replace(p, "x");
                }
                if let Some(bad) = rest.find('{').or_else(|| rest.find('}')) {
                    return Err(format!(
                        "frontend URL template `{template}` has an unknown placeholder near position {bad}; \
                         use {}",
                        PLACEHOLDERS.join(", ")
                    ));
                }
                if !template.contains("{slug}") {
                    return Err(format!("frontend URL template `{template}` must contain {{slug}}"));
                }
                check_http_url("frontend URL template", &rest)?;
                Some(template.to_owned())
            }
        };
        let prefix = url::Url::parse(base).map(|u| u.path().trim_end_matches('/').to_owned()).unwrap_or_default();
        Ok(Self { base: base.to_owned(), prefix, frontend })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The path prefix of the public base URL (`/portal`), empty when the portal is at the root.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// What the QR symbol encodes: `HTTPS://HOST/prefix/Q/{code}`. Scheme and host are
    /// case-insensitive, and the server answers `/Q/` like `/q/`, so everything but the path prefix
    /// is written in upper case: the whole URL then fits QR's alphanumeric mode (5.5 bits a character
    /// instead of 8), which gives a smaller version and larger modules on the same poster. The prefix
    /// stays as configured: proxies match paths case-sensitively, and a lower-case prefix only costs
    /// its own byte-mode segment.
    pub fn scan_url(&self, code: &QrCodeValue) -> String {
        let (origin, prefix) = self.split_origin();
        format!("{}{prefix}/Q/{code}", origin.to_ascii_uppercase())
    }

    /// The scan address as people type it from a poster: `bien.example/q/{code}` (`https://` left
    /// out, since browsers try it first; `http://` kept, since they would not find it otherwise).
    pub fn typed_scan_url(&self, code: &QrCodeValue) -> String {
        let (origin, prefix) = self.split_origin();
        let origin = origin.to_ascii_lowercase();
        let origin = origin.strip_prefix("https://").unwrap_or(&origin);
        format!("{origin}{prefix}/q/{code}")
    }

    /// `base` cut into scheme and host (with port), and the path prefix exactly as configured
    /// (`prefix` is what the URL parser made of it).
    fn split_origin(&self) -> (&str, &str) {
        let after_scheme = self.base.find("://").map_or(0, |i| i + 3);
        let end = self.base[after_scheme..].find('/').map_or(self.base.len(), |i| after_scheme + i);
        self.base.split_at(end)
    }

    /// A unit's statistics as a file, as the server routes it: `/stats/{unit}/{file}` (`scans.csv`,
    /// `scans.svg`, `places.svg`).
    pub fn stats_path(unit: &str, file: &str) -> String {
        format!("/stats/{unit}/{file}")
    }

    /// `{base}/qr/{code}.{extension}` (png or svg).
    pub fn qr_image_url(&self, code: &QrCodeValue, extension: &str) -> String {
        format!("{}/qr/{code}.{extension}", self.base)
    }

    /// A stored image file, as a path: `/media/{sha256}.jpg`.
    pub fn media_path(file: &MediaFile) -> String {
        format!("/media/{}.{}", file.hash, file.format.extension())
    }

    /// A stored image file, absolute.
    pub fn media_url(&self, file: &MediaFile) -> String {
        format!("{}{}", self.base, Self::media_path(file))
    }

    /// The built-in reader page, as a path: `/a/{slug}`.
    pub fn reader_path(kind: QrTargetKind, slug: &str) -> String {
        format!("/{}/{slug}", kind_segment(kind))
    }

    /// The built-in reader page, absolute.
    pub fn reader_url(&self, kind: QrTargetKind, slug: &str) -> String {
        format!("{}{}", self.base, Self::reader_path(kind, slug))
    }

    /// Where a scan of `code` is sent: the frontend template when one is configured for this kind of
    /// target, else the built-in reader page. `locale` fills the template; `asked`, a language the
    /// scan's own URL named (`?lang=`), is passed on to the reader page, which otherwise goes by the
    /// phone's `Accept-Language` as the scan did.
    pub fn scan_redirect(
        &self,
        kind: QrTargetKind,
        slug: &str,
        locale: &Locale,
        code: &QrCodeValue,
        asked: Option<&Locale>,
    ) -> String {
        match &self.frontend {
            Some(t) if kind == QrTargetKind::Article || t.contains("{kind}") || t.contains("{type}") => t
                .replace("{locale}", locale.as_str())
                .replace("{slug}", slug)
                .replace("{kind}", kind_segment(kind))
                .replace("{type}", kind.as_str())
                .replace("{code}", code.as_str()),
            _ => match asked {
                Some(lang) => format!("{}?lang={}", self.reader_url(kind, slug), lang.as_str()),
                None => self.reader_url(kind, slug),
            },
        }
    }
}

fn check_http_url(what: &str, value: &str) -> Result<(), String> {
    let parsed = url::Url::parse(value).map_err(|e| format!("{what} `{value}` is not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!("{what} `{value}` must be an http:// or https:// URL with a host"));
    }
    // It ends up printed in QR codes: no secrets, nothing that would be silently re-encoded.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!("{what} `{value}` must not contain a user name or password"));
    }
    if !value.is_ascii() || value.contains(char::is_whitespace) {
        return Err(format!("{what} `{value}` must be plain ASCII without spaces"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> QrCodeValue {
        QrCodeValue::parse("BX7K2M").expect("code")
    }

    #[test]
    fn base_url_is_validated_and_trimmed() {
        let links = Links::new("https://bien.example/portal/", None).expect("ok");
        assert_eq!(links.prefix(), "/portal");
        assert_eq!(Links::new("http://h:8080", None).expect("ok").prefix(), "");
        assert_eq!(links.scan_url(&code()), "HTTPS://BIEN.EXAMPLE/portal/Q/BX7K2M");
        assert_eq!(links.typed_scan_url(&code()), "bien.example/portal/q/BX7K2M");
        assert_eq!(links.qr_image_url(&code(), "png"), "https://bien.example/portal/qr/BX7K2M.png");
        assert_eq!(links.reader_url(QrTargetKind::Place, "nha-van-hoa"), "https://bien.example/portal/p/nha-van-hoa");
        for bad in [
            "",
            "bien.example",
            "ftp://bien.example",
            "https://",
            "http://h/?x=1",
            "http://h/#top",
            "http://u:p@h",
            "http://h/biên cương",
        ] {
            assert!(Links::new(bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn scans_redirect_through_the_template_when_it_fits() {
        let vi = Locale::parse("vi").expect("vi");
        let generic = Links::new("http://127.0.0.1:8080", Some("https://portal.example/{locale}/{kind}/{slug}"));
        let generic = generic.expect("ok");
        assert_eq!(
            generic.scan_redirect(QrTargetKind::Category, "tin-tuc", &vi, &code(), None),
            "https://portal.example/vi/c/tin-tuc"
        );
        let articles_only = Links::new("http://h", Some("https://portal.example/{locale}/a/{slug}?from={code}"));
        let articles_only = articles_only.expect("ok");
        assert_eq!(
            articles_only.scan_redirect(QrTargetKind::Article, "luat", &vi, &code(), None),
            "https://portal.example/vi/a/luat?from=BX7K2M"
        );
        assert_eq!(articles_only.scan_redirect(QrTargetKind::Place, "nha", &vi, &code(), None), "http://h/p/nha");
        let fr = Locale::parse("fr").expect("fr");
        assert_eq!(
            articles_only.scan_redirect(QrTargetKind::Place, "nha", &fr, &code(), Some(&fr)),
            "http://h/p/nha?lang=fr",
            "a language the scan URL named is passed on to the reader page"
        );
        let none = Links::new("http://h/portal", None).expect("ok");
        assert_eq!(none.scan_redirect(QrTargetKind::Unit, "don", &vi, &code(), None), "http://h/portal/u/don");
    }

    #[test]
    fn templates_are_validated() {
        for bad in ["https://p.example/{lang}/{slug}", "https://p.example/a/", "portal/{slug}", "https://p/{slug"] {
            assert!(Links::new("http://h", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_symbol_url_is_upper_case_but_for_the_prefix() {
        let cases = [
            ("http://127.0.0.1:8080", "HTTP://127.0.0.1:8080/Q/BX7K2M", "http://127.0.0.1:8080/q/BX7K2M"),
            (
                "https://bienphong.langson.gov.vn/",
                "HTTPS://BIENPHONG.LANGSON.GOV.VN/Q/BX7K2M",
                "bienphong.langson.gov.vn/q/BX7K2M",
            ),
            (
                "https://Bien.Example/Lang-Son/",
                "HTTPS://BIEN.EXAMPLE/Lang-Son/Q/BX7K2M",
                "bien.example/Lang-Son/q/BX7K2M",
            ),
            ("http://[::1]:8080", "HTTP://[::1]:8080/Q/BX7K2M", "http://[::1]:8080/q/BX7K2M"),
        ];
        for (base, symbol, typed) in cases {
            let links = Links::new(base, None).expect(base);
            assert_eq!(links.scan_url(&code()), symbol, "{base}");
            assert_eq!(links.typed_scan_url(&code()), typed, "{base}");
        }
    }
}
