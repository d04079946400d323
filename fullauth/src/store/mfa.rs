//! Second factors: [`MfaStore`] and the values of its operations.

use time::OffsetDateTime;

use super::future::StoreFuture;
use crate::model::{FullAuthUser, MfaMixin};

/// The second factor of a user model `U`.
pub type MfaOf<U> = MfaMixin<<U as FullAuthUser>::Id>;

/// Persistence of the users' TOTP secrets and recovery codes, for a user model that declares an MFA model.
///
/// A code is accepted at most once and a recovery code used at most once, under concurrency too: each is one
/// conditional write.
pub trait MfaStore<U: FullAuthUser>: Send + Sync + 'static {
    /// The user's second factor, on or waiting for its first code.
    fn mfa_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Option<MfaOf<U>>>;

    /// Starts an enrolment of `enrolment.user_id` (its `confirmed_at` is `None`), replacing one that waits for
    /// its first code; refused while MFA is on. One transaction with the user's row locked.
    fn start_mfa_enrolment<'a>(&'a self, enrolment: &'a MfaOf<U>) -> StoreFuture<'a, Enrolment>;

    /// Turns MFA on with a code of time step `step` and the digests of the recovery codes (comma-separated),
    /// only while the enrolment waits with the (sealed) `secret` the code was checked against and no code of
    /// `step` or later was accepted: one conditional write. An enrolment replaced in the meantime is
    /// [`Confirmation::NotEnrolled`].
    fn confirm_mfa<'a>(
        &'a self,
        user_id: &'a U::Id,
        secret: &'a str,
        step: i64,
        recovery_codes: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Confirmation>;

    /// Records an accepted code of time step `step`, only while MFA is on and no code of `step` or later was
    /// accepted: one conditional write. Returns whether it recorded (of two requests with one code, one does).
    fn accept_mfa_step<'a>(&'a self, user_id: &'a U::Id, step: i64) -> StoreFuture<'a, bool>;

    /// Uses the recovery code with this digest: removes it from the unused ones, while MFA is on. Returns
    /// whether it was there (of two requests with one code, one finds it).
    fn use_recovery_code<'a>(
        &'a self,
        user_id: &'a U::Id,
        digest: &'a str,
    ) -> StoreFuture<'a, bool>;

    /// Turns MFA off: deletes the user's secret and recovery codes. Returns whether there were any.
    fn disable_mfa<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, bool>;
}

/// What starting an enrolment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Enrolment {
    /// Started (an enrolment that waited was replaced).
    Started,
    /// MFA is on already; nothing changed.
    AlreadyEnabled,
    /// No such user; nothing changed.
    UserNotFound,
}

/// What confirming an enrolment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Confirmation {
    /// MFA is on.
    Confirmed,
    /// No enrolment waits for a code, or not the one with this secret.
    NotEnrolled,
    /// MFA is on already.
    AlreadyEnabled,
    /// A code of this time step or a later one was accepted already.
    StepUsed,
}
