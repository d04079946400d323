//! The public JSON of a user.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::model::FullAuthUser;

/// A user as clients see it: `id`, `email`, `is_active`, `is_verified`, `is_superuser`, then every custom field
/// not marked `hidden`, in declaration order. Never the password hash.
///
/// ```
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)]
/// # struct User { #[fullauth(mixin)] auth: fullauth::UserMixin, #[fullauth(default = "")] display_name: String }
/// use fullauth::{PublicUser, UserMixin};
///
/// let user = User { auth: UserMixin::new("Ada@Example.com"), display_name: "Ada".into() };
/// let json = serde_json::to_value(PublicUser(user)).unwrap();
/// assert_eq!(json["email"], "ada@example.com");
/// assert_eq!(json["display_name"], "Ada");
/// assert!(json.get("hashed_password").is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PublicUser<U>(pub U);

impl<U: FullAuthUser> Serialize for PublicUser<U> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let user = &self.0;
        let auth = user.auth();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &IdJson(&auth.id))?;
        map.serialize_entry("email", &auth.email)?;
        map.serialize_entry("is_active", &auth.is_active)?;
        map.serialize_entry("is_verified", &auth.is_verified)?;
        map.serialize_entry("is_superuser", &auth.is_superuser)?;
        user.serialize_custom_fields(&mut map)?;
        map.end()
    }
}

/// Serializes an id the way its type wants to appear in JSON.
struct IdJson<'a, T>(&'a T);

impl<T: crate::model::UserId> Serialize for IdJson<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}
