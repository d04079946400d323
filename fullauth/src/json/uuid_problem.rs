//! What is wrong with text that is not a UUID, in the words pydantic uses for it (its `uuid_parsing` message and
//! `ctx.error`), so that 422 bodies read the same as fastapi-fullauth's.

/// The lengths of the five groups of a hyphenated UUID.
const GROUP_LENGTHS: [usize; 5] = [8, 4, 4, 4, 12];

/// Why `text`, which the UUID parser refused, is not a UUID.
pub(crate) fn uuid_problem(text: &str) -> String {
    let (inner, wrapped) = match text.strip_prefix("urn:uuid:") {
        Some(rest) => (rest, true),
        None => match text
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(rest) => (rest, true),
            None => (text, false),
        },
    };
    if let Some((index, character)) = inner
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_hexdigit() || *c == '-'))
    {
        return format!("invalid character: found `{character}` at {index}");
    }
    let groups: Vec<&str> = inner.split('-').collect();
    if groups.len() == 1 && !wrapped {
        return format!("invalid length: found {}", inner.len());
    }
    if groups.len() != GROUP_LENGTHS.len() {
        return format!("invalid group count: expected 5, found {}", groups.len());
    }
    groups
        .iter()
        .zip(GROUP_LENGTHS)
        .enumerate()
        .find(|(_, (group, expected))| group.len() != *expected)
        .map_or_else(
            || format!("invalid length: found {}", text.len()),
            |(index, (group, expected))| {
                format!(
                    "invalid group length in group {index}: expected {expected}, found {}",
                    group.len()
                )
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_each_problem_as_pydantic_does() {
        // (input, what pydantic 2.14 puts in `ctx.error`)
        for (input, reason) in [
            ("hal", "invalid character: found `h` at 0"),
            ("", "invalid length: found 0"),
            (
                "0193a1b2c3d47e5f8a9b0c1d2e3f4a5",
                "invalid length: found 31",
            ),
            (
                "0193a1b2c3d47e5f8a9b0c1d2e3f4a5bab",
                "invalid length: found 34",
            ),
            (
                "zz93a1b2c3d47e5f8a9b0c1d2e3f4a5b",
                "invalid character: found `z` at 0",
            ),
            ("aé", "invalid character: found `é` at 1"),
            ("{abc", "invalid character: found `{` at 0"),
            (
                "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g",
                "invalid character: found `g` at 35",
            ),
            (
                "urn:uuid:zz93a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                "invalid character: found `z` at 0",
            ),
            (
                "{zz93a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}",
                "invalid character: found `z` at 0",
            ),
            (
                "{0193a1b2c3d47e5f8a9b0c1d2e3f4a5b}",
                "invalid group count: expected 5, found 1",
            ),
            ("urn:uuid:", "invalid group count: expected 5, found 1"),
            ("--", "invalid group count: expected 5, found 3"),
            (
                "0193a1b2-c3d4-7e5f-8a9b0c1d2e3f4a5b",
                "invalid group count: expected 5, found 4",
            ),
            (
                "0193a1b-2c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                "invalid group length in group 0: expected 8, found 7",
            ),
            (
                "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
                "invalid group length in group 4: expected 12, found 11",
            ),
        ] {
            assert_eq!(uuid_problem(input), reason, "{input:?}");
        }
    }
}
