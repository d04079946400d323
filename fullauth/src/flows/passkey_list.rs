//! A signed-in user's passkeys: listing and deleting them.

use super::FullAuth;
use crate::error::{Error, PasskeyFailure};
use crate::events::AuthEvent;
use crate::model::FullAuthUser;
use crate::store::{PasskeyOf, RemovePasskey};

impl<U: FullAuthUser> FullAuth<U> {
    /// The user's passkeys, oldest first.
    pub async fn passkeys(&self, user: &U) -> Result<Vec<PasskeyOf<U>>, Error> {
        Ok(self.passkey_store()?.passkeys_of(user.id()).await?)
    }

    /// Deletes one of the user's passkeys. Refused with [`PasskeyFailure::NotFound`] when the user has no
    /// passkey with this id (someone else's included), and with [`PasskeyFailure::OnlySignInMethod`] when it is
    /// their only way to sign in.
    pub async fn passkey_delete(&self, user: &U, passkey_id: &uuid::Uuid) -> Result<(), Error> {
        match self
            .passkey_store()?
            .delete_passkey(user.id(), passkey_id)
            .await?
        {
            RemovePasskey::Done => {
                tracing::info!(
                    target: "fullauth::audit", user_id = %user.id(), passkey_id = %passkey_id,
                    "passkey deleted"
                );
                self.inner.events.emit(AuthEvent::AfterPasskeyDeleted {
                    user: user.clone(),
                    passkey_id: *passkey_id,
                });
                Ok(())
            }
            RemovePasskey::NotFound => Err(Error::Passkey(PasskeyFailure::NotFound)),
            RemovePasskey::OnlySignInMethod => {
                Err(Error::Passkey(PasskeyFailure::OnlySignInMethod))
            }
        }
    }
}
