//! Finding an account by the email address someone typed, in whichever form its row holds the address.

use super::FullAuth;
use crate::email_address::{earlier_forms, is_storable};
use crate::error::Error;
use crate::model::FullAuthUser;

impl<U: FullAuthUser> FullAuth<U> {
    /// The account with this address: stored in the normalized form, or else in a form rows were given before
    /// addresses were normalized to NFC and IDNA (only addresses with non-ASCII characters or Punycode labels
    /// can differ), so that every account stays reachable with the address its owner registered.
    ///
    /// `normalized` is [`normalize`](crate::email_address::normalize)`(typed)`, which the caller has at hand.
    /// Identifiers that no row could hold are unknown accounts, without asking the store.
    pub(crate) async fn user_by_email_in_any_form(
        &self,
        typed: &str,
        normalized: &str,
    ) -> Result<Option<U>, Error> {
        if is_storable(normalized)
            && let Some(user) = self.inner.store.user_by_email(normalized).await?
        {
            return Ok(Some(user));
        }
        self.user_by_earlier_form(typed, normalized).await
    }

    /// The account stored under one of the earlier forms of `typed` (see
    /// [`earlier_forms`](crate::email_address::earlier_forms)), never under the normalized one.
    pub(crate) async fn user_by_earlier_form(
        &self,
        typed: &str,
        normalized: &str,
    ) -> Result<Option<U>, Error> {
        for form in earlier_forms(typed, normalized) {
            if let Some(user) = self.inner.store.user_by_email(&form).await? {
                return Ok(Some(user));
            }
        }
        Ok(None)
    }
}
