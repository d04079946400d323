//! What happened: an event for every step of an account's life, for the application to react to.
//!
//! ```no_run
//! # use fullauth::{FullAuth, events::AuthEvent};
//! # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
//! # fn build(builder: fullauth::FullAuthBuilder<User>) {
//! let builder = builder.on_event(|event: AuthEvent<User>| async move {
//!     if let AuthEvent::AfterRegister { user } = event {
//!         tracing::info!(email = user.auth.email, "welcome");
//!     }
//!     Ok::<(), std::convert::Infallible>(())
//! });
//! # }
//! ```
//!
//! Handlers run after the response, one after the other in the order they were added; one that fails or panics
//! is logged, and neither the request it followed nor the next handler is affected. The mail of the two mail
//! events is delivered by the configured mailer at the same time, whatever the handlers do.

use std::fmt::Display;
use std::future::Future;
use std::sync::Arc;

use crate::log_field::LogField;
use crate::mail::{DynMailer, Mail};
use crate::model::FullAuthUser;
use crate::shared_state::BoxFuture;

/// Something that happened to an account.
///
/// Its `Debug` output leaves out the tokens of the mail events (and [`Mail`]'s leaves out the bodies, which hold
/// the link), so logging an event never logs a working link.
#[derive(Clone)]
#[non_exhaustive]
pub enum AuthEvent<U> {
    /// An account was created (`POST /register`).
    AfterRegister {
        /// The new user.
        user: U,
    },
    /// A user signed in.
    AfterLogin {
        /// The user.
        user: U,
    },
    /// A session ended by sign-out.
    AfterLogout {
        /// The `sub` of the tokens that signed out.
        user_id: String,
    },
    /// A user changed their password (every session ended).
    AfterPasswordChange {
        /// The user, before the change.
        user: U,
    },
    /// A user set a new password through a reset link (every session ended).
    AfterPasswordReset {
        /// The user, before the reset.
        user: U,
    },
    /// A user confirmed their email address.
    AfterEmailVerify {
        /// The user, now verified.
        user: U,
    },
    /// A role was given to a user (also when they already had it: assignment is idempotent).
    AfterRoleAssigned {
        /// The user's id, as the `sub` of their tokens.
        user_id: String,
        /// The role's name.
        role: String,
    },
    /// A role was taken from a user (also when they did not have it).
    AfterRoleRemoved {
        /// The user's id, as the `sub` of their tokens.
        user_id: String,
        /// The role's name.
        role: String,
    },
    /// A permission was given to a role (also when it already had it).
    AfterPermissionAssigned {
        /// The role's name.
        role: String,
        /// The permission's name.
        permission: String,
    },
    /// A permission was taken from a role (also when it did not have it).
    AfterPermissionRemoved {
        /// The role's name.
        role: String,
        /// The permission's name.
        permission: String,
    },
    /// An account was activated.
    AfterUserActivated {
        /// The user, now active.
        user: U,
    },
    /// An account was deactivated (every session ended).
    AfterUserDeactivated {
        /// The user, now inactive.
        user: U,
    },
    /// A user added a passkey.
    AfterPasskeyRegistered {
        /// The user.
        user: U,
        /// The new passkey's id.
        passkey_id: uuid::Uuid,
    },
    /// A user deleted one of their passkeys.
    AfterPasskeyDeleted {
        /// The user.
        user: U,
        /// The deleted passkey's id.
        passkey_id: uuid::Uuid,
    },
    /// A sign-in with a passkey was refused because the authenticator's signature counter went backwards: the
    /// authenticator may have been cloned. The passkey keeps working for the authenticator whose counter is
    /// ahead; an application may want to tell the user, or delete the passkey.
    PasskeyCounterRegressed {
        /// The passkey's owner.
        user: U,
        /// The passkey.
        passkey_id: uuid::Uuid,
    },
    /// A user turned MFA on: sign-ins ask for a code from now on.
    AfterMfaEnabled {
        /// The user.
        user: U,
    },
    /// A user turned MFA off.
    AfterMfaDisabled {
        /// The user.
        user: U,
    },
    /// A recovery code stood in for the code of a sign-in: the user may have lost their authenticator.
    MfaRecoveryCodeUsed {
        /// The user.
        user: U,
        /// How many unused recovery codes are left.
        remaining: usize,
    },
    /// Repeated wrong codes locked the user's second factor for the lockout's duration: someone who knows the
    /// password may be guessing codes.
    MfaLocked {
        /// The user.
        user: U,
    },
    /// A verification mail is being sent: the configured mailer delivers `mail` while the handlers run.
    SendVerificationEmail {
        /// The recipient.
        user: U,
        /// The token in the link.
        token: String,
        /// The mail, rendered by the configured templates.
        mail: Mail,
    },
    /// A password-reset mail is being sent: the configured mailer delivers `mail` while the handlers run.
    SendPasswordResetEmail {
        /// The recipient.
        user: U,
        /// The token in the link.
        token: String,
        /// The mail, rendered by the configured templates.
        mail: Mail,
    },
}

