//! Creating accounts: the password policy, hashing, and one account per email.

use super::FullAuth;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::FullAuthUser;
use crate::store::InsertUser;

/// The outcome of a registration, before it is turned into an answer.
#[derive(Debug, Clone)]
pub enum Registration<U> {
    /// A new account.
    Created(U),
    /// The email belongs to an existing account; nothing was written.
    EmailTaken,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Checks the password policy, hashes the password and stores the user.
    ///
    /// The password is hashed before the insert whether or not the email is taken, so both outcomes cost the
    /// same time. Concurrent registrations of one email create exactly one account (unique index).
    pub async fn register(&self, mut user: U, password: String) -> Result<Registration<U>, Error> {
        self.check_password_policy(&password)?;
        let hash = self.inner.hasher.hash(password).await?;
        user.auth_mut().hashed_password = Some(hash);
        let typed = std::mem::take(&mut user.auth_mut().email);
        user.auth_mut().email = crate::email_address::normalize(&typed);
        // The unique index guards the normalized form; an account stored under the earlier form of this address
        // is found here.
        if self
            .user_by_earlier_form(&typed, &user.auth().email)
            .await?
            .is_some()
        {
            return Ok(Registration::EmailTaken);
        }
        match self.inner.store.insert_user(&user).await? {
            InsertUser::Inserted { id } => {
                user.auth_mut().id = id;
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), "account created");
                self.inner
                    .events
                    .emit(AuthEvent::AfterRegister { user: user.clone() });
                Ok(Registration::Created(user))
            }
            InsertUser::EmailTaken => Ok(Registration::EmailTaken),
        }
    }

    /// [`Error::WeakPassword`], naming each broken rule, when the password breaks the policy.
    pub(crate) fn check_password_policy(&self, password: &str) -> Result<(), Error> {
        let violations = self.inner.policy.violations(password);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::WeakPassword(violations))
        }
    }
}
