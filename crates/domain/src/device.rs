//! Who scanned: a device class read from the `User-Agent`, so that link previews and crawlers are kept
//! out of the human counts. The rules are data (the lists below, in order), not code: when a fetcher
//! is found miscounted, it is one line here and one real user-agent string in the tests.
//!
//! Only the class is stored, never the user-agent string.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::sync::LazyLock;

/// What kind of client made a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceClass {
    Android,
    Ios,
    Desktop,
    /// A person on something else (a KaiOS feature phone, a TV, an unknown browser).
    Other,
    /// A crawler, a monitor, a script (curl and its kind) or a `HEAD` request.
    Bot,
    /// A chat app or social network fetching the page to draw a preview of a shared link.
    LinkPreview,
}

impl DeviceClass {
    pub const ALL: [DeviceClass; 6] =
        [Self::Android, Self::Ios, Self::Desktop, Self::Other, Self::Bot, Self::LinkPreview];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Android => "android",
            Self::Ios => "ios",
            Self::Desktop => "desktop",
            Self::Other => "other",
            Self::Bot => "bot",
            Self::LinkPreview => "link_preview",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == value)
    }

    /// Whether a scan from this class may be a person's (bots and previews never count).
    pub fn is_human(self) -> bool {
        !matches!(self, Self::Bot | Self::LinkPreview)
    }
}

/// One rule: a user agent containing `token` (written in lower case; agents are compared in lower
/// case) belongs to `class`.
#[derive(Debug, Clone, Copy)]
pub struct AgentRule {
    pub token: &'static str,
    pub class: DeviceClass,
}

const fn rule(token: &'static str, class: DeviceClass) -> AgentRule {
    AgentRule { token, class }
}

/// Markers of a chat app's own in-app browser: a person who tapped a link inside Zalo or Facebook,
/// not the app's preview fetcher. Checked first, so that "Zalo" or "FBAN" below does not make them bots.
pub const IN_APP_BROWSERS: &[&str] =
    &["zalotheme/", "zalo android/", "zalo ios/", "fban/", "fbav/", "fb_iab/", "instagram "];

/// Link-preview fetchers of the chat apps and networks links are shared on. Apple's Messages
/// previews announce themselves as "facebookexternalhit … Twitterbot", which the first rule covers.
pub const LINK_PREVIEWS: &[AgentRule] = &[
    rule("facebookexternalhit", DeviceClass::LinkPreview),
    rule("facebot", DeviceClass::LinkPreview),
    rule("meta-externalfetcher", DeviceClass::LinkPreview),
    rule("zalo", DeviceClass::LinkPreview),
    rule("whatsapp", DeviceClass::LinkPreview),
    rule("telegrambot", DeviceClass::LinkPreview),
    rule("viber", DeviceClass::LinkPreview),
    rule("slackbot", DeviceClass::LinkPreview),
    rule("slack-imgproxy", DeviceClass::LinkPreview),
    rule("discordbot", DeviceClass::LinkPreview),
    rule("skypeuripreview", DeviceClass::LinkPreview),
    rule("twitterbot", DeviceClass::LinkPreview),
    rule("linkedinbot", DeviceClass::LinkPreview),
    rule("bingpreview", DeviceClass::LinkPreview),
    rule("google-pagerenderer", DeviceClass::LinkPreview),
    rule("googleimageproxy", DeviceClass::LinkPreview),
    rule("line-poker", DeviceClass::LinkPreview),
    rule("kakaotalk-scrap", DeviceClass::LinkPreview),
    rule("iframely", DeviceClass::LinkPreview),
    rule("embedly", DeviceClass::LinkPreview),
    rule("pinterestbot", DeviceClass::LinkPreview),
    rule("redditbot", DeviceClass::LinkPreview),
    rule("vkshare", DeviceClass::LinkPreview),
];

