//! Bootstrapping the first administrator: [`FullAuth::create_superuser`].

use super::FullAuth;
use crate::error::Error;
use crate::json::{Issues, JsonObject};
use crate::model::{FullAuthUser, UserMixin};
use crate::store::InsertUser;

/// What [`FullAuth::create_superuser`] found or did.
#[derive(Debug, Clone)]
pub enum SuperuserOutcome<U> {
    /// A new superuser account.
    Created(U),
    /// A superuser with this email already existed; nothing changed (its password was left alone).
    AlreadyExists(U),
}

impl<U> SuperuserOutcome<U> {
    /// The superuser, new or existing.
    pub fn user(&self) -> &U {
        match self {
            SuperuserOutcome::Created(user) | SuperuserOutcome::AlreadyExists(user) => user,
        }
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Creates a superuser (active and verified) unless one with this email exists; safe to call at every start.
    ///
    /// Custom fields take their defaults. Refused, with nothing changed: an invalid email, a password the policy
    /// rejects, a user model with a required field that has no default, and an existing account with this email
    /// that is *not* a superuser, which is never promoted: someone else may have registered that address first.
    pub async fn create_superuser(
        &self,
        email: &str,
        password: &str,
    ) -> Result<SuperuserOutcome<U>, Error> {
        crate::email_address::validate(email)
            .map_err(|reason| Error::config("superuser email", &format!("is invalid: {reason}")))?;
        let typed = email;
        let email = crate::email_address::normalize(typed);
        if let Some(existing) = self.existing_superuser(typed, &email).await? {
            return Ok(SuperuserOutcome::AlreadyExists(existing));
        }
        let violations = self.inner.policy.violations(password);
        if !violations.is_empty() {
            return Err(Error::config(
                "superuser password",
                &format!("breaks the password policy: {}", violations.join("; ")),
            ));
        }
        let mut auth = UserMixin::new(&email);
        auth.hashed_password = Some(self.inner.hasher.hash(password.to_owned()).await?);
        auth.is_superuser = true;
        auth.is_verified = true;
        let mut issues = Issues::new();
        let Some(mut user) = U::from_input(auth, &JsonObject::new(), &mut issues) else {
            let fields: Vec<String> = issues
                .as_slice()
                .iter()
                .filter_map(|issue| match issue.loc.last() {
                    Some(crate::json::Location::Key(field)) => Some(format!("`{field}`")),
                    _ => None,
                })
                .collect();
            return Err(Error::config(
                "superuser",
                &format!(
                    "cannot be created: the user model requires {} without a default; give the field a \
                     `#[fullauth(default = ...)]` or create the user yourself",
                    fields.join(", ")
                ),
            ));
        };
        match self.inner.store.insert_user(&user).await? {
            InsertUser::Inserted { id } => {
                user.auth_mut().id = id;
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), "superuser created");
                Ok(SuperuserOutcome::Created(user))
            }
            // Another instance starting at the same time created it first.
            InsertUser::EmailTaken => match self.existing_superuser(&email, &email).await? {
                Some(existing) => Ok(SuperuserOutcome::AlreadyExists(existing)),
                None => Err(not_promoted(&email)),
            },
        }
    }

    /// The superuser with this email (in any form that normalizes alike); an error when the account exists but
    /// is no superuser.
    async fn existing_superuser(&self, email: &str, normalized: &str) -> Result<Option<U>, Error> {
        match self.user_by_email_in_any_form(email, normalized).await? {
            Some(user) if user.is_superuser() => Ok(Some(user)),
            Some(_) => Err(not_promoted(email)),
            None => Ok(None),
        }
    }
}

fn not_promoted(email: &str) -> Error {
    Error::config(
        "superuser email",
        &format!(
            "{email} belongs to an account that is not a superuser; fullauth does not promote existing accounts \
             (anyone could have registered the address): choose another address, or set is_superuser on that \
             account yourself"
        ),
    )
}
