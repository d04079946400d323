//! Changing an account: the profile, the password, email verification, password reset, and deleting it.

use serde_json::json;

use crate::runner::{Action, mail};
use crate::scenario::{PASSWORD, delete, get, patch, post, post_empty, register, sign_in};

fn signed_in(email: &'static str, variable: &'static str) -> Vec<Action> {
    vec![
        register(email).into(),
        sign_in("sign in", email, PASSWORD, variable).into(),
    ]
}

/// `PATCH /me`, `POST /change-password` and `DELETE /me`, accepted and refused.
pub fn profile_and_password() -> Vec<Action> {
    let mut actions = signed_in("cy@example.com", "cy");
    actions.extend(
        [
            patch(
                "update a custom field",
                "/api/v1/auth/me",
                json!({"display_name": "Cy"}),
            )
            .bearer("cy"),
            patch("update nothing", "/api/v1/auth/me", json!({})).bearer("cy"),
            patch(
                "update only protected fields",
                "/api/v1/auth/me",
                json!({"is_superuser": true, "email": "x@example.com"}),
            )
            .bearer("cy"),
            patch(
                "update a protected field with a custom one",
                "/api/v1/auth/me",
                json!({"is_superuser": true, "phone": "555"}),
            )
            .bearer("cy"),
            patch(
                "update unknown fields",
                "/api/v1/auth/me",
                json!({"shoe_size": 44, "hat": "red"}),
            )
            .bearer("cy"),
            patch(
                "update a field with a value of the wrong type",
                "/api/v1/auth/me",
                json!({"display_name": 12}),
            )
            .bearer("cy"),
            patch(
                "update without a token",
                "/api/v1/auth/me",
                json!({"phone": "1"}),
            ),
            get("the updated user", "/api/v1/auth/me").bearer("cy"),
            post(
                "change the password with a wrong current one",
                "/api/v1/auth/change-password",
                json!({"current_password": "wrong horse 1", "new_password": "another horse 2"}),
            )
            .bearer("cy"),
            post(
                "change the password to one the policy refuses",
                "/api/v1/auth/change-password",
                json!({"current_password": "correct horse 1", "new_password": "short"}),
            )
            .bearer("cy"),
            post(
                "change the password without the new one",
                "/api/v1/auth/change-password",
                json!({"current_password": "correct horse 1"}),
            )
            .bearer("cy"),
            post(
                "change the password",
                "/api/v1/auth/change-password",
                json!({"current_password": "correct horse 1", "new_password": "another horse 2"}),
            )
            .bearer("cy"),
            get("the current user after the change", "/api/v1/auth/me").bearer("cy"),
            post(
                "sign in with the old password",
                "/api/v1/auth/login",
                json!({"email": "cy@example.com", "password": "correct horse 1"}),
            ),
            post(
                "sign in with the new password",
                "/api/v1/auth/login",
                json!({"email": "cy@example.com", "password": "another horse 2"}),
            )
            .save("cy", "/access_token"),
            delete(
                "delete the account with a wrong password",
                "/api/v1/auth/me",
                json!({"current_password": "wrong horse 1"}),
            )
            .bearer("cy"),
            delete(
                "delete the account",
                "/api/v1/auth/me",
                json!({"current_password": "another horse 2"}),
            )
            .bearer("cy")
            .differs("delete-me-never-fails"),
            get("the deleted user", "/api/v1/auth/me")
                .bearer("cy")
                .differs("delete-me-never-fails"),
            post(
                "sign in to the deleted account",
                "/api/v1/auth/login",
                json!({"email": "cy@example.com", "password": "another horse 2"}),
            )
            .differs("delete-me-never-fails"),
            delete("delete without a token", "/api/v1/auth/me", json!(null)),
        ]
        .into_iter()
        .map(Action::from),
    );
    actions.extend(signed_in("cy2@example.com", "cy2"));
    actions.push(
        patch(
            "update a field beyond its length",
            "/api/v1/auth/me",
            json!({"phone": "1".repeat(21)}),
        )
        .bearer("cy2")
        .differs("custom-field-limits")
        .into(),
    );
    actions
}

/// Email verification and password reset through the tokens the mails carry.
pub fn verification_and_reset() -> Vec<Action> {
    let mut actions = signed_in("di@example.com", "di");
    actions.extend([
        post_empty(
            "ask for a verification mail",
            "/api/v1/auth/verify-email/request",
        )
        .bearer("di")
        .into(),
        post_empty(
            "ask for a verification mail without a token",
            "/api/v1/auth/verify-email/request",
        )
        .into(),
        mail("di@example.com", "verify", "verify_token"),
        post(
            "confirm with a token that is not one",
            "/api/v1/auth/verify-email/confirm",
            json!({"token": "nonsense"}),
        )
        .into(),
        post(
            "confirm with an access token",
            "/api/v1/auth/verify-email/confirm",
            json!({"token": "{di}"}),
        )
        .into(),
        post(
            "confirm without a token",
            "/api/v1/auth/verify-email/confirm",
            json!({}),
        )
        .into(),
        post(
            "confirm the email",
            "/api/v1/auth/verify-email/confirm",
            json!({"token": "{verify_token}"}),
        )
        .into(),
        post(
            "confirm the email again",
            "/api/v1/auth/verify-email/confirm",
            json!({"token": "{verify_token}"}),
        )
        .into(),
        get(
            "a verified user's route, verified",
            "/api/v1/auth/me/verified",
        )
        .bearer("di")
        .into(),
        post(
            "ask for a reset of a known address",
            "/api/v1/auth/password-reset/request",
            json!({"email": "di@example.com"}),
        )
        .into(),
        post(
            "ask for a reset of an unknown address",
            "/api/v1/auth/password-reset/request",
            json!({"email": "nobody@example.com"}),
        )
        .into(),
        post(
            "ask for a reset of an invalid address",
            "/api/v1/auth/password-reset/request",
            json!({"email": "nobody"}),
        )
        .into(),
        mail("di@example.com", "reset", "reset_token"),
        post(
            "reset to a password the policy refuses",
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "{reset_token}", "new_password": "short"}),
        )
        .into(),
        post(
            "reset with a token that is not one",
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "nonsense", "new_password": "a third horse 3"}),
        )
        .into(),
        post(
            "reset with the verification token",
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "{verify_token}", "new_password": "a third horse 3"}),
        )
        .into(),
        post(
            "reset the password",
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "{reset_token}", "new_password": "a third horse 3"}),
        )
        .into(),
        post(
            "reset again with the same token",
            "/api/v1/auth/password-reset/confirm",
            json!({"token": "{reset_token}", "new_password": "a fourth horse 4"}),
        )
        .into(),
        get("the current user after the reset", "/api/v1/auth/me")
            .bearer("di")
            .into(),
        post(
            "sign in with the reset password",
            "/api/v1/auth/login",
            json!({"email": "di@example.com", "password": "a third horse 3"}),
        )
        .into(),
    ]);
    actions
}
