/// The `SameSite` attribute of the cookies fullauth sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SameSite {
    /// Sent on same-site requests and on top-level navigations from other sites (the default).
    #[default]
    Lax,
    /// Sent on same-site requests only.
    Strict,
    /// Sent on every request, cross-site included; needs `cookie_secure`. Pair it with the CSRF layer.
    None,
}

impl SameSite {
    /// The attribute's value in a `Set-Cookie` header, as `FULLAUTH_COOKIE_SAMESITE` also accepts it.
    pub fn name(self) -> &'static str {
        match self {
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
            SameSite::None => "None",
        }
    }
}

impl std::str::FromStr for SameSite {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "lax" => Ok(SameSite::Lax),
            "strict" => Ok(SameSite::Strict),
            "none" => Ok(SameSite::None),
            other => Err(format!(
                "`{other}` is not a SameSite value: use lax, strict or none"
            )),
        }
    }
}
