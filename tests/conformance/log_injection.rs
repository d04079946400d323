//! Log injection: a sign-in identifier goes into the audit log, so one with line breaks or terminal escapes must
//! not forge or hide log lines, and a huge one must not flood the log.

use fullauth_tests::Backend;
use serde_json::json;

use crate::run;

crate::on_every_backend!(hostile_identifiers_are_escaped_in_the_log);

async fn hostile_identifiers_are_escaped_in_the_log(backend: Backend) {
    fullauth_tests::audit::capture();
    run(backend, |app| async move {
        let marker = uuid::Uuid::new_v4().simple().to_string();
        let hostile = [
            format!("{marker}-a@example.com\r\n2026-12-05T00:00:00Z INFO fullauth::audit: signed in user_id=1"),
            format!("{marker}-b@example.com\u{1b}[2K\u{1b}[1A\u{1b}[31m"),
            format!("{marker}-c@example.com\u{9b}2K"),
            format!("{marker}-d{}@example.com", "x".repeat(20_000)),
        ];
        for identifier in &hostile {
            let answer = app
                .post("/login", json!({"email": identifier, "password": "a password"}))
                .await;
            answer.assert_unauthorized();
        }
        let lines = fullauth_tests::audit::lines_with(&["sign-in failed", &marker]);
        assert_eq!(lines.len(), hostile.len(), "{lines:#?}");
        for line in &lines {
            assert!(
                !line.chars().any(|character| character.is_control()),
                "a control character reached the log: {line:?}"
            );
            assert!(line.len() < 1_000, "an identifier was logged whole: {} bytes", line.len());
        }
        let escaped = |text: &str| lines.iter().any(|line| line.contains(text));
        assert!(escaped("example.com\\u{d}\\u{a}2026-12-05"), "{lines:#?}");
        assert!(escaped("\\u{1b}[2k\\u{1b}[1a"), "{lines:#?}");
        assert!(escaped("example.com\\u{9b}2k"), "{lines:#?}");
        assert!(escaped("more characters)"), "{lines:#?}");
    })
    .await;
}
