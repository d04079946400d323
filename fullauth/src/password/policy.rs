/// Length rules for new passwords. Any Unicode is accepted; nothing is trimmed or case-folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Shortest password, in characters.
    pub min_length: usize,
    /// Longest password, in characters; 0 means no limit.
    pub max_length: usize,
}

impl PasswordPolicy {
    /// Every rule the password breaks, as the sentences of a 422 `detail` (joined with `"; "` by the caller).
    pub fn violations(&self, password: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let length = password.chars().count();
        if length < self.min_length {
            problems.push(format!(
                "Password must be at least {} characters",
                self.min_length
            ));
        }
        if self.is_too_long(password) {
            problems.push(format!(
                "Password must be at most {} characters",
                self.max_length
            ));
        }
        problems
    }

    /// Whether the password exceeds the maximum length; checked before any hashing.
    pub fn is_too_long(&self, password: &str) -> bool {
        // Counting bytes first keeps a 100 kB password from costing a character walk.
        self.max_length != 0
            && password.len() > self.max_length
            && password.chars().count() > self.max_length
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: PasswordPolicy = PasswordPolicy {
        min_length: 8,
        max_length: 12,
    };

    #[test]
    fn counts_characters_not_bytes() {
        assert!(POLICY.violations("ééééééééé").is_empty());
        assert_eq!(
            POLICY.violations("short"),
            vec!["Password must be at least 8 characters"]
        );
        assert_eq!(
            POLICY.violations("ééééééééééééé"),
            vec!["Password must be at most 12 characters"]
        );
    }

    #[test]
    fn keeps_whitespace() {
        assert_eq!(POLICY.violations("  a  ").len(), 1);
        assert!(POLICY.violations("        ").is_empty());
    }
}
