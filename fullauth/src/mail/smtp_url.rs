//! What an SMTP URL says about the connection: the host, the kind of TLS, whether it carries a password.
//! lettre reads the URL itself; this is for the checks and the TLS settings fullauth adds.

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsMode {
    /// `smtp://`: plain text.
    None,
    /// `smtp://...?tls=opportunistic`: STARTTLS when offered, plain text otherwise.
    Opportunistic,
    /// `smtp://...?tls=required`: STARTTLS, or no mail.
    Required,
    /// `smtps://`: TLS from the first byte.
    Wrapper,
}

/// The parts of an SMTP URL fullauth looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SmtpEndpoint {
    /// The host name or address, without brackets.
    pub(crate) host: String,
    pub(crate) tls: TlsMode,
    /// Whether the URL carries a password (lettre signs in only then).
    pub(crate) has_password: bool,
}

impl SmtpEndpoint {
    /// Reads an `smtp://` or `smtps://` URL; `None` for anything else (lettre then explains what is wrong).
    pub(crate) fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.split_once("://")?;
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = before_query.split('/').next().unwrap_or_default();
        let (userinfo, host_and_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => (Some(userinfo), host),
            None => (None, authority),
        };
        let host = match host_and_port.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
            None => host_and_port.split(':').next().unwrap_or_default(),
        };
        let tls_parameter = query.split('&').find_map(|pair| pair.strip_prefix("tls="));
        let tls = match (scheme.to_ascii_lowercase().as_str(), tls_parameter) {
            ("smtps", _) => TlsMode::Wrapper,
            ("smtp", None) => TlsMode::None,
            ("smtp", Some("required")) => TlsMode::Required,
            ("smtp", Some("opportunistic")) => TlsMode::Opportunistic,
            _ => return None,
        };
        Some(SmtpEndpoint {
            host: host.to_owned(),
            tls,
            has_password: userinfo.is_some_and(|userinfo| userinfo.contains(':')),
        })
    }

    /// Whether the server is this machine.
    pub(crate) fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Whether a password would cross the network unencrypted: no TLS that is certain to happen, and a server
    /// that is not on loopback.
    pub(crate) fn sends_credentials_in_clear(&self) -> bool {
        self.has_password
            && !matches!(self.tls, TlsMode::Required | TlsMode::Wrapper)
            && !self.is_loopback()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(url: &str) -> SmtpEndpoint {
        SmtpEndpoint::parse(url).unwrap_or_else(|| panic!("{url} should parse"))
    }

    #[test]
    fn reads_host_tls_and_password() {
        let parsed = endpoint("smtps://user:pw@mail.example.com:465/ehlo.example.com");
        assert_eq!(
            parsed,
            SmtpEndpoint {
                host: "mail.example.com".into(),
                tls: TlsMode::Wrapper,
                has_password: true
            }
        );
        assert_eq!(endpoint("smtp://[::1]:2525").host, "::1");
        assert_eq!(endpoint("smtp://h?tls=required").tls, TlsMode::Required);
        assert_eq!(
            endpoint("smtp://h?x=1&tls=opportunistic").tls,
            TlsMode::Opportunistic
        );
        assert!(!endpoint("smtp://user@h").has_password);
        assert_eq!(SmtpEndpoint::parse("imap://h"), None);
        assert_eq!(SmtpEndpoint::parse("smtp://h?tls=sometimes"), None);
        assert_eq!(SmtpEndpoint::parse("not a url"), None);
    }

    #[test]
    fn credentials_travel_only_over_tls_or_loopback() {
        for refused in [
            "smtp://user:secret@mail.example.com:587",
            "smtp://user:secret@mail.example.com?tls=opportunistic",
            "smtp://user:secret@10.0.0.5:25/ehlo.example.com",
        ] {
            assert!(endpoint(refused).sends_credentials_in_clear(), "{refused}");
        }
        for accepted in [
            "smtps://user:secret@mail.example.com",
            "smtp://user:secret@mail.example.com:587?tls=required",
            "smtp://user:secret@127.0.0.1:2525",
            "smtp://user:secret@localhost:2525",
            "smtp://user:secret@[::1]:2525",
            "smtp://mail.example.com:25",
            "smtp://user@mail.example.com:25",
        ] {
            assert!(
                !endpoint(accepted).sends_credentials_in_clear(),
                "{accepted}"
            );
        }
    }
}
