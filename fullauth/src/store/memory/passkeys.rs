use super::{Data, MemoryStore, answer};
use crate::model::FullAuthUser;
use crate::store::{AddPasskey, PasskeyOf, PasskeyStore, PasskeyUse, RemovePasskey, StoreFuture};

impl<U: FullAuthUser> Data<U> {
    fn passkey_key(&self, user_id: &U::Id, passkey_id: &uuid::Uuid) -> Option<String> {
        self.passkeys
            .iter()
            .find(|(_, passkey)| &passkey.user_id == user_id && &passkey.id == passkey_id)
            .map(|(digest, _)| digest.clone())
    }
}

/// Kept for any user model; fullauth reaches it only through [`crate::store::AuthStore::passkey_store`], which
/// offers it for a user model with a passkey model.
impl<U: FullAuthUser> PasskeyStore<U> for MemoryStore<U> {
    fn passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<PasskeyOf<U>>> {
        let data = self.lock();
        let mut passkeys: Vec<_> = data
            .passkeys
            .values()
            .filter(|passkey| &passkey.user_id == user_id)
            .cloned()
            .collect();
        passkeys.sort_by_key(|passkey| (passkey.created_at, passkey.id));
        answer(Ok(passkeys))
    }

    fn passkey_by_digest<'a>(
        &'a self,
        credential_digest: &'a str,
    ) -> StoreFuture<'a, Option<PasskeyOf<U>>> {
        answer(Ok(self.lock().passkeys.get(credential_digest).cloned()))
    }

    fn add_passkey<'a>(
        &'a self,
        passkey: &'a PasskeyOf<U>,
        max_per_user: usize,
    ) -> StoreFuture<'a, AddPasskey> {
        let mut data = self.lock();
        let owned = data
            .passkeys
            .values()
            .filter(|owned| owned.user_id == passkey.user_id)
            .count();
        let outcome = if !data.users.contains_key(&passkey.user_id) {
            AddPasskey::UserNotFound
        } else if data.passkeys.contains_key(&passkey.credential_digest) {
            AddPasskey::CredentialTaken
        } else if owned >= max_per_user {
            AddPasskey::LimitReached
        } else {
            data.passkeys
                .insert(passkey.credential_digest.clone(), passkey.clone());
            AddPasskey::Added
        };
        answer(Ok(outcome))
    }

    fn record_passkey_use<'a>(&'a self, used: &'a PasskeyUse<'a>) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let Some(passkey) = data
            .passkeys
            .values_mut()
            .find(|passkey| passkey.id == used.id)
        else {
            return answer(Ok(false));
        };
        let advances = passkey.sign_count < used.sign_count
            || (passkey.sign_count == 0 && used.sign_count == 0);
        if advances {
            used.credential.clone_into(&mut passkey.credential);
            passkey.sign_count = used.sign_count;
            passkey.backed_up = used.backed_up;
            passkey.last_used_at = Some(used.used_at);
        }
        answer(Ok(advances))
    }

    fn delete_passkey<'a>(
        &'a self,
        user_id: &'a U::Id,
        passkey_id: &'a uuid::Uuid,
    ) -> StoreFuture<'a, RemovePasskey> {
        let mut data = self.lock();
        let Some(key) = data.passkey_key(user_id, passkey_id) else {
            return answer(Ok(RemovePasskey::NotFound));
        };
        if data.sign_in_methods(user_id) <= 1 {
            return answer(Ok(RemovePasskey::OnlySignInMethod));
        }
        data.passkeys.remove(&key);
        answer(Ok(RemovePasskey::Done))
    }

    fn delete_passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, u64> {
        let mut data = self.lock();
        let before = data.passkeys.len();
        data.passkeys
            .retain(|_, passkey| &passkey.user_id != user_id);
        answer(Ok((before - data.passkeys.len()) as u64))
    }
}
