//! Where requests go: the eight documented regions (primary and backup domain) or explicit URLs.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A documented service region. Each has a primary domain and a backup used when the primary
/// cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// console.tim.qq.com
    #[default]
    China,
    /// adminapisgp.im.qcloud.com
    Singapore,
    /// adminapikr.im.qcloud.com
    Seoul,
    /// adminapiger.im.qcloud.com
    Frankfurt,
    /// adminapiind.im.qcloud.com
    Mumbai,
    /// adminapiusa.im.qcloud.com
    SiliconValley,
    /// adminapiidn.im.qcloud.com
    Jakarta,
    /// adminapijpn.im.qcloud.com
    Tokyo,
}

impl Region {
    /// All regions, in the reference's order.
    pub const ALL: [Region; 8] = [
        Region::China,
        Region::Singapore,
        Region::Seoul,
        Region::Frankfurt,
        Region::Mumbai,
        Region::SiliconValley,
        Region::Jakarta,
        Region::Tokyo,
    ];

    /// The region's primary API domain.
    pub fn primary_domain(self) -> &'static str {
        match self {
            Region::China => "console.tim.qq.com",
            Region::Singapore => "adminapisgp.im.qcloud.com",
            Region::Seoul => "adminapikr.im.qcloud.com",
            Region::Frankfurt => "adminapiger.im.qcloud.com",
            Region::Mumbai => "adminapiind.im.qcloud.com",
            Region::SiliconValley => "adminapiusa.im.qcloud.com",
            Region::Jakarta => "adminapiidn.im.qcloud.com",
            Region::Tokyo => "adminapijpn.im.qcloud.com",
        }
    }

    /// The region's backup API domain.
    pub fn backup_domain(self) -> &'static str {
        match self {
            Region::China => "adminapi.my-imcloud.com",
            Region::Singapore => "adminapisgp.my-imcloud.com",
            Region::Seoul => "adminapikr.my-imcloud.com",
            Region::Frankfurt => "adminapiger.my-imcloud.com",
            Region::Mumbai => "adminapiind.my-imcloud.com",
            Region::SiliconValley => "adminapiusa.my-imcloud.com",
            Region::Jakarta => "adminapiidn.my-imcloud.com",
            Region::Tokyo => "adminapijpn.my-imcloud.com",
        }
    }

    /// The canonical lower-case name (`china`, `singapore`, ..., `silicon-valley`).
    pub const fn name(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::Singapore => "singapore",
            Region::Seoul => "seoul",
            Region::Frankfurt => "frankfurt",
            Region::Mumbai => "mumbai",
            Region::SiliconValley => "silicon-valley",
            Region::Jakarta => "jakarta",
            Region::Tokyo => "tokyo",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Region {
    type Err = Error;

    /// Accepts the canonical names, common aliases (`sgp`, `kr`, `ger`, `india`, `usa`, `idn`,
    /// `jpn`, ...) in any case, with `-`, `_` or spaces.
    fn from_str(s: &str) -> Result<Self, Error> {
        let norm: String =
            s.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).flat_map(char::to_lowercase).collect();
        Ok(match norm.as_str() {
            "china" | "cn" | "mainland" => Region::China,
            "singapore" | "sgp" | "sg" => Region::Singapore,
            "seoul" | "kr" | "korea" => Region::Seoul,
            "frankfurt" | "ger" | "de" | "germany" => Region::Frankfurt,
            "mumbai" | "india" | "ind" | "in" => Region::Mumbai,
            "siliconvalley" | "usa" | "us" => Region::SiliconValley,
            "jakarta" | "idn" | "id" | "indonesia" => Region::Jakarta,
            "tokyo" | "jpn" | "jp" | "japan" => Region::Tokyo,
            _ => {
                return Err(Error::invalid(
                    "region",
                    format!(
                        "unknown region {s:?}; expected one of china, singapore, seoul, frankfurt, mumbai, silicon-valley, jakarta, tokyo"
                    ),
                ))
            }
        })
    }
}

