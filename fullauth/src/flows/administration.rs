//! User administration: finding and listing accounts, turning them off and on.

use super::FullAuth;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, now};
use crate::store::{Removal, UserPage, UserQuery};

impl<U: FullAuthUser> FullAuth<U> {
    /// The user with this id.
    pub async fn find_user(&self, user_id: &U::Id) -> Result<Option<U>, Error> {
        Ok(self.inner.store.user_by_id(user_id).await?)
    }

    /// A page of users, oldest first.
    pub async fn list_users(&self, query: &UserQuery) -> Result<UserPage<U>, Error> {
        Ok(self.inner.store.list_users(query).await?)
    }

    /// Activates or deactivates a user. Deactivation ends every session at once (refresh tokens in the database,
    /// access tokens in the shared state). Returns the updated user, `None` when there is no such user;
    /// [`Error::LastSuperuser`] for the last active superuser.
    pub async fn set_user_active(&self, user_id: &U::Id, active: bool) -> Result<Option<U>, Error> {
        let ended = match self.inner.store.set_active(user_id, active, now()).await? {
            Removal::Done(ended) => ended,
            Removal::NotFound => return Ok(None),
            Removal::LastSuperuser => return Err(Error::LastSuperuser),
        };
        self.revoke_families_in_state(&ended).await;
        tracing::info!(
            target: "fullauth::audit", user_id = %user_id, active, sessions_ended = ended.len(),
            "account {}", if active { "activated" } else { "deactivated" }
        );
        let user = self.inner.store.user_by_id(user_id).await?;
        if let Some(user) = &user {
            let user = user.clone();
            self.inner.events.emit(if active {
                AuthEvent::AfterUserActivated { user }
            } else {
                AuthEvent::AfterUserDeactivated { user }
            });
        }
        Ok(user)
    }
}