/// Crawlers, monitors and HTTP libraries: nobody holding a phone sends these.
pub const BOTS: &[AgentRule] = &[
    rule("googlebot", DeviceClass::Bot),
    rule("google-inspectiontool", DeviceClass::Bot),
    rule("googleother", DeviceClass::Bot),
    rule("adsbot-google", DeviceClass::Bot),
    rule("mediapartners-google", DeviceClass::Bot),
    rule("feedfetcher-google", DeviceClass::Bot),
    rule("apis-google", DeviceClass::Bot),
    rule("bingbot", DeviceClass::Bot),
    rule("msnbot", DeviceClass::Bot),
    rule("coccocbot", DeviceClass::Bot),
    rule("yandex", DeviceClass::Bot),
    rule("baiduspider", DeviceClass::Bot),
    rule("duckduckbot", DeviceClass::Bot),
    rule("applebot", DeviceClass::Bot),
    rule("petalbot", DeviceClass::Bot),
    rule("bytespider", DeviceClass::Bot),
    rule("headlesschrome", DeviceClass::Bot),
    rule("lighthouse", DeviceClass::Bot),
    rule("curl/", DeviceClass::Bot),
    rule("wget/", DeviceClass::Bot),
    rule("python-requests", DeviceClass::Bot),
    rule("python-urllib", DeviceClass::Bot),
    rule("python-httpx", DeviceClass::Bot),
    rule("aiohttp", DeviceClass::Bot),
    rule("go-http-client", DeviceClass::Bot),
    rule("okhttp", DeviceClass::Bot),
    rule("java/", DeviceClass::Bot),
    rule("apache-httpclient", DeviceClass::Bot),
    rule("libwww-perl", DeviceClass::Bot),
    rule("httpie", DeviceClass::Bot),
    rule("postmanruntime", DeviceClass::Bot),
    rule("axios/", DeviceClass::Bot),
    rule("node-fetch", DeviceClass::Bot),
    rule("undici", DeviceClass::Bot),
    rule("oha/", DeviceClass::Bot),
    rule("uptimerobot", DeviceClass::Bot),
    rule("pingdom", DeviceClass::Bot),
    // Generic words last: most crawlers name themselves so.
    rule("bot", DeviceClass::Bot),
    rule("crawler", DeviceClass::Bot),
    rule("spider", DeviceClass::Bot),
    rule("scrap", DeviceClass::Bot),
];

/// Platforms of people's devices, checked once the agent is known not to be a fetcher.
/// iPadOS Safari asks for desktop pages as "Macintosh": it counts as desktop, which it then is.
pub const PLATFORMS: &[AgentRule] = &[
    // KaiOS feature phones (common in the villages) also say "Android" in their agent.
    rule("kaios", DeviceClass::Other),
    rule("android", DeviceClass::Android),
    rule("iphone", DeviceClass::Ios),
    rule("ipad", DeviceClass::Ios),
    rule("ipod", DeviceClass::Ios),
    rule("windows nt", DeviceClass::Desktop),
    rule("macintosh", DeviceClass::Desktop),
    rule("cros", DeviceClass::Desktop),
    rule("x11", DeviceClass::Desktop),
    rule("linux", DeviceClass::Desktop),
];

/// Every token of the four lists in one automaton, in the lists' order: a user agent is read once
/// (it is on the path of every scan), not once per token. Ids below `ends[0]` are in-app markers,
/// then link previews, bots and platforms.
struct Tokens {
    automaton: AhoCorasick,
    ends: [usize; 4],
}

static TOKENS: LazyLock<Option<Tokens>> = LazyLock::new(|| {
    let rules = LINK_PREVIEWS.iter().chain(BOTS).chain(PLATFORMS).map(|r| r.token);
    let patterns: Vec<&str> = IN_APP_BROWSERS.iter().copied().chain(rules).collect();
    let in_app = IN_APP_BROWSERS.len();
    let previews = in_app + LINK_PREVIEWS.len();
    let bots = previews + BOTS.len();
    let ends = [in_app, previews, bots, bots + PLATFORMS.len()];
    // `Found` holds one bit a token; with more tokens than that, `classify` reads the lists.
    if ends[3] > 128 {
        return None;
    }
    // A DFA: a few dozen kilobytes for these tokens, the fastest to search. Only too many patterns
    // can fail to build; `classify` then reads the lists too.
    let automaton =
        AhoCorasick::builder().ascii_case_insensitive(true).kind(Some(AhoCorasickKind::DFA)).build(patterns).ok()?;
    Some(Tokens { automaton, ends })
});

