//! The machine's own network addresses, for previewing on a phone.
//!
//! With `--bind 0.0.0.0` a phone on the same network opens the preview at
//! one of this machine's LAN addresses, and its browser sends that address
//! as the `Host`. The DNS-rebinding check must know those addresses, so they
//! are read from the network interfaces — through the `if-addrs` crate, which
//! wraps `getifaddrs` (and its Windows counterpart) in a safe function, is
//! small, widely used and keeps this crate free of `unsafe`. The list is read
//! again (at most once a second) when a request names an address it does
//! not hold, so a Wi-Fi change while serving does not lock the phone out.

use std::net::IpAddr;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// The least time between two readings of the interfaces.
const REREAD_AFTER: Duration = Duration::from_secs(1);

/// The addresses of this machine's network interfaces, loopback excluded,
/// IPv4 first; empty if the interfaces cannot be read.
pub fn addresses() -> Vec<IpAddr> {
    let mut found: Vec<IpAddr> = if_addrs::get_if_addrs()
        .map(|interfaces| interfaces.iter().map(if_addrs::Interface::ip).collect())
        .unwrap_or_default();
    found.retain(|ip| !ip.is_loopback() && !ip.is_unspecified());
    found.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    found.dedup();
    found
}

/// The addresses to print for a phone when the server listens on `bind`:
/// the bound address itself, or — for `0.0.0.0` / `::` — this machine's
/// addresses of that family (link-local IPv6 left out: browsers cannot
/// open them without a zone). Empty for a loopback bind.
pub fn urls_for_phone(bind: IpAddr, own: &[IpAddr], port: u16) -> Vec<String> {
    if bind.is_loopback() {
        return Vec::new();
    }
    let addresses: Vec<IpAddr> = if bind.is_unspecified() {
        own.iter()
            .copied()
            .filter(|ip| match ip {
                IpAddr::V4(_) => true,
                // `::` usually also accepts IPv4; `0.0.0.0` never accepts IPv6.
                IpAddr::V6(v6) => bind.is_ipv6() && (v6.segments()[0] & 0xffc0) != 0xfe80,
            })
            .collect()
    } else {
        vec![bind]
    };
    addresses
        .into_iter()
        .map(|ip| format!("http://{}:{port}/", host_name(ip)))
        .collect()
}

/// An address as a URL or `Host` names it (`[…]` around IPv6).
pub fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// The host names the server answers to, without the port.
#[derive(Debug)]
pub struct HostNames {
    /// `localhost`, the loopback addresses and the bound address.
    fixed: Vec<String>,
    /// This machine's addresses, when serving beyond loopback, and when
    /// they were read.
    own: Option<RwLock<(Vec<String>, Instant)>>,
}

impl HostNames {
    /// The names for a server bound to `bind`: loopback names always, and
    /// this machine's addresses when `bind` is not a loopback address.
    pub fn new(bind: IpAddr) -> HostNames {
        let mut fixed = vec!["localhost".to_string(), "127.0.0.1".to_string(), "[::1]".to_string()];
        if !bind.is_unspecified() {
            fixed.push(host_name(bind));
        }
        let own = (!bind.is_loopback()).then(|| RwLock::new((names_of(&addresses()), Instant::now())));
        HostNames { fixed, own }
    }

    /// Whether `host` (a `Host` header) names this server on `port`. A miss
    /// on an IP address re-reads the interfaces (unless they were read in
    /// the last second): the machine may have joined another network since.
    pub fn allows(&self, host: Option<&str>, port: u16) -> bool {
        let Some(host) = host else {
            return false;
        };
        if super::http::host_allowed(Some(host), &self.fixed, port) {
            return true;
        }
        let Some(own) = &self.own else {
            return false;
        };
        let known = own.read().unwrap_or_else(|p| p.into_inner());
        if super::http::host_allowed(Some(host), &known.0, port) {
            return true;
        }
        let fresh_enough = known.1.elapsed() < REREAD_AFTER;
        drop(known);
        if !names_an_ip(host) || fresh_enough {
            return false;
        }
        let fresh = names_of(&addresses());
        let allowed = super::http::host_allowed(Some(host), &fresh, port);
        *own.write().unwrap_or_else(|p| p.into_inner()) = (fresh, Instant::now());
        allowed
    }
}

