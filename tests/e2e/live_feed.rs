//! The live feed as a wall dashboard uses it: a real websocket client (graphql-transport-ws, and the
//! legacy graphql-ws), credentials in `connection_init` or the upgrade request, and scans made by
//! phones opening `/q/{code}`.

use crate::harness::{Server, access_token, client, create_account, e2e};
use crate::scans::PHONE;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

const PASSWORD: &str = "mat-khau-bien-cuong-2026";
const POST: &str = "don-bien-phong-bac-xa";
const OTHER_POST: &str = "don-bien-phong-chi-ma";
/// A code at station 1 below `POST`, one at station 2, and one at a station of the other post.
const STATION_CODE: &str = "K4PVHZ";
const SECOND_STATION_CODE: &str = "5T8E5F";
const OTHER_POST_CODE: &str = "2JXMFQ";

const FEED: &str = "subscription($unit: String!) { scanRecorded(unit: $unit) {
    occurredAt localDay outcome device human repeat scannedCode
    code { code } place { slug } unit { slug } target { __typename ... on Place { slug } } } }";

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Socket {
    ws: Ws,
    /// What the server calls a subscription's events in this protocol.
    next: &'static str,
}

impl Socket {
    async fn open(server: &Server, protocol: &str, headers: &[(&str, &str)]) -> Result<Self, WsError> {
        let url = format!("{}/graphql", server.base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().expect("request");
        request.headers_mut().insert("sec-websocket-protocol", protocol.parse().expect("protocol"));
        for (k, v) in headers {
            let name: tokio_tungstenite::tungstenite::http::HeaderName = k.parse().expect("name");
            request.headers_mut().insert(name, v.parse().expect("header"));
        }
        let (ws, response) = tokio_tungstenite::connect_async(request).await?;
        assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
        Ok(Self { ws, next: if protocol == "graphql-ws" { "data" } else { "next" } })
    }

    async fn send(&mut self, message: Value) {
        self.ws.send(Message::text(message.to_string())).await.expect("send");
    }

    /// The next message within `limit`: JSON text, or the close frame (as `{"close": code, "reason": …}`).
    async fn recv(&mut self, limit: Duration) -> Option<Value> {
        loop {
            let message = tokio::time::timeout(limit, self.ws.next()).await.ok()??.ok()?;
            return Some(match message {
                Message::Text(text) => serde_json::from_str(&text).expect("json message"),
                Message::Close(frame) => {
                    let (code, reason) = frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or_default();
                    json!({ "close": code, "reason": reason })
                }
                _ => continue,
            });
        }
    }

    /// `connection_init` with `payload`; the server's answer.
    async fn init(&mut self, payload: Value) -> Value {
        self.send(json!({ "type": "connection_init", "payload": payload })).await;
        self.recv(Duration::from_secs(10)).await.expect("an answer to connection_init")
    }

    async fn subscribe(&mut self, id: &str, unit: &str) {
        let payload = json!({ "query": FEED, "variables": { "unit": unit } });
        self.send(json!({ "id": id, "type": "subscribe", "payload": payload })).await;
    }

    /// The next event of subscription `id` (its `payload`), skipping pings.
    async fn event(&mut self, id: &str, limit: Duration) -> Option<Value> {
        loop {
            let m = self.recv(limit).await?;
            if m["id"] == id && m["type"] == self.next {
                return Some(m["payload"].clone());
            }
            assert!(m["type"] == "ping" || m["type"] == "pong" || m["type"] == "ka", "unexpected {m}");
        }
    }

    /// The error code a subscription was refused with, and that it completed.
    async fn refused(&mut self, id: &str) -> String {
        let payload = self.event(id, Duration::from_secs(10)).await.expect("an answer");
        assert!(payload["data"].is_null(), "{payload}");
        let complete = self.recv(Duration::from_secs(10)).await.expect("complete");
        assert_eq!(complete, json!({ "id": id, "type": "complete" }));
        payload["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>").to_owned()
    }
}

/// A phone opens the code's URL.
async fn scan(server: &Server, code: &str) {
    let r = client().get(server.url(&format!("/q/{code}"))).header("user-agent", PHONE).send().await.expect("scan");
    assert_eq!(r.status(), 302, "{code}");
}

/// Scans `code` until the subscription shows it (the server subscribes once it has read the
/// `subscribe` message, which nothing acknowledges); returns that event.
async fn first_event(server: &Server, socket: &mut Socket, id: &str, code: &str) -> Value {
    for _ in 0..40 {
        scan(server, code).await;
        if let Some(event) = socket.event(id, Duration::from_millis(250)).await {
            return event;
        }
    }
    panic!("no event for {code}");
}

async fn analyst(server: &Server, email: &str, unit: &str) -> String {
    create_account(server, email, "analyst", unit, PASSWORD);
    access_token(server, email, PASSWORD).await
}

e2e!(live_feed_shows_the_scans_below_a_post_and_no_others, |server| {
    let token = analyst(&server, "phan-tich@bienphong.test", POST).await;
    let mut socket = Socket::open(&server, "graphql-transport-ws", &[]).await.expect("websocket");
    assert_eq!(socket.init(json!({ "Authorization": format!("Bearer {token}") })).await["type"], "connection_ack");
    socket.subscribe("feed", POST).await;

    let event = first_event(&server, &mut socket, "feed", STATION_CODE).await;
    assert!(event["errors"].is_null(), "{event}");
    let scan_ = &event["data"]["scanRecorded"];
    assert_eq!(scan_["scannedCode"], STATION_CODE);
    assert_eq!(scan_["code"]["code"], STATION_CODE);
    assert_eq!(scan_["place"]["slug"], "nha-van-hoa-thon-na-pan");
    assert_eq!(scan_["unit"]["slug"], "tram-bac-xa-1");
    assert_eq!(scan_["target"], json!({ "__typename": "Place", "slug": "nha-van-hoa-thon-na-pan" }));
    assert_eq!(scan_["device"], "ANDROID");
    assert_eq!(scan_["outcome"], "OK");
    assert_eq!(scan_["human"], true);
    assert!(scan_["occurredAt"].is_string() && scan_["localDay"].is_string(), "{scan_}");

    // A scan at the other post must not arrive: the next station scan after it is the next event.
    scan(&server, OTHER_POST_CODE).await;
    scan(&server, SECOND_STATION_CODE).await;
    let mut seen = Vec::new();
    while let Some(event) = socket.event("feed", Duration::from_secs(10)).await {
        let scanned = &event["data"]["scanRecorded"];
        seen.push(scanned["scannedCode"].as_str().expect("code").to_owned());
        if scanned["scannedCode"] == SECOND_STATION_CODE {
            assert_eq!(scanned["unit"]["slug"], "tram-bac-xa-2");
            assert_eq!(scanned["repeat"], false);
            break;
        }
    }
    assert_eq!(seen.last().map(String::as_str), Some(SECOND_STATION_CODE), "{seen:?}");
    assert!(!seen.iter().any(|c| c == OTHER_POST_CODE), "{seen:?}");
    assert!(socket.event("feed", Duration::from_millis(500)).await.is_none(), "nothing more");

    // Only subscriptions run over the socket.
    let query = json!({ "query": "{ units { slug } }" });
    socket.send(json!({ "id": "q", "type": "subscribe", "payload": query })).await;
    assert_eq!(socket.refused("q").await, "BAD_REQUEST");
    // The HTTP endpoint is unchanged.
    let r = client().get(server.url("/graphql?query=%7B__typename%7D")).send().await.expect("get");
    assert_eq!(r.status(), 200);
});

e2e!(live_feed_refuses_anonymous_and_out_of_scope_subscribers, |server| {
    // A socket that never says `connection_init` is closed after 10 s (checked at the end).
    let mut silent = Socket::open(&server, "graphql-transport-ws", &[]).await.expect("websocket");
    let opened = std::time::Instant::now();

    // Anonymous: the connection is accepted, the subscription refused.
    let mut socket = Socket::open(&server, "graphql-transport-ws", &[]).await.expect("websocket");
    assert_eq!(socket.init(json!({})).await["type"], "connection_ack");
    socket.subscribe("1", POST).await;
    assert_eq!(socket.refused("1").await, "UNAUTHENTICATED");

    // An analyst of the other post (bare token in the payload), and of a station below the post.
    let other = analyst(&server, "chi-ma@bienphong.test", OTHER_POST).await;
    let station = analyst(&server, "tram@bienphong.test", "tram-bac-xa-1").await;
    for token in [other, station] {
        let mut socket = Socket::open(&server, "graphql-transport-ws", &[]).await.expect("websocket");
        assert_eq!(socket.init(json!({ "token": token })).await["type"], "connection_ack");
        socket.subscribe("1", POST).await;
        assert_eq!(socket.refused("1").await, "FORBIDDEN");
        socket.subscribe("2", "khong-co-don-vi-nay").await;
        assert_eq!(socket.refused("2").await, "NOT_FOUND");
    }

    // A credential that fails closes the socket at connection_init, and is a 401 on the upgrade.
    let mut socket = Socket::open(&server, "graphql-transport-ws", &[]).await.expect("websocket");
    let answer = socket.init(json!({ "Authorization": "Bearer not-a-token" })).await;
    assert_eq!(answer["reason"], "authentication required or failed", "{answer}");
    match Socket::open(&server, "graphql-transport-ws", &[("authorization", "Bearer not-a-token")]).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 401),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("upgraded with a bad token"),
    }
    // No GraphQL subprotocol: a coded 400, no upgrade.
    match Socket::open(&server, "chat", &[]).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 400),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("upgraded without a GraphQL subprotocol"),
    }

    let end = tokio::time::timeout(Duration::from_secs(30), silent.ws.next()).await.expect("closed in time");
    assert!(!matches!(end, Some(Ok(Message::Text(_)))), "{end:?}");
    let waited = opened.elapsed();
    assert!(waited >= Duration::from_secs(9), "closed after {waited:?}");
});