/// The base URLs a client sends to: a region's two domains over HTTPS, or explicit URLs
/// (emulator, proxy, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A documented region.
    Region(Region),
    /// Explicit base URLs, e.g. `http://127.0.0.1:8080`; the backup is optional.
    BaseUrl {
        /// Tried first.
        primary: url::Url,
        /// Tried when the primary cannot be reached.
        backup: Option<url::Url>,
    },
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::Region(Region::China)
    }
}

impl Endpoint {
    /// An explicit base URL (scheme http or https, no query).
    pub fn base_url(url: &str) -> Result<Self, Error> {
        Ok(Endpoint::BaseUrl { primary: parse_base_url(url)?, backup: None })
    }

    /// Explicit primary and backup base URLs.
    pub fn base_urls(primary: &str, backup: &str) -> Result<Self, Error> {
        Ok(Endpoint::BaseUrl { primary: parse_base_url(primary)?, backup: Some(parse_base_url(backup)?) })
    }

    /// Refuses a plain `http://` URL to a host that is not loopback (127.0.0.0/8, `::1`,
    /// `localhost`) unless `allow_insecure_http`: every request carries the UserSig in its
    /// query string, which clear-text HTTP shows to anyone on the path.
    pub(crate) fn check_transport_security(&self, allow_insecure_http: bool) -> Result<(), Error> {
        let Endpoint::BaseUrl { primary, backup } = self else {
            return Ok(());
        };
        for url in std::iter::once(primary).chain(backup) {
            if url.scheme() == "http" && !allow_insecure_http && !is_loopback(url) {
                return Err(Error::invalid(
                    "base_url",
                    format!(
                        "plain http:// to {} would send the UserSig in clear text; use https://, or set allow_insecure_http to allow it",
                        url.host_str().unwrap_or("")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The primary base URL and the backup, if any.
    pub(crate) fn urls(&self) -> (url::Url, Option<url::Url>) {
        match self {
            Endpoint::Region(r) => (https_url(r.primary_domain()), Some(https_url(r.backup_domain()))),
            Endpoint::BaseUrl { primary, backup } => (primary.clone(), backup.clone()),
        }
    }
}

fn https_url(domain: &'static str) -> url::Url {
    // Only called with the constant domains above, which are valid host names.
    #[allow(clippy::expect_used)]
    url::Url::parse(&format!("https://{domain}/")).expect("constant region domain is a valid URL")
}

/// Whether `url`'s host is this machine's loopback interface.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.eq_ignore_ascii_case("localhost."),
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        None => false,
    }
}

fn parse_base_url(s: &str) -> Result<url::Url, Error> {
    let url = url::Url::parse(s.trim()).map_err(|e| Error::invalid("base_url", format!("{s:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid("base_url", "scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid("base_url", "must not have a query or fragment"));
    }
    if url.host().is_none() {
        return Err(Error::invalid("base_url", "must have a host"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases() {
        for r in Region::ALL {
            assert_eq!(r.name().parse::<Region>().unwrap(), r);
            assert!(r.backup_domain().ends_with("my-imcloud.com"));
        }
        assert_eq!("Silicon Valley".parse::<Region>().unwrap(), Region::SiliconValley);
        assert_eq!("SGP".parse::<Region>().unwrap(), Region::Singapore);
        assert!("mars".parse::<Region>().is_err());
    }

    #[test]
    fn base_url_validation() {
        assert!(Endpoint::base_url("http://127.0.0.1:1").is_ok());
        assert!(Endpoint::base_url("ftp://x").is_err());
        assert!(Endpoint::base_url("http://x/?a=b").is_err());
        assert!(Endpoint::base_url("not a url").is_err());
        let (p, b) = Endpoint::Region(Region::Tokyo).urls();
        assert_eq!(p.as_str(), "https://adminapijpn.im.qcloud.com/");
        assert_eq!(b.unwrap().as_str(), "https://adminapijpn.my-imcloud.com/");
    }
}
