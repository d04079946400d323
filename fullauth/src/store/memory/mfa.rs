use time::OffsetDateTime;

use super::{MemoryStore, answer};
use crate::model::FullAuthUser;
use crate::store::{Confirmation, Enrolment, MfaOf, MfaStore, StoreFuture};

/// Kept for any user model; fullauth reaches it only through [`crate::store::AuthStore::mfa_store`], which offers
/// it for a user model with an MFA model.
impl<U: FullAuthUser> MfaStore<U> for MemoryStore<U> {
    fn mfa_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Option<MfaOf<U>>> {
        answer(Ok(self.lock().mfa.get(user_id).cloned()))
    }

    fn start_mfa_enrolment<'a>(&'a self, enrolment: &'a MfaOf<U>) -> StoreFuture<'a, Enrolment> {
        let mut data = self.lock();
        let outcome = if !data.users.contains_key(&enrolment.user_id) {
            Enrolment::UserNotFound
        } else if data
            .mfa
            .get(&enrolment.user_id)
            .is_some_and(|mfa| mfa.is_enabled())
        {
            Enrolment::AlreadyEnabled
        } else {
            data.mfa
                .insert(enrolment.user_id.clone(), enrolment.clone());
            Enrolment::Started
        };
        answer(Ok(outcome))
    }

    fn confirm_mfa<'a>(
        &'a self,
        user_id: &'a U::Id,
        secret: &'a str,
        step: i64,
        recovery_codes: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Confirmation> {
        let mut data = self.lock();
        let outcome = match data.mfa.get_mut(user_id) {
            None => Confirmation::NotEnrolled,
            Some(mfa) if mfa.is_enabled() => Confirmation::AlreadyEnabled,
            Some(mfa) if mfa.secret != secret => Confirmation::NotEnrolled,
            Some(mfa) if mfa.last_counter >= step => Confirmation::StepUsed,
            Some(mfa) => {
                mfa.confirmed_at = Some(now);
                mfa.last_counter = step;
                recovery_codes.clone_into(&mut mfa.recovery_codes);
                Confirmation::Confirmed
            }
        };
        answer(Ok(outcome))
    }

    fn accept_mfa_step<'a>(&'a self, user_id: &'a U::Id, step: i64) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let accepted = match data.mfa.get_mut(user_id) {
            Some(mfa) if mfa.is_enabled() && mfa.last_counter < step => {
                mfa.last_counter = step;
                true
            }
            _ => false,
        };
        answer(Ok(accepted))
    }

    fn use_recovery_code<'a>(
        &'a self,
        user_id: &'a U::Id,
        digest: &'a str,
    ) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let used = match data.mfa.get_mut(user_id) {
            Some(mfa) if mfa.is_enabled() => match mfa.recovery_codes_without(digest) {
                Some(rest) => {
                    mfa.recovery_codes = rest;
                    true
                }
                None => false,
            },
            _ => false,
        };
        answer(Ok(used))
    }

    fn disable_mfa<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, bool> {
        answer(Ok(self.lock().mfa.remove(user_id).is_some()))
    }
}
