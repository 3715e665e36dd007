//! Who is on the other end of a request. The socket's peer, unless that peer is a reverse proxy the
//! operator named (FRONTIER_TRUSTED_PROXIES): then the address it forwarded. Forwarded headers from
//! anyone else are ignored — any client can write them, and a scan or a login throttle keyed on a
//! forged address would count nothing honest.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The proxies whose forwarded headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of addresses and networks (`127.0.0.1, 10.0.0.0/8, ::1`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item.parse::<IpNet>().or_else(|_| item.parse::<IpAddr>().map(IpNet::from)).map_err(|_| {
                format!("FRONTIER_TRUSTED_PROXIES: `{item}` is not an address or a network (10.0.0.0/8)")
            })?;
            out.push(net);
        }
        Ok(Self(out))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address: the peer, or, when the peer is a trusted proxy, the last address in the
    /// forwarding chain that is not itself a trusted proxy (proxies append, so the right end is the
    /// one written by our own proxy; anything to its left may be forged by the client).
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = canonical(peer?);
        if !self.trusts(peer) {
            return Some(peer);
        }
        let chain = forwarded_for(headers);
        Some(chain.into_iter().rev().map(canonical).find(|ip| !self.trusts(*ip)).unwrap_or(peer))
    }
}

/// IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`: one client, one address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The addresses of `Forwarded: for=…` (RFC 7239) or, without it, `X-Forwarded-For`, in order.
/// An entry that is not an address (`unknown`, an obfuscated name) ends the chain there.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
    let standard = values("forwarded");
    let items: Vec<String> = if standard.is_empty() {
        values("x-forwarded-for").iter().flat_map(|v| v.split(',')).map(|s| s.trim().to_owned()).collect()
    } else {
        standard
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|element| {
                element.split(';').map(str::trim).find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
                })
            })
            .collect()
    };
    let mut out = Vec::new();
    for item in items {
        match address(&item) {
            Some(ip) => out.push(ip),
            None => out.clear(),
        }
    }
    out
}

/// `203.0.113.7`, `203.0.113.7:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn address(item: &str) -> Option<IpAddr> {
    if let Ok(ip) = item.parse() {
        return Some(ip);
    }
    if let Some(rest) = item.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    item.rsplit_once(':').and_then(|(ip, port)| port.parse::<u16>().ok().and(ip.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").expect("list");
        let forged = headers(&[("x-forwarded-for", "1.2.3.4")]);
        // A client that writes the header itself gets its own address.
        assert_eq!(trusted.client(Some(ip("113.160.1.1")), &forged), Some(ip("113.160.1.1")));
        // Through our proxy: the address the proxy appended, not what the client put before it.
        let chained = headers(&[("x-forwarded-for", "1.2.3.4, 113.160.1.1")]);
        assert_eq!(trusted.client(Some(ip("127.0.0.1")), &chained), Some(ip("113.160.1.1")));
        // Two of our proxies in a row.
        let two = headers(&[("x-forwarded-for", "113.160.1.1, 10.1.2.3")]);
        assert_eq!(trusted.client(Some(ip("10.0.0.5")), &two), Some(ip("113.160.1.1")));
        // The standard header wins, with ports and IPv6 brackets.
        let standard = headers(&[
            ("forwarded", "for=\"[2001:db8::7]:4711\";proto=https, for=10.1.2.3"),
            ("x-forwarded-for", "9.9.9.9"),
        ]);
        assert_eq!(trusted.client(Some(ip("127.0.0.1")), &standard), Some(ip("2001:db8::7")));
        // A proxy that sent nothing: the proxy itself.
        assert_eq!(trusted.client(Some(ip("127.0.0.1")), &HeaderMap::new()), Some(ip("127.0.0.1")));
        // Nobody trusted: headers never matter.
        let none = TrustedProxies::default();
        assert_eq!(none.client(Some(ip("127.0.0.1")), &chained), Some(ip("127.0.0.1")));
        // An IPv4 client on a dual-stack socket.
        assert_eq!(none.client(Some(ip("::ffff:113.160.1.1")), &HeaderMap::new()), Some(ip("113.160.1.1")));
    }

    #[test]
    fn junk_in_the_chain_stops_it() {
        let trusted = TrustedProxies::parse("127.0.0.1").expect("list");
        let junk = headers(&[("x-forwarded-for", "113.160.1.1, unknown")]);
        assert_eq!(trusted.client(Some(ip("127.0.0.1")), &junk), Some(ip("127.0.0.1")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert_eq!(TrustedProxies::parse(" ").expect("empty").0.len(), 0);
    }
}
