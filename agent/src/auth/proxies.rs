//! Which peers may tell the client's address (`X-Real-IP`): the local machine always, and the networks in
//! `PSTRAL_TRUSTED_PROXIES` (nginx in another container). From anyone else the header is ignored, so a client
//! cannot dodge the login throttle or forge the audit log's addresses.

use std::net::IpAddr;
use std::sync::Arc;

/// Networks whose peers are proxies; placed in every request's extensions by the router.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<(IpAddr, u8)>>);

impl TrustedProxies {
    /// Parses `10.0.0.5`, `172.30.0.0/24`, `fd00::/8`…; an entry that is not an address or a network is an error
    /// naming it.
    pub fn parse(entries: &[String]) -> anyhow::Result<Self> {
        let mut networks = Vec::new();
        for entry in entries.iter().map(|entry| entry.trim()).filter(|entry| !entry.is_empty()) {
            let (address, prefix) = entry.split_once('/').unwrap_or((entry, ""));
            let address: IpAddr = address.parse().map_err(|_| {
                anyhow::anyhow!("PSTRAL_TRUSTED_PROXIES: `{entry}` is not an address or a network like 172.30.0.0/24")
            })?;
            let width = if address.is_ipv4() { 32 } else { 128 };
            let prefix = if prefix.is_empty() { width } else { prefix.parse::<u8>().unwrap_or(u8::MAX) };
            anyhow::ensure!(prefix <= width, "PSTRAL_TRUSTED_PROXIES: `{entry}` has a prefix longer than {width}");
            networks.push((address, prefix));
        }
        Ok(Self(Arc::new(networks)))
    }

    /// Whether `peer` may set the client's address.
    pub fn trusts(&self, peer: IpAddr) -> bool {
        peer.is_loopback() || self.0.iter().any(|(network, prefix)| contains(*network, *prefix, peer))
    }
}

fn contains(network: IpAddr, prefix: u8, peer: IpAddr) -> bool {
    let bits = |address: IpAddr| -> (u128, u32) {
        match address {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        }
    };
    let ((network, width), (peer, peer_width)) = (bits(network), bits(peer));
    if width != peer_width {
        return false;
    }
    let shift = width - u32::from(prefix);
    shift >= width || (network >> shift) == (peer >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn networks_and_single_addresses_are_trusted_others_not() {
        let trusted =
            TrustedProxies::parse(&["172.30.0.0/24".into(), " 10.0.0.5 ".into(), "fd00::/8".into()]).expect("parses");
        assert!(trusted.trusts(ip("127.0.0.1")) && trusted.trusts(ip("::1")), "loopback always");
        assert!(trusted.trusts(ip("172.30.0.17")));
        assert!(!trusted.trusts(ip("172.30.1.17")));
        assert!(trusted.trusts(ip("10.0.0.5")) && !trusted.trusts(ip("10.0.0.6")));
        assert!(trusted.trusts(ip("fd12::1")) && !trusted.trusts(ip("fe80::1")));
        assert!(!TrustedProxies::default().trusts(ip("172.30.0.17")));
        assert!(TrustedProxies::parse(&["0.0.0.0/0".into()]).expect("all").trusts(ip("8.8.8.8")));
    }

    #[test]
    fn a_malformed_entry_is_named() {
        let error = TrustedProxies::parse(&["nginx".into()]).expect_err("refused").to_string();
        assert!(error.contains("`nginx`"), "{error}");
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
    }
}