impl<U: std::fmt::Debug> std::fmt::Debug for AuthEvent<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct(self.variant());
        match self {
            AuthEvent::AfterRegister { user }
            | AuthEvent::AfterLogin { user }
            | AuthEvent::AfterPasswordChange { user }
            | AuthEvent::AfterPasswordReset { user }
            | AuthEvent::AfterEmailVerify { user }
            | AuthEvent::AfterUserActivated { user }
            | AuthEvent::AfterUserDeactivated { user }
            | AuthEvent::AfterMfaEnabled { user }
            | AuthEvent::AfterMfaDisabled { user }
            | AuthEvent::MfaLocked { user } => out.field("user", user),
            AuthEvent::MfaRecoveryCodeUsed { user, remaining } => {
                out.field("user", user).field("remaining", remaining)
            }
            AuthEvent::AfterLogout { user_id } => out.field("user_id", user_id),
            AuthEvent::AfterPasskeyRegistered { user, passkey_id }
            | AuthEvent::AfterPasskeyDeleted { user, passkey_id }
            | AuthEvent::PasskeyCounterRegressed { user, passkey_id } => {
                out.field("user", user).field("passkey_id", passkey_id)
            }
            AuthEvent::AfterRoleAssigned { user_id, role }
            | AuthEvent::AfterRoleRemoved { user_id, role } => {
                out.field("user_id", user_id).field("role", role)
            }
            AuthEvent::AfterPermissionAssigned { role, permission }
            | AuthEvent::AfterPermissionRemoved { role, permission } => {
                out.field("role", role).field("permission", permission)
            }
            AuthEvent::SendVerificationEmail { user, mail, .. }
            | AuthEvent::SendPasswordResetEmail { user, mail, .. } => out
                .field("user", user)
                .field("token", &"<redacted>")
                .field("mail", mail),
        };
        out.finish()
    }
}

impl<U> AuthEvent<U> {
    fn variant(&self) -> &'static str {
        match self {
            AuthEvent::AfterRegister { .. } => "AfterRegister",
            AuthEvent::AfterLogin { .. } => "AfterLogin",
            AuthEvent::AfterLogout { .. } => "AfterLogout",
            AuthEvent::AfterPasswordChange { .. } => "AfterPasswordChange",
            AuthEvent::AfterPasswordReset { .. } => "AfterPasswordReset",
            AuthEvent::AfterEmailVerify { .. } => "AfterEmailVerify",
            AuthEvent::AfterRoleAssigned { .. } => "AfterRoleAssigned",
            AuthEvent::AfterRoleRemoved { .. } => "AfterRoleRemoved",
            AuthEvent::AfterPermissionAssigned { .. } => "AfterPermissionAssigned",
            AuthEvent::AfterPermissionRemoved { .. } => "AfterPermissionRemoved",
            AuthEvent::AfterUserActivated { .. } => "AfterUserActivated",
            AuthEvent::AfterUserDeactivated { .. } => "AfterUserDeactivated",
            AuthEvent::AfterPasskeyRegistered { .. } => "AfterPasskeyRegistered",
            AuthEvent::AfterPasskeyDeleted { .. } => "AfterPasskeyDeleted",
            AuthEvent::PasskeyCounterRegressed { .. } => "PasskeyCounterRegressed",
            AuthEvent::AfterMfaEnabled { .. } => "AfterMfaEnabled",
            AuthEvent::AfterMfaDisabled { .. } => "AfterMfaDisabled",
            AuthEvent::MfaRecoveryCodeUsed { .. } => "MfaRecoveryCodeUsed",
            AuthEvent::MfaLocked { .. } => "MfaLocked",
            AuthEvent::SendVerificationEmail { .. } => "SendVerificationEmail",
            AuthEvent::SendPasswordResetEmail { .. } => "SendPasswordResetEmail",
        }
    }

    /// The name of the event, as in fastapi-fullauth's hooks (`after_register`, `send_verification_email`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            AuthEvent::AfterRegister { .. } => "after_register",
            AuthEvent::AfterLogin { .. } => "after_login",
            AuthEvent::AfterLogout { .. } => "after_logout",
            AuthEvent::AfterPasswordChange { .. } => "after_password_change",
            AuthEvent::AfterPasswordReset { .. } => "after_password_reset",
            AuthEvent::AfterEmailVerify { .. } => "after_email_verify",
            AuthEvent::AfterRoleAssigned { .. } => "after_role_assigned",
            AuthEvent::AfterRoleRemoved { .. } => "after_role_removed",
            AuthEvent::AfterPermissionAssigned { .. } => "after_permission_assigned",
            AuthEvent::AfterPermissionRemoved { .. } => "after_permission_removed",
            AuthEvent::AfterUserActivated { .. } => "after_user_activated",
            AuthEvent::AfterUserDeactivated { .. } => "after_user_deactivated",
            AuthEvent::AfterPasskeyRegistered { .. } => "after_passkey_registered",
            AuthEvent::AfterPasskeyDeleted { .. } => "after_passkey_deleted",
            AuthEvent::PasskeyCounterRegressed { .. } => "passkey_counter_regressed",
            AuthEvent::AfterMfaEnabled { .. } => "after_mfa_enabled",
            AuthEvent::AfterMfaDisabled { .. } => "after_mfa_disabled",
            AuthEvent::MfaRecoveryCodeUsed { .. } => "mfa_recovery_code_used",
            AuthEvent::MfaLocked { .. } => "mfa_locked",
            AuthEvent::SendVerificationEmail { .. } => "send_verification_email",
            AuthEvent::SendPasswordResetEmail { .. } => "send_password_reset_email",
        }
    }

    /// The mail this event sends, if it is a mail event.
    pub fn mail(&self) -> Option<&Mail> {
        match self {
            AuthEvent::SendVerificationEmail { mail, .. }
            | AuthEvent::SendPasswordResetEmail { mail, .. } => Some(mail),
            _ => None,
        }
    }
}

