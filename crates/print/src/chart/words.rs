//! The charts' own words in each language the API serves (names of units, places and groups come
//! from the caller, already in the language asked for).

use chrono::NaiveDate;

/// One language's words on a chart.
#[derive(Debug, PartialEq, Eq)]
pub struct ChartWords {
    pub lang: &'static str,
    pub scans_title: &'static str,
    pub places_title: &'static str,
    /// What is counted, under the title.
    pub measure: &'static str,
    /// Before a group's or the chart's total.
    pub total: &'static str,
    /// Between a name and its figure, as the language writes it (French puts a narrow no-break space
    /// before the colon).
    pub colon: &'static str,
    pub no_scans: &'static str,
    /// Heading of the places numbered on the map (their names did not fit there).
    pub numbered: &'static str,
    /// Heading of the places that cannot be put on the map.
    pub no_coordinates: &'static str,
    /// Heading of the places whose coordinates lie far from all the others (most likely mistyped).
    pub far_away: &'static str,
    pub no_places: &'static str,
    /// How to read the map's circles.
    pub area_note: &'static str,
    pub unused_note: &'static str,
    /// `strftime` patterns: a day in a title, a day on the axis.
    date: &'static str,
    axis_date: &'static str,
    axis_month: &'static str,
}

const VI: ChartWords = ChartWords {
    lang: "vi",
    scans_title: "Lượt quét mã QR theo ngày",
    places_title: "Lượt quét mã QR theo địa điểm",
    measure: "Lượt quét của người dân, không tính quét lặp lại và máy tự động",
    total: "Tổng",
    colon: ": ",
    no_scans: "Không có lượt quét nào trong thời gian này",
    numbered: "Các số trên bản đồ",
    no_coordinates: "Chưa có tọa độ",
    far_away: "Tọa độ ở xa các địa điểm khác, cần kiểm tra lại",
    no_places: "Chưa có địa điểm nào có tọa độ",
    area_note: "Diện tích mỗi vòng tròn tỉ lệ với số lượt quét",
    unused_note: "Vòng rỗng: chưa có lượt quét",
    date: "%d/%m/%Y",
    axis_date: "%d/%m",
    axis_month: "%m/%Y",
};

const EN: ChartWords = ChartWords {
    lang: "en",
    scans_title: "QR code scans per day",
    places_title: "QR code scans per place",
    measure: "Scans by people, repeats and automated clients left out",
    total: "Total",
    colon: ": ",
    no_scans: "No scans in this period",
    numbered: "Numbers on the map",
    no_coordinates: "Without coordinates",
    far_away: "Far from all the other places: check the coordinates",
    no_places: "No place has coordinates yet",
    area_note: "Each circle's area is proportional to its scans",
    unused_note: "Hollow ring: no scans",
    date: "%-d %b %Y",
    axis_date: "%-d %b",
    axis_month: "%b %Y",
};

const FR: ChartWords = ChartWords {
    lang: "fr",
    scans_title: "Scans des codes QR par jour",
    places_title: "Scans des codes QR par lieu",
    measure: "Scans par des personnes, sans les répétitions ni les robots",
    total: "Total",
    colon: "\u{202f}: ",
    no_scans: "Aucun scan pendant cette période",
    numbered: "Numéros sur la carte",
    no_coordinates: "Sans coordonnées",
    far_away: "Loin de tous les autres lieux : coordonnées à vérifier",
    no_places: "Aucun lieu n’a encore de coordonnées",
    area_note: "L’aire de chaque cercle est proportionnelle à ses scans",
    unused_note: "Cercle vide : aucun scan",
    date: "%d/%m/%Y",
    axis_date: "%d/%m",
    axis_month: "%m/%Y",
};

const ALL: [&ChartWords; 3] = [&VI, &EN, &FR];

impl ChartWords {
    /// `vi`, `en` or `fr` in any case; `None` for another language.
    /// The words of a BCP 47 tag, or of its language when the region or script is one we have no
    /// words for (`en-US` → `en`, `fr-CA` → `fr`), as the rest of the API falls back.
    pub fn for_lang(tag: &str) -> Option<&'static ChartWords> {
        let tag = tag.trim();
        let language = tag.split(['-', '_']).next().unwrap_or(tag);
        let find = |t: &str| ALL.iter().copied().find(|w| w.lang.eq_ignore_ascii_case(t));
        find(tag).or_else(|| find(language))
    }

    pub fn vietnamese() -> &'static ChartWords {
        &VI
    }

    pub fn tags() -> [&'static str; 3] {
        ALL.map(|w| w.lang)
    }

    /// `04/11/2026 – 03/12/2026` (one day alone when they are the same).
    pub fn period(&self, from: NaiveDate, to: NaiveDate) -> String {
        if from == to {
            return from.format(self.date).to_string();
        }
        format!("{} – {}", from.format(self.date), to.format(self.date))
    }

    pub fn axis_day(&self, day: NaiveDate) -> String {
        day.format(self.axis_date).to_string()
    }

    /// The month a day falls in, for axes that label months.
    pub fn axis_month(&self, day: NaiveDate) -> String {
        day.format(self.axis_month).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Face;

    #[test]
    fn every_language_is_complete_and_printable() {
        for w in ALL {
            for text in [
                w.scans_title,
                w.places_title,
                w.measure,
                w.no_scans,
                w.numbered,
                w.no_coordinates,
                w.far_away,
                w.area_note,
            ] {
                assert!(!text.is_empty(), "{}", w.lang);
                assert_eq!(Face::Regular.missing(text), None, "{}: {text}", w.lang);
            }
        }
        assert_eq!(ChartWords::for_lang("FR").map(|w| w.lang), Some("fr"));
        assert!(ChartWords::for_lang("de").is_none());
    }

    #[test]
    fn regional_tags_fall_back_to_their_language() {
        assert_eq!(ChartWords::for_lang("en-US").map(|w| w.lang), Some("en"));
        assert_eq!(ChartWords::for_lang("fr_CA").map(|w| w.lang), Some("fr"));
        assert_eq!(ChartWords::for_lang(" VI ").map(|w| w.lang), Some("vi"));
        assert_eq!(ChartWords::for_lang("de-DE").map(|w| w.lang), None);
        assert_eq!(ChartWords::for_lang("").map(|w| w.lang), None);
    }

    #[test]
    fn dates_are_written_the_local_way() {
        let (a, b) =
            (NaiveDate::from_ymd_opt(2026, 11, 4).expect("d"), NaiveDate::from_ymd_opt(2026, 12, 3).expect("d"));
        assert_eq!(VI.period(a, b), "04/11/2026 – 03/12/2026");
        assert_eq!(EN.period(a, b), "4 Nov 2026 – 3 Dec 2026");
        assert_eq!(FR.period(a, a), "04/11/2026");
        assert_eq!(EN.axis_day(a), "4 Nov");
        assert_eq!(VI.axis_month(a), "11/2026");
    }
}
