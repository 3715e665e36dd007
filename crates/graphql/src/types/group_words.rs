//! The words of statistics' group labels (target kinds, devices, outcomes, languages) in the reader's
//! language: Vietnamese, English or French, the portal's languages; anything else reads Vietnamese.

use crate::context::Lens;
use frontier_domain as d;

pub(crate) struct GroupWords {
    /// Article, category, place, unit.
    kinds: [&'static str; 4],
    /// Android, iOS, desktop, other, bot, link preview.
    devices: [&'static str; 6],
    /// Ok, disabled, expired, unknown code, target unavailable.
    outcomes: [&'static str; 5],
    pub gone: &'static str,
    pub no_language: &'static str,
}

const VI: GroupWords = GroupWords {
    kinds: ["Bài viết", "Chuyên mục", "Địa điểm", "Đơn vị"],
    devices: ["Android", "iOS", "Máy tính", "Thiết bị khác", "Máy tự động", "Xem trước liên kết"],
    outcomes: ["Mở được nội dung", "Mã đã tắt", "Mã hết hạn", "Mã không tồn tại", "Nội dung chưa công khai"],
    gone: "không còn nữa",
    no_language: "Không rõ ngôn ngữ",
};

const EN: GroupWords = GroupWords {
    kinds: ["Article", "Category", "Place", "Unit"],
    devices: ["Android", "iOS", "Computer", "Other device", "Bot", "Link preview"],
    outcomes: ["Content opened", "Code switched off", "Code expired", "Unknown code", "Content not public"],
    gone: "no longer there",
    no_language: "No language given",
};

const FR: GroupWords = GroupWords {
    kinds: ["Article", "Rubrique", "Lieu", "Unité"],
    devices: ["Android", "iOS", "Ordinateur", "Autre appareil", "Robot", "Aperçu de lien"],
    outcomes: ["Contenu ouvert", "Code désactivé", "Code expiré", "Code inconnu", "Contenu non public"],
    gone: "n’existe plus",
    no_language: "Langue non indiquée",
};

impl GroupWords {
    /// The words of the first of the reader's languages that has them.
    pub(crate) fn of(lens: &Lens) -> &'static Self {
        lens.chain
            .entries()
            .iter()
            .find_map(|l| match l.language() {
                "vi" => Some(&VI),
                "en" => Some(&EN),
                "fr" => Some(&FR),
                _ => None,
            })
            .unwrap_or(&VI)
    }

    pub(crate) fn kind(&self, kind: d::QrTargetKind) -> &'static str {
        use d::QrTargetKind::*;
        self.kinds[match kind {
            Article => 0,
            Category => 1,
            Place => 2,
            Unit => 3,
        }]
    }

    pub(crate) fn device(&self, device: d::DeviceClass) -> &'static str {
        use d::DeviceClass::*;
        self.devices[match device {
            Android => 0,
            Ios => 1,
            Desktop => 2,
            Other => 3,
            Bot => 4,
            LinkPreview => 5,
        }]
    }

    pub(crate) fn outcome(&self, outcome: d::ScanOutcome) -> &'static str {
        use d::ScanOutcome::*;
        self.outcomes[match outcome {
            Ok => 0,
            Disabled => 1,
            Expired => 2,
            UnknownCode => 3,
            TargetUnavailable => 4,
        }]
    }
}

/// A language's own name for itself, for the languages readers ask for here; otherwise its tag.
pub(crate) fn language_name(tag: &str) -> String {
    let language = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
    match language.as_str() {
        "vi" => "Tiếng Việt".to_owned(),
        "en" => "English".to_owned(),
        "fr" => "Français".to_owned(),
        "zh" => "中文".to_owned(),
        _ => tag.to_owned(),
    }
}
