//! Where a router's routes are mounted.
//!
//! Each route is registered at its full path, prefix included, rather than in a router nested under the prefix:
//! a nested router strips the prefix from every request's URI (a new URI per request) before routing again.

/// The prefix of the routes being registered: `""` for routers nested by the application, the configured mount
/// path otherwise.
#[derive(Debug, Clone)]
pub(super) struct Mount(String);

impl Mount {
    /// Routes mounted under `prefix` (`""`, or a path starting with `/` and not ending with one).
    pub(super) fn under(prefix: &str) -> Self {
        Mount(prefix.trim_end_matches('/').to_owned())
    }

    /// The full path of `route` (which starts with `/`).
    pub(super) fn path(&self, route: &str) -> String {
        format!("{}{route}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Mount;

    #[test]
    fn paths_join_the_prefix() {
        assert_eq!(Mount::under("").path("/me"), "/me");
        assert_eq!(Mount::under("/").path("/me"), "/me");
        assert_eq!(Mount::under("/api/v1/auth").path("/me"), "/api/v1/auth/me");
    }
}
