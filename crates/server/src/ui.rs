//! The reader pages' own words (not content) in each interface language.

use frontier_domain::{LocaleChain, PlaceKind};

pub struct Ui {
    pub lang: &'static str,
    pub portal: &'static str,
    pub tagline: &'static str,
    pub home: &'static str,
    /// The way on from a message page (the footer already has `home`).
    pub go_home: &'static str,
    pub categories: &'static str,
    pub latest: &'static str,
    pub published: &'static str,
    pub language: &'static str,
    pub subcategories: &'static str,
    pub no_articles: &'static str,
    pub units_below: &'static str,
    /// With its colon as the language writes it (French: a narrow no-break space before it).
    pub contact: &'static str,
    pub call: &'static str,
    /// "{wanted}" and "{shown}" are replaced by language names.
    pub not_translated: &'static str,
    /// The same, for a language the interface has no name for: "{shown}" only.
    pub not_translated_other: &'static str,
    /// The names of vi, en, fr, zh in this interface language.
    pub language_names: [&'static str; 4],
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    /// Banner of a preview link: what is shown is not public yet.
    pub preview_notice: &'static str,
    pub preview_expired: &'static str,
    pub unknown_code_title: &'static str,
    pub unknown_code_text: &'static str,
    pub inactive_code_title: &'static str,
    pub inactive_code_text: &'static str,
    pub expired_code_title: &'static str,
    pub expired_code_text: &'static str,
    pub error_title: &'static str,
    pub error_text: &'static str,
    pub place_kinds: [&'static str; 6],
}

const VI: Ui = Ui {
    lang: "vi",
    portal: "Thông tin biên cương số",
    tagline: "Pháp luật, an ninh và văn hóa vùng biên — ngắn gọn, rõ ràng.",
    home: "Trang chủ",
    go_home: "Về trang chủ",
    categories: "Chuyên mục",
    latest: "Bài mới",
    published: "Đăng ngày",
    language: "Ngôn ngữ",
    subcategories: "Mục con",
    no_articles: "Chưa có bài viết.",
    units_below: "Đơn vị trực thuộc",
    contact: "Liên hệ:",
    call: "Gọi",
    not_translated: "Nội dung này chưa có bản {wanted}; đang hiển thị bản {shown}.",
    not_translated_other: "Nội dung này chưa có bằng ngôn ngữ bạn chọn; đang hiển thị bản {shown}.",
    language_names: ["tiếng Việt", "tiếng Anh", "tiếng Pháp", "tiếng Trung"],
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Trang bạn tìm không có hoặc đã được chuyển đi.",
    preview_notice: "Bản xem trước: nội dung này chưa được công bố, đừng chia sẻ đường liên kết.",
    preview_expired: "Đường liên kết xem trước này đã hết hạn hoặc không hợp lệ.",
    unknown_code_title: "Mã QR không đúng",
    unknown_code_text: "Mã này không có trong hệ thống. Mã gồm 6 đến 8 ký tự và không bao giờ có chữ O, I, L hay số 0, 1. Hãy quét lại, hoặc hỏi cán bộ Biên phòng gần nhất.",
    inactive_code_title: "Mã QR đã ngừng sử dụng",
    inactive_code_text: "Mã này không còn được dùng. Nội dung mới có ở trang chủ; cần hỗ trợ, hãy liên hệ đơn vị dưới đây.",
    expired_code_title: "Mã QR đã hết hạn",
    expired_code_text: "Mã này chỉ dùng đến một ngày nhất định và nay đã hết hạn. Thông tin mới có ở trang chủ; cần hỗ trợ, hãy liên hệ đơn vị dưới đây.",
    error_title: "Hệ thống đang bận",
    error_text: "Xin lỗi, chưa mở được trang này. Vui lòng thử lại sau ít phút.",
    place_kinds: [
        "Nhà văn hóa",
        "Trụ sở xã",
        "Trạm Biên phòng",
        "Cửa khẩu, chốt kiểm soát",
        "Điểm tuần tra",
        "Địa điểm khác",
    ],
};

const EN: Ui = Ui {
    lang: "en",
    portal: "Digital border information",
    tagline: "Border law, security and local culture — short and clear.",
    home: "Home",
    go_home: "Go to the home page",
    categories: "Topics",
    latest: "Latest",
    published: "Published",
    language: "Language",
    subcategories: "Sub-topics",
    no_articles: "No articles yet.",
    units_below: "Units under this command",
    contact: "Contact:",
    call: "Call",
    not_translated: "This content is not available in {wanted} yet; it is shown in {shown}.",
    not_translated_other: "This content is not available in your language yet; it is shown in {shown}.",
    language_names: ["Vietnamese", "English", "French", "Chinese"],
    not_found_title: "Page not found",
    not_found_text: "The page you are looking for does not exist or has moved.",
    preview_notice: "Preview: this content is not published yet. Please do not share the link.",
    preview_expired: "This preview link has expired or is not valid.",
    unknown_code_title: "Unknown QR code",
    unknown_code_text: "This code is not in our system. Codes have 6 to 8 characters and never contain the letters O, I, L or the digits 0, 1. Please scan it again, or ask the nearest border guard officer.",
    inactive_code_title: "This QR code is no longer in use",
    inactive_code_text: "This code has been switched off. Current information is on the home page; for help, contact the unit below.",
    expired_code_title: "This QR code has expired",
    expired_code_text: "This code was valid until a set date, which has passed. Current information is on the home page; for help, contact the unit below.",
    error_title: "The service is busy",
    error_text: "Sorry, this page could not be opened. Please try again in a few minutes.",
    place_kinds: ["Cultural house", "Commune office", "Border station", "Checkpoint", "Patrol point", "Other place"],
};

const FR: Ui = Ui {
    lang: "fr",
    portal: "Informations frontalières numériques",
    tagline: "Droit frontalier, sécurité et culture locale — en bref et clairement.",
    home: "Accueil",
    go_home: "Aller à la page d'accueil",
    categories: "Rubriques",
    latest: "À la une",
    published: "Publié le",
    language: "Langue",
    subcategories: "Sous-rubriques",
    no_articles: "Aucun article pour le moment.",
    units_below: "Unités rattachées",
    contact: "Contact :",
    call: "Appeler",
    not_translated: "Ce contenu n'existe pas encore en {wanted} ; il est affiché en {shown}.",
    not_translated_other: "Ce contenu n'existe pas encore dans votre langue ; il est affiché en {shown}.",
    language_names: ["vietnamien", "anglais", "français", "chinois"],
    not_found_title: "Page introuvable",
    not_found_text: "La page demandée n'existe pas ou a été déplacée.",
    preview_notice: "Aperçu : ce contenu n'est pas encore publié. Merci de ne pas partager le lien.",
    preview_expired: "Ce lien d'aperçu a expiré ou n'est pas valable.",
    unknown_code_title: "Code QR inconnu",
    unknown_code_text: "Ce code ne figure pas dans notre système. Les codes ont de 6 à 8 caractères et ne contiennent jamais les lettres O, I, L ni les chiffres 0 et 1. Scannez-le à nouveau ou adressez-vous au garde-frontière le plus proche.",
    inactive_code_title: "Ce code QR n'est plus utilisé",
    inactive_code_text: "Ce code a été désactivé. Les informations à jour sont sur la page d'accueil ; pour de l'aide, contactez l'unité ci-dessous.",
    expired_code_title: "Ce code QR a expiré",
    expired_code_text: "Ce code était valable jusqu'à une date précise, aujourd'hui passée. Les informations à jour sont sur la page d'accueil ; pour de l'aide, contactez l'unité ci-dessous.",
    error_title: "Service momentanément indisponible",
    error_text: "Désolé, cette page n'a pas pu s'ouvrir. Réessayez dans quelques minutes.",
    place_kinds: [
        "Maison de la culture",
        "Siège de la commune",
        "Station frontalière",
        "Point de contrôle",
        "Point de patrouille",
        "Autre lieu",
    ],
};

const ZH: Ui = Ui {
    lang: "zh",
    portal: "数字边境信息",
    tagline: "边境法律、安全与当地文化——简明易懂。",
    home: "首页",
    go_home: "返回首页",
    categories: "栏目",
    latest: "最新",
    published: "发布于",
    language: "语言",
    subcategories: "子栏目",
    no_articles: "暂无文章。",
    units_below: "下属单位",
    contact: "联系：",
    call: "拨打",
    not_translated: "此内容暂无{wanted}版本，现以{shown}显示。",
    not_translated_other: "此内容暂无您所选语言的版本，现以{shown}显示。",
    language_names: ["越南语", "英语", "法语", "中文"],
    not_found_title: "页面不存在",
    not_found_text: "您要找的页面不存在或已移动。",
    preview_notice: "预览：此内容尚未发布，请勿分享此链接。",
    preview_expired: "此预览链接已过期或无效。",
    unknown_code_title: "二维码无效",
    unknown_code_text: "系统中没有此二维码。编码由6至8个字符组成，从不包含字母O、I、L和数字0、1。请重新扫描，或询问附近的边防人员。",
    inactive_code_title: "此二维码已停用",
    inactive_code_text: "此二维码已停止使用。最新信息请见首页；如需帮助，请联系下方单位。",
    expired_code_title: "此二维码已过期",
    expired_code_text: "此二维码的有效期已过。最新信息请见首页；如需帮助，请联系下方单位。",
    error_title: "服务繁忙",
    error_text: "抱歉，暂时无法打开此页面。请几分钟后再试。",
    place_kinds: ["文化室", "乡政府", "边防站", "检查站", "巡逻点", "其他地点"],
};

const ALL: [&Ui; 4] = [&VI, &EN, &FR, &ZH];

/// The interface language for a chain: its first entry we have words for (`vi` at the latest).
pub fn for_chain(chain: &LocaleChain) -> &'static Ui {
    chain.entries().iter().find_map(|l| ALL.iter().find(|ui| ui.lang == l.as_str()).copied()).unwrap_or(&VI)
}

/// A language's own name, for the switch and the "not translated" notice.
pub fn language_name(tag: &str) -> &str {
    match tag.split('-').next().unwrap_or(tag) {
        "vi" => "Tiếng Việt",
        "en" => "English",
        "fr" => "Français",
        "zh" => "中文",
        _ => tag,
    }
}

impl Ui {
    pub fn place_kind(&self, kind: PlaceKind) -> &'static str {
        let i = PlaceKind::ALL.iter().position(|k| *k == kind).unwrap_or(PlaceKind::ALL.len() - 1);
        self.place_kinds[i]
    }

