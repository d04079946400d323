//! Every way a provider's answer can be wrong, tried against a real authorization-code flow through the
//! tampering front: each callback answers 400 `OAuth authentication failed`, creates nothing, links nothing.

use fullauth_tests::inspect::Connection;
use fullauth_tests::oidc::OidcProvider;
use fullauth_tests::oidc_tamper::TamperingFront;
use fullauth_tests::{Backend, TestApp};

use crate::{assert_failed, assert_signed_in, callback, consented, openid_provider};

crate::on_sqlite_and_postgres!(
    every_untrustworthy_provider_answer_fails_and_changes_nothing,
    honest_answers_through_the_front_sign_in,
);

/// The scenarios of the front that must fail, with what each one does.
const FAILING: [(&str, &str); 16] = [
    ("wrong-iss", "an id_token of another issuer"),
    ("wrong-aud", "an id_token for another client"),
    ("wrong-nonce", "an id_token with another nonce"),
    ("no-nonce", "an id_token without nonce"),
    ("expired", "an expired id_token"),
    (
        "unknown-key",
        "an id_token signed with a key not in the key set",
    ),
    (
        "known-kid-wrong-key",
        "an id_token naming a published key but signed with another",
    ),
    ("alg-none", "an unsigned id_token (alg none)"),
    (
        "hs256-client-secret",
        "an id_token signed with HS256 keyed by the client secret",
    ),
    (
        "hs256-shared-kid",
        "the same, naming a symmetric key the key set publishes",
    ),
    ("no-id-token", "no id_token from an OpenID provider"),
    (
        "userinfo-other-sub",
        "a userinfo answer about another subject",
    ),
    ("token-redirects", "a token endpoint that redirects"),
    ("token-times-out", "a token endpoint that never answers"),
    ("token-garbage", "a token endpoint answering garbage"),
    ("down", "a provider whose token endpoint is unreachable"),
];

async fn app_behind_front(
    backend: Backend,
    idp: &OidcProvider,
    front: &TamperingFront,
    scenarios: &[&str],
) -> Option<TestApp> {
    TestApp::start(backend, |config| {
        config.oauth.http_timeout_seconds = 2;
        for scenario in scenarios {
            let mut provider = openid_provider(scenario, &front.issuer(scenario));
            if *scenario == "down" {
                // Discovery through the front, the code exchange at a closed port.
                provider = openid_provider(scenario, &front.issuer("honest"));
                provider.name = "down".into();
                provider.authorize_url = Some(format!("{}/auth", idp.issuer));
                provider.token_url = Some("http://127.0.0.1:9/token".into());
            }
            config.oauth.providers.push(provider);
        }
    })
    .await
}

async fn every_untrustworthy_provider_answer_fails_and_changes_nothing(backend: Backend) {
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let front = TamperingFront::start(&idp).await;
    let scenarios: Vec<&str> = FAILING.iter().map(|(scenario, _)| *scenario).collect();
    let Some(app) = app_behind_front(backend, &idp, &front, &scenarios).await else {
        return;
    };
    let mut db = Connection::open(&app.db).await;
    for (scenario, what) in FAILING {
        let account = format!("{scenario}:{scenario}@example.com:1");
        let (answer, binding) = consented(&app, &idp, scenario, &account, None).await;
        let response = callback(&app, scenario, &answer, &binding, None).await;
        assert_eq!(response.status, 400, "{what}: {}", response.text);
        assert_failed(&response);
        assert_eq!(db.user_count().await, 0, "{what} created a user");
        assert!(
            db.oauth_links().await.is_empty(),
            "{what} linked an identity"
        );
    }
}

async fn honest_answers_through_the_front_sign_in(backend: Backend) {
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let front = TamperingFront::start(&idp).await;
    let Some(app) = app_behind_front(backend, &idp, &front, &["honest", "email-in-id-token"]).await
    else {
        return;
    };
    // The id_token lacks the email: it comes from the userinfo endpoint, about the same subject.
    let (answer, binding) = consented(&app, &idp, "honest", "h1:h1@example.com:1", None).await;
    assert_signed_in(
        &callback(&app, "honest", &answer, &binding, None).await,
        "h1@example.com",
    );
    // The email in the id_token itself is used as it is.
    let (answer, binding) =
        consented(&app, &idp, "email-in-id-token", "h2:h2@example.com:1", None).await;
    let response = callback(&app, "email-in-id-token", &answer, &binding, None).await;
    assert_signed_in(&response, "idtoken@example.com");
}
