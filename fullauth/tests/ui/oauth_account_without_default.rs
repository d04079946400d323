use fullauth::{FullAuthOAuthAccount, FullAuthUser, OAuthAccountMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

#[derive(FullAuthOAuthAccount, Clone, Debug)]
#[fullauth(table = "oauth_accounts", user = User)]
pub struct OAuthAccount {
    #[fullauth(mixin)]
    pub account: OAuthAccountMixin,
    pub avatar_url: String,
}

fn main() {}