/// Which tokens occur in an agent, by id (every list together holds fewer than 128).
struct Found(u128);

impl Found {
    fn in_agent(tokens: &Tokens, agent: &str) -> Self {
        let found = tokens
            .automaton
            .find_overlapping_iter(agent)
            .fold(0u128, |found, m| found | 1u128.checked_shl(m.pattern().as_u32()).unwrap_or(0));
        Self(found)
    }

    /// The first token of ids `from..to` that occurs, as an index into its list.
    fn first(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).find(|&id| self.0 >> id & 1 == 1).map(|id| id - from)
    }
}

fn first_match(lower: &str, rules: &[AgentRule]) -> Option<DeviceClass> {
    rules.iter().find(|r| lower.contains(r.token)).map(|r| r.class)
}

/// The class of a request's client. `head` requests are link checkers or preview fetchers whatever
/// they claim to be; so is a request without a user agent.
pub fn classify(user_agent: Option<&str>, head: bool) -> DeviceClass {
    let agent = user_agent.map(str::trim).unwrap_or_default();
    if head || agent.is_empty() {
        return DeviceClass::Bot;
    }
    let Some(tokens) = TOKENS.as_ref() else {
        return classify_by_lists(agent);
    };
    let found = Found::in_agent(tokens, agent);
    let [in_app, previews, bots, platforms] = tokens.ends;
    let fetcher = || {
        let preview = found.first(in_app, previews).map(|i| LINK_PREVIEWS[i].class);
        preview.or_else(|| found.first(previews, bots).map(|i| BOTS[i].class))
    };
    if found.first(0, in_app).is_none()
        && let Some(class) = fetcher()
    {
        return class;
    }
    found.first(bots, platforms).map_or_else(|| unmatched(agent), |i| PLATFORMS[i].class)
}

/// An agent that no token names: a browser of some other device, or a script.
fn unmatched(agent: &str) -> DeviceClass {
    if agent.starts_with("Mozilla/") { DeviceClass::Other } else { DeviceClass::Bot }
}

/// The same rules read list by list (what the automaton does in one pass; kept for the case it
/// cannot be built, and to check it against in the tests).
fn classify_by_lists(agent: &str) -> DeviceClass {
    let lower = agent.to_ascii_lowercase();
    let in_app = IN_APP_BROWSERS.iter().any(|m| lower.contains(m));
    if !in_app && let Some(class) = first_match(&lower, LINK_PREVIEWS).or_else(|| first_match(&lower, BOTS)) {
        return class;
    }
    first_match(&lower, PLATFORMS).unwrap_or_else(|| unmatched(agent))
}

#[cfg(test)]
mod tests {
    use super::DeviceClass::*;
    use super::*;

