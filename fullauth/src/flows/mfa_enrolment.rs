//! Turning MFA on and off: the enrolment that hands out a TOTP secret, its confirmation by a first code (which
//! gives the recovery codes), the status, and disabling.

use serde::Serialize;

use super::FullAuth;
use super::account::Presence;
use crate::error::{Error, MfaFailure};
use crate::events::AuthEvent;
use crate::mfa::{new_recovery_codes, new_secret, provisioning_uri};
use crate::model::{FullAuthUser, MfaMixin, now};
use crate::store::{Confirmation, Enrolment};
use crate::tokens::Claims;

/// Whether a user has MFA on: the answer of `GET /mfa`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub struct MfaStatus {
    /// Whether sign-ins ask for a code.
    pub enabled: bool,
    /// How many unused recovery codes are left (0 while MFA is off).
    pub recovery_codes_remaining: usize,
}

/// A started enrolment: what the user's authenticator app needs. `Debug` shows neither value.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "What the user's authenticator app needs.")
)]
#[non_exhaustive]
pub struct MfaEnrolment {
    /// The TOTP secret, base32, for typing into the app by hand.
    pub secret: String,
    /// The `otpauth://` URI, for a QR code; it holds the secret.
    pub provisioning_uri: String,
}

impl std::fmt::Debug for MfaEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaEnrolment { .. }")
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Whether `user` has MFA on, and how many recovery codes are left.
    pub async fn mfa_status(&self, user: &U) -> Result<MfaStatus, Error> {
        let mfa = self.mfa_store()?.mfa_of(user.id()).await?;
        Ok(match mfa {
            Some(mfa) if mfa.is_enabled() => MfaStatus {
                enabled: true,
                recovery_codes_remaining: mfa.recovery_codes_remaining(),
            },
            _ => MfaStatus {
                enabled: false,
                recovery_codes_remaining: 0,
            },
        })
    }

    /// Starts an enrolment after proof of presence: a new TOTP secret, which does nothing until a first code
    /// confirms it ([`Self::mfa_confirm`]). Replaces an enrolment that waits; refused while MFA is on.
    pub(crate) async fn mfa_enroll(
        &self,
        user: &U,
        claims: &Claims,
        presence: Presence,
    ) -> Result<MfaEnrolment, Error> {
        let store = self.mfa_store()?;
        self.prove_presence(user, claims, presence).await?;
        let secret = new_secret();
        let now = now();
        let enrolment = MfaMixin {
            id: uuid::Uuid::now_v7(),
            user_id: user.id().clone(),
            secret: self.seal_totp_secret(user.id(), &secret)?,
            confirmed_at: None,
            last_counter: 0,
            recovery_codes: String::new(),
            created_at: now,
        };
        match store.start_mfa_enrolment(&enrolment).await? {
            Enrolment::Started => {}
            Enrolment::AlreadyEnabled => return Err(Error::Mfa(MfaFailure::AlreadyEnabled)),
            Enrolment::UserNotFound => return Err(Error::InvalidCredentials),
        }
        tracing::info!(target: "fullauth::audit", user_id = %user.id(), "MFA enrolment started");
        let issuer = self.inner.config.mfa.issuer.as_deref().unwrap_or_default();
        Ok(MfaEnrolment {
            provisioning_uri: provisioning_uri(&secret, user.email(), issuer),
            secret,
        })
    }

    /// Turns MFA on with the first code of the enrolment's secret, and returns the ten recovery codes, which
    /// are shown this once and kept only as digests. The sessions that exist stay open.
    pub async fn mfa_confirm(&self, user: &U, code: &str) -> Result<Vec<String>, Error> {
        let store = self.mfa_store()?;
        let enrolment = store
            .mfa_of(user.id())
            .await?
            .ok_or(Error::Mfa(MfaFailure::NotEnrolled))?;
        if enrolment.is_enabled() {
            return Err(Error::Mfa(MfaFailure::AlreadyConfirmed));
        }
        let step = self
            .totp_step(&enrolment, code)
            .ok_or(Error::Mfa(MfaFailure::InvalidCode))?;
        let key = self.mfa_keys()?.recovery_key(&user.id().to_string());
        let (codes, digests) = new_recovery_codes(&key);
        let confirmation = store
            .confirm_mfa(user.id(), &enrolment.secret, step, &digests, now())
            .await?;
        match confirmation {
            Confirmation::Confirmed => {}
            Confirmation::AlreadyEnabled => {
                return Err(Error::Mfa(MfaFailure::AlreadyConfirmed));
            }
            // The enrolment was replaced or dropped since its secret was read.
            Confirmation::NotEnrolled | Confirmation::StepUsed => {
                return Err(Error::Mfa(MfaFailure::InvalidCode));
            }
        }
        tracing::info!(target: "fullauth::audit", user_id = %user.id(), "MFA enabled");
        self.inner
            .events
            .emit(AuthEvent::AfterMfaEnabled { user: user.clone() });
        Ok(codes)
    }

    /// Turns MFA off after proof of presence, deleting the secret and the recovery codes (or drops an enrolment
    /// that waits for its code).
    pub(crate) async fn mfa_disable(
        &self,
        user: &U,
        claims: &Claims,
        presence: Presence,
    ) -> Result<(), Error> {
        let store = self.mfa_store()?;
        self.prove_presence(user, claims, presence).await?;
        let was_enabled = store
            .mfa_of(user.id())
            .await?
            .is_some_and(|mfa| mfa.is_enabled());
        if store.disable_mfa(user.id()).await? && was_enabled {
            tracing::info!(target: "fullauth::audit", user_id = %user.id(), "MFA disabled");
            self.inner
                .events
                .emit(AuthEvent::AfterMfaDisabled { user: user.clone() });
        }
        Ok(())
    }
}