fn names_of(addresses: &[IpAddr]) -> Vec<String> {
    addresses.iter().map(|ip| host_name(*ip)).collect()
}

/// Whether a `Host` value's name part is an IP address literal.
fn names_an_ip(host: &str) -> bool {
    let host = host.trim();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn enumerated_addresses_leave_out_loopback() {
        assert!(addresses().iter().all(|ip| !ip.is_loopback()));
    }

    #[test]
    fn a_phone_is_shown_the_lan_addresses_of_an_unspecified_bind() {
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 5));
        let global = IpAddr::V6("2001:db8::5".parse::<Ipv6Addr>().unwrap());
        let link_local = IpAddr::V6("fe80::5".parse::<Ipv6Addr>().unwrap());
        let own = [lan, global, link_local];
        assert_eq!(
            urls_for_phone(IpAddr::V4(Ipv4Addr::UNSPECIFIED), &own, 1111),
            ["http://192.168.1.5:1111/"]
        );
        assert_eq!(
            urls_for_phone(IpAddr::V6(Ipv6Addr::UNSPECIFIED), &own, 1111),
            ["http://192.168.1.5:1111/", "http://[2001:db8::5]:1111/"]
        );
        assert_eq!(urls_for_phone(lan, &own, 80), ["http://192.168.1.5:80/"]);
        assert!(urls_for_phone(IpAddr::V4(Ipv4Addr::LOCALHOST), &own, 1111).is_empty());
    }

    #[test]
    fn a_loopback_bind_answers_only_loopback_names() {
        let names = HostNames::new(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(names.allows(Some("localhost:1111"), 1111));
        assert!(names.allows(Some("[::1]:1111"), 1111));
        assert!(!names.allows(Some("evil.example:1111"), 1111));
        for ip in addresses() {
            let host = format!("{}:1111", host_name(ip));
            assert!(!names.allows(Some(&host), 1111), "{host}");
        }
    }

    #[test]
    fn an_unspecified_bind_answers_this_machines_addresses_and_no_other_name() {
        let names = HostNames::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        for ip in addresses() {
            let host = format!("{}:1111", host_name(ip));
            assert!(names.allows(Some(&host), 1111), "{host}");
            assert!(!names.allows(Some(&host), 2222), "{host} on another port");
        }
        assert!(names.allows(Some("localhost:1111"), 1111));
        assert!(!names.allows(Some("0.0.0.0:1111"), 1111));
        assert!(!names.allows(Some("evil.example:1111"), 1111));
    }

    #[test]
    fn an_unknown_address_re_reads_the_interfaces_at_most_once_a_second() {
        let names = HostNames::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let own = names.own.as_ref().expect("a LAN bind knows its addresses");
        // As if the machine had left the network it was on when serving began.
        *own.write().unwrap() = (Vec::new(), Instant::now() - REREAD_AFTER);
        let Some(ip) = addresses().first().copied() else {
            eprintln!("!!! lan: no non-loopback address on this machine; re-reading is not exercised");
            return;
        };
        let host = format!("{}:1111", host_name(ip));
        assert!(names.allows(Some(&host), 1111), "{host} after re-reading");
        // Just read: a miss does not read again.
        *own.write().unwrap() = (Vec::new(), Instant::now());
        assert!(!names.allows(Some(&host), 1111), "{host} within a second");
        assert!(!names.allows(Some("203.0.113.9:1111"), 1111));
    }

    #[test]
    fn ip_literals_are_told_from_names() {
        assert!(names_an_ip("192.168.1.5:1111"));
        assert!(names_an_ip("[fe80::1]:1111"));
        assert!(names_an_ip("10.0.0.1"));
        assert!(!names_an_ip("evil.example:1111"));
        assert!(!names_an_ip("localhost"));
    }
}