    /// This language's name for `tag` (`fr` → "French" in English, "tiếng Pháp" in Vietnamese).
    fn name_of(&self, tag: &str) -> Option<&'static str> {
        let i = ["vi", "en", "fr", "zh"].iter().position(|t| *t == tag.split('-').next().unwrap_or(tag))?;
        Some(self.language_names[i])
    }

    /// "Not available in {wanted}; shown in {shown}", in this interface language.
    pub fn not_translated(&self, wanted: &str, shown: &str) -> String {
        let shown = self.name_of(shown).unwrap_or(shown);
        match self.name_of(wanted) {
            Some(wanted) => self.not_translated.replace("{wanted}", wanted).replace("{shown}", shown),
            None => self.not_translated_other.replace("{shown}", shown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontier_domain::Locale;

    #[test]
    fn interface_language_follows_the_chain() {
        let chain = |t: &str| LocaleChain::new([Locale::parse(t).expect("tag")]);
        assert_eq!(for_chain(&chain("fr-CA")).lang, "fr");
        assert_eq!(for_chain(&chain("zh-Hans")).lang, "zh");
        assert_eq!(for_chain(&chain("de")).lang, "vi");
        assert_eq!(for_chain(&LocaleChain::default_only()).lang, "vi");
    }

    #[test]
    fn notice_names_both_languages() {
        assert_eq!(
            EN.not_translated("fr", "vi"),
            "This content is not available in French yet; it is shown in Vietnamese."
        );
        assert_eq!(
            FR.not_translated("fr", "vi"),
            "Ce contenu n'existe pas encore en français ; il est affiché en vietnamien."
        );
        assert_eq!(
            VI.not_translated("de", "vi"),
            "Nội dung này chưa có bằng ngôn ngữ bạn chọn; đang hiển thị bản tiếng Việt."
        );
        assert_eq!(ZH.not_translated("en-GB", "vi"), "此内容暂无英语版本，现以越南语显示。");
    }

    #[test]
    fn the_unknown_code_page_states_the_code_rules() {
        use frontier_domain::qr::{CODE_ALPHABET, MAX_CODE_LEN, MIN_CODE_LEN};
        // What the page says must stay what the codes are: no look-alike is ever in one.
        for look_alike in [b'O', b'I', b'L', b'0', b'1'] {
            assert!(!CODE_ALPHABET.contains(&look_alike), "{}", char::from(look_alike));
        }
        for ui in [&VI, &EN, &FR, &ZH] {
            let text = ui.unknown_code_text;
            for told in ["O", "I", "L", "0", "1", &MIN_CODE_LEN.to_string(), &MAX_CODE_LEN.to_string()] {
                assert!(text.contains(told), "{}: {text}", ui.lang);
            }
        }
    }
}
