//! The public JSON of a user.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::id::UserId;
use super::user::FullAuthUser;

/// A user as clients see it: `id`, `email`, `is_active`, `is_verified`, `is_superuser`, then every custom field
/// not marked `hidden`, in declaration order. Never the password hash. Without roles: fullauth's own routes add
/// them with [`UserJson`].
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
        let mut map = serializer.serialize_map(None)?;
        write_public_fields(&self.0, &mut map)?;
        map.end()
    }
}

/// The user JSON fullauth's routes answer with: [`PublicUser`], plus `"roles"` (sorted names) when the user model
/// declares role models.
///
/// [`crate::FullAuth::user_json`] builds it with the roles loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct UserJson<U> {
    /// The user.
    pub user: U,
    /// Their role names; `None` without role models (then the JSON has no `roles` key).
    pub roles: Option<Vec<String>>,
}

impl<U: FullAuthUser> Serialize for UserJson<U> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_public_fields(&self.user, &mut map)?;
        if let Some(roles) = &self.roles {
            map.serialize_entry("roles", roles)?;
        }
        map.end()
    }
}

fn write_public_fields<U: FullAuthUser, M: SerializeMap>(
    user: &U,
    map: &mut M,
) -> Result<(), M::Error> {
    let auth = user.auth();
    map.serialize_entry("id", &IdJson(&auth.id))?;
    map.serialize_entry("email", &auth.email)?;
    map.serialize_entry("is_active", &auth.is_active)?;
    map.serialize_entry("is_verified", &auth.is_verified)?;
    map.serialize_entry("is_superuser", &auth.is_superuser)?;
    user.serialize_custom_fields(map)
}

/// Serializes an id the way its type wants to appear in JSON.
struct IdJson<'a, T>(&'a T);

impl<T: UserId> Serialize for IdJson<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        UserId::serialize_json(self.0, serializer)
    }
}