    /// Real user-agent strings, as sent by the apps and fetchers named (collected from their own
    /// documentation and from server logs).
    const SEEN: &[(&str, DeviceClass)] = &[
        // People.
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
            Android,
        ),
        (
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            Android,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
            Ios,
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
            Ios,
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            Desktop,
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
            Desktop,
        ),
        ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", Desktop),
        (
            "Mozilla/5.0 (Mobile; LYF/F300B/LYF-F300B-001-01-15-130718-i;Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
            Other,
        ),
        ("Mozilla/5.0 (Mobile; Nokia_8110_4G; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5", Other),
        // People inside chat apps (their in-app browsers).
        (
            "Mozilla/5.0 (Linux; Android 12; SM-A515F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 Zalo android/12100610 ZaloTheme/light ZaloLanguage/vn",
            Android,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Zalo iOS/479 ZaloTheme/dark ZaloLanguage/vn",
            Ios,
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/437.0.0.36.112;FBBV/535046010;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.0;FBSS/3;FBID/phone;FBLC/vi_VN;FBOP/5]",
            Ios,
        ),
        (
            "Mozilla/5.0 (Linux; Android 11; Redmi Note 8 Build/RKQ1.201004.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.66 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/435.0.0.42.112;]",
            Android,
        ),
        // Link previews.
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", LinkPreview),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
            LinkPreview,
        ),
        ("WhatsApp/2.23.20.0 A", LinkPreview),
        ("WhatsApp/2.2349.51 i", LinkPreview),
        ("TelegramBot (like TwitterBot)", LinkPreview),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.81 Safari/537.36 Viber/19.4.0.0",
            LinkPreview,
        ),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", LinkPreview),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", LinkPreview),
        (
            "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
            LinkPreview,
        ),
        ("Mozilla/5.0 (compatible; Zalo/1.0; +https://zalo.me)", LinkPreview),
        ("Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b", LinkPreview),
        // Crawlers and scripts.
        (
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.199 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            Bot,
        ),
        (
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
            Bot,
        ),
        ("Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)", Bot),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36",
            Bot,
        ),
        ("curl/8.5.0", Bot),
        ("Wget/1.21.4", Bot),
        ("python-requests/2.31.0", Bot),
        ("Go-http-client/1.1", Bot),
        ("okhttp/4.12.0", Bot),
        ("PostmanRuntime/7.36.0", Bot),
        ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", Bot),
        ("oha/1.4.1", Bot),
        ("SomeScanner 1.0", Bot),
    ];

    #[test]
    fn real_user_agents_get_their_class() {
        for (agent, expected) in SEEN {
            assert_eq!(classify(Some(agent), false), *expected, "{agent}");
        }
    }

    #[test]
    fn the_automaton_reads_the_lists_as_they_are_written() {
        assert!(TOKENS.is_some(), "the automaton is built");
        // Agents where the order of the lists decides: an in-app browser that also names its app's
        // fetcher, a preview fetcher that also names a bot or a platform, two platforms at once,
        // tokens in capitals, a token at the very end.
        let mixed = [
            "Mozilla/5.0 (Linux; Android 13) Mobile Safari/537.36 Zalo android/12100 ZaloTheme/light",
            "facebookexternalhit/1.1 Facebot Twitterbot/1.0",
            "Mozilla/5.0 (Linux; Android 14) WhatsApp/2.24 Googlebot",
            "Mozilla/5.0 (Mobile; LYF/F300B; Android; KaiOS/2.5) Gecko",
            "MOZILLA/5.0 (IPHONE; CPU IPHONE OS 17_0 LIKE MAC OS X)",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0",
            "SomeTool/1.0 linux",
        ];
        for agent in SEEN.iter().map(|(a, _)| *a).chain(mixed) {
            assert_eq!(classify(Some(agent), false), classify_by_lists(agent), "{agent}");
        }
    }

    #[test]
    fn tokens_are_written_in_lower_case() {
        let rules = LINK_PREVIEWS.iter().chain(BOTS).chain(PLATFORMS).map(|r| r.token);
        for token in rules.chain(IN_APP_BROWSERS.iter().copied()) {
            assert_eq!(token, token.to_ascii_lowercase(), "agents are compared in lower case");
        }
    }

    #[test]
    fn head_requests_and_missing_agents_are_bots() {
        let phone = SEEN[0].0;
        assert_eq!(classify(Some(phone), true), Bot, "a HEAD is a link checker whatever it claims");
        assert_eq!(classify(None, false), Bot);
        assert_eq!(classify(Some("   "), false), Bot);
    }

    #[test]
    fn only_people_count() {
        let human: Vec<DeviceClass> = DeviceClass::ALL.into_iter().filter(|d| d.is_human()).collect();
        assert_eq!(human, [Android, Ios, Desktop, Other]);
        for d in DeviceClass::ALL {
            assert_eq!(DeviceClass::parse(d.as_str()), Some(d));
        }
    }
}
