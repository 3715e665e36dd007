//! `recordScan`: for apps that scan a code in-app and then query the API themselves. The same rules
//! as a phone opening the code's URL (outcomes, bots, repeats), and a retried call counts once.

use crate::context::{clock, lens, store};
use crate::error::{ApiResult, CONFLICT, INTERNAL, OrApi, bad_input};
use crate::types::{DeviceClass, RecordedScan};
use async_graphql::{Context, Error, ErrorExtensions, ID, Object};
use chrono::{DateTime, Utc};
use frontier_domain::scan::{code_in, scanned_text};
use frontier_domain::{Locale, ScanId, ScanSource, VisitorKey, device};
use frontier_store::{ScanRequest, ScanWriter};
use std::net::IpAddr;
use std::sync::Arc;

/// Today's visitor key of a client (the server holds the day's secret, in memory only).
pub trait VisitorKeys: Send + Sync {
    fn key(&self, now: DateTime<Utc>, address: Option<IpAddr>, user_agent: &str) -> VisitorKey;
}

/// Who sent the request, as the server's edge saw it: its address and user agent, and what turns
/// them into a visitor key (never stored: only the key is). The key is worked out only when
/// `recordScan` runs, so no other request pays for the HMAC.
#[derive(Clone, Default)]
pub struct ScanClient {
    pub address: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub visitors: Option<Arc<dyn VisitorKeys>>,
}

impl ScanClient {
    fn visitor(&self, now: DateTime<Utc>) -> Option<VisitorKey> {
        let visitors = self.visitors.as_ref()?;
        Some(visitors.key(now, self.address, self.user_agent.as_deref().unwrap_or_default()))
    }
}

#[derive(Default)]
pub struct ScanMutation;

#[Object]
impl ScanMutation {
    /// Records a scan an app made with its own camera, exactly like a phone opening the code's URL,
    /// and says what it leads to. Send a fresh UUID as `scanId` for each scan; sending the same one
    /// again with the same code (a retry after a lost answer) records nothing new and returns the
    /// first answer; with another code it is a CONFLICT (a `scanId` names one scan).
    async fn record_scan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code as read from the symbol (the URL it holds, `HTTPS://HOST/Q/7KX2MP`, or the \
                          code alone) or typed; case-insensitive.")]
        code: String,
        #[graphql(desc = "A UUID the app chose for this scan.")] scan_id: ID,
        #[graphql(desc = "The reader's language (BCP 47); default: the request's Accept-Language.")] locale: Option<
            String,
        >,
        #[graphql(desc = "The app's platform. Default: read from the request's User-Agent, as for links \
                          (HTTP libraries such as okhttp then count as bots).")]
        platform: Option<DeviceClass>,
    ) -> ApiResult<RecordedScan> {
        let id: ScanId = uuid::Uuid::parse_str(scan_id.trim())
            .ok()
            // The nil UUID is what an app sends when it forgot to draw one: all its scans would
            // count as the first.
            .filter(|u| !u.is_nil())
            .map(ScanId)
            .ok_or_else(|| bad_input("scanId", "must be a UUID chosen by the app for this scan (e.g. a random v4)"))?;
        let locale = match locale {
            Some(tag) => Some(Locale::parse(&tag).map_err(|e| bad_input("locale", e.message))?),
            None => ctx.data_opt::<crate::RequestLocales>().and_then(|r| r.0.first().cloned()),
        };
        if code.len() > 2048 {
            return Err(bad_input("code", "longer than any code or scan URL"));
        }
        // The symbol holds the code's URL; an app may send that text as it read it.
        let code = code_in(&code).to_owned();
        if code.len() > 64 {
            return Err(bad_input("code", "longer than any code"));
        }
        if code.is_empty() {
            return Err(bad_input("code", "is empty: send the text read from the symbol"));
        }
        let none = ScanClient::default();
        let client = ctx.data_opt::<ScanClient>().unwrap_or(&none);
        let device = match platform {
            Some(p) if d_human(p) => p.into(),
            Some(p) => {
                // Named as the client wrote it (`BOT`), not as Rust spells the variant.
                let name = async_graphql::InputType::to_value(&p);
                return Err(bad_input("platform", format!("{name} is not a platform an app runs on")));
            }
            None => device::classify(client.user_agent.as_deref(), false),
        };
        let writer = ctx.data_opt::<ScanWriter>().ok_or_else(|| {
            Error::new("this server does not record scans").extend_with(|_, e| e.set("code", INTERNAL))
        })?;
        let request = ScanRequest {
            raw: code,
            locale,
            device,
            visitor: client.visitor(clock(ctx).now()),
            source: ScanSource::App,
            client_id: Some(id),
        };
        let raw = scanned_text(&request.raw);
        let scanned = writer.record(request).await.api()?;
        if scanned.duplicate && scanned.event.scanned_text != raw {
            let first = &scanned.event.scanned_text;
            let message =
                format!("scanId {} was already sent with the code {first}: draw a new one for each scan", id.0);
            return Err(Error::new(message).extend_with(|_, e| {
                e.set("code", CONFLICT);
                e.set("field", "scanId");
            }));
        }
        // The code as the reader may see it (an archived code's record stays hidden).
        let lens = lens(ctx, None, false)?;
        let visible = match &scanned.qr {
            Some(q) => store(ctx).qr_code_by_code(crate::context::audience(ctx, &lens), q.code.clone()).await.api()?,
            None => None,
        };
        Ok(RecordedScan::new(scan_id, &scanned, visible, lens))
    }
}

fn d_human(p: DeviceClass) -> bool {
    frontier_domain::DeviceClass::from(p).is_human()
}