e2e!(live_feed_over_the_legacy_protocol_with_the_upgrade_header, |server| {
    // An admin watches the whole province.
    create_account(&server, "admin@bienphong.test", "admin", "bdbp-lang-son", PASSWORD);
    let token = access_token(&server, "admin@bienphong.test", PASSWORD).await;
    let bearer = format!("Bearer {token}");
    let mut socket = Socket::open(&server, "graphql-ws", &[("authorization", &bearer)]).await.expect("websocket");
    assert_eq!(socket.init(Value::Null).await["type"], "connection_ack");
    let payload = json!({ "query": FEED, "variables": { "unit": "bdbp-lang-son" } });
    socket.send(json!({ "id": "1", "type": "start", "payload": payload })).await;
    let event = first_event(&server, &mut socket, "1", OTHER_POST_CODE).await;
    assert_eq!(event["data"]["scanRecorded"]["scannedCode"], OTHER_POST_CODE, "{event}");
    assert!(event["errors"].is_null(), "{event}");

    // An open subscription does not hold up a shutdown, and the socket ends with the server.
    let mut server = server;
    let status = server.terminate(Duration::from_secs(20)).expect("the server stops with a subscriber");
    assert!(status.success(), "{status}");
    let mut ended = false;
    for _ in 0..100 {
        match tokio::time::timeout(Duration::from_secs(5), socket.ws.next()).await {
            Ok(None | Some(Err(_) | Ok(Message::Close(_)))) => {
                ended = true;
                break;
            }
            Ok(Some(Ok(_))) => continue,
            Err(_) => break,
        }
    }
    assert!(ended, "the socket ended");
});
