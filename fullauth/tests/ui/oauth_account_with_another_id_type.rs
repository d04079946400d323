use fullauth::{FullAuthOAuthAccount, FullAuthUser, OAuthAccountMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin<i64>,
}

#[derive(FullAuthOAuthAccount, Clone, Debug)]
#[fullauth(table = "oauth_accounts", user = User)]
pub struct OAuthAccount {
    #[fullauth(mixin)]
    pub account: OAuthAccountMixin,
}

fn main() {}
