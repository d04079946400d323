//! The values of the role and user-administration operations of [`super::AuthStore`].

/// A role and its permissions, as `GET /admin/roles` lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoleSummary {
    /// The role's name.
    pub name: String,
    /// The names of its permissions, sorted.
    pub permissions: Vec<String>,
}

/// The roles of several users, as `(user id, role name)` pairs.
pub type RolesOfUsers<Id> = Vec<(Id, String)>;

/// Which users to list, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserQuery {
    /// Only users whose (normalized) email contains this text, taken literally (`%` and `_` match themselves).
    pub email_contains: Option<String>,
    /// The most users to return.
    pub limit: u32,
    /// How many matching users to skip.
    pub offset: u64,
}

impl UserQuery {
    /// The filter as a `LIKE` pattern with `!` as its escape character: `%` when there is no filter.
    pub fn like_pattern(&self) -> String {
        let mut pattern = String::from("%");
        for c in self.email_contains.as_deref().unwrap_or("").chars() {
            if matches!(c, '%' | '_' | '!') {
                pattern.push('!');
            }
            pattern.push(c);
        }
        if pattern.len() > 1 {
            pattern.push('%');
        }
        pattern
    }

    /// Whether an email passes the filter.
    pub fn matches(&self, email: &str) -> bool {
        self.email_contains
            .as_deref()
            .is_none_or(|needle| email.contains(needle))
    }
}

/// One page of users.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPage<U> {
    /// The users of the page, oldest first.
    pub users: Vec<U>,
    /// How many users match the filter in all.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::UserQuery;

    fn query(filter: Option<&str>) -> UserQuery {
        UserQuery {
            email_contains: filter.map(str::to_owned),
            limit: 10,
            offset: 0,
        }
    }

    #[test]
    fn filters_become_escaped_patterns() {
        assert_eq!(query(None).like_pattern(), "%");
        assert_eq!(query(Some("ada")).like_pattern(), "%ada%");
        assert_eq!(query(Some("a_b%c!d")).like_pattern(), "%a!_b!%c!!d%");
    }

    #[test]
    fn filters_match_literally() {
        assert!(query(None).matches("x@example.com"));
        assert!(query(Some("_x")).matches("a_x@example.com"));
        assert!(!query(Some("_x")).matches("ax@example.com"));
    }
}