pub(crate) type Handler<U> =
    Arc<dyn Fn(AuthEvent<U>) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Wraps an async closure as a handler.
pub(crate) fn handler<U, F, Fut, E>(handle: F) -> Handler<U>
where
    U: FullAuthUser,
    F: Fn(AuthEvent<U>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Display,
{
    Arc::new(move |event| {
        let outcome = handle(event);
        Box::pin(async move { outcome.await.map_err(|error| error.to_string()) })
    })
}

/// The handlers and the mailer, run after each response.
pub(crate) struct EventBus<U: FullAuthUser> {
    pub(crate) handlers: Vec<Handler<U>>,
    pub(crate) mailer: Arc<dyn DynMailer>,
}

impl<U: FullAuthUser> EventBus<U> {
    /// Sends the mail of a mail event, and runs the handlers in order, each on tasks of their own.
    pub(crate) fn emit(&self, event: AuthEvent<U>) {
        let name = event.name();
        if let Some(mail) = event.mail().cloned() {
            let mailer = Arc::clone(&self.mailer);
            tokio::spawn(async move {
                let to = mail.to.clone();
                match mailer.send(mail).await {
                    Ok(()) => {
                        tracing::info!(target: "fullauth::audit", event = name, to = %LogField(&to), "mail sent")
                    }
                    Err(error) => {
                        tracing::error!(event = name, to = %LogField(&to), %error, "sending a mail failed")
                    }
                }
            });
        }
        if self.handlers.is_empty() {
            return;
        }
        let handlers = self.handlers.clone();
        tokio::spawn(async move {
            for handler in handlers {
                let event = event.clone();
                // Each on a task of its own, closure call included, so that a handler that panics is logged
                // like one that fails and the next one still runs.
                match tokio::spawn(async move { handler(event).await }).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        tracing::warn!(event = name, %error, "an event handler failed")
                    }
                    Err(error) => {
                        tracing::error!(event = name, %error, "an event handler panicked")
                    }
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_a_link() {
        let event = AuthEvent::SendPasswordResetEmail {
            user: "ada",
            token: "secret.token.value".to_owned(),
            mail: Mail {
                to: "ada@example.com".into(),
                subject: "Reset your password".into(),
                text: "https://app.example.com/reset-password?token=secret.token.value".into(),
                html:
                    "<a href=\"https://app.example.com/reset-password?token=secret.token.value\">"
                        .into(),
            },
        };
        let shown = format!("{event:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains("SendPasswordResetEmail") && shown.contains("ada@example.com"),
            "{shown}"
        );
        let login = format!("{:?}", AuthEvent::AfterLogin { user: "ada" });
        assert_eq!(login, "AfterLogin { user: \"ada\" }");
    }
}
