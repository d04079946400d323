//! Each id type, UUID, `i64` (assigned by the database) and `String`, goes register -> login -> me -> refresh on
//! every database, and a token whose `sub` is not an id of the type is refused.

use std::net::SocketAddr;

use fullauth::{DieselAdapter, FullAuth, UserId};
use fullauth_tests::models::integer_ids::{Member, MemberToken};
use fullauth_tests::models::string_ids::{Account, AccountToken};
use fullauth_tests::models::{RefreshToken, User};
use fullauth_tests::{Backend, TestDatabase, TestResponse, tokens};
use serde_json::{Value, json};

crate::on_every_backend!(
    uuid_ids_round_trip,
    integer_ids_round_trip,
    string_ids_round_trip,
    the_admin_router_takes_integer_ids,
    no_admin_router_and_no_roles_without_role_models,
    integer_ids_link_oauth_accounts_and_passkeys,
);

const PASSWORD: &str = "correct horse battery";

async fn serve<U, R>(db: &TestDatabase) -> String
where
    U: fullauth::DieselUser,
    U::Id: UserId,
    R: fullauth::DieselRefreshToken<User = U>,
{
    serve_with::<U, R>(db).await.0
}

async fn serve_with<U, R>(db: &TestDatabase) -> (String, FullAuth<U>)
where
    U: fullauth::DieselUser,
    U::Id: UserId,
    R: fullauth::DieselRefreshToken<User = U>,
{
    let builder = FullAuth::builder().config(fullauth_tests::app::test_config());
    let auth = if db.backend == Backend::Memory {
        builder
            .adapter(fullauth::store::MemoryStore::<U>::new())
            .build()
            .unwrap()
    } else {
        let adapter = DieselAdapter::connect(&db.url)
            .await
            .unwrap()
            .user::<U>()
            .refresh_tokens::<R>();
        builder.adapter(adapter).build().unwrap()
    };
    auth.migrate().await.unwrap();
    let app: axum::Router = axum::Router::new()
        .merge(auth.router())
        .fallback(fullauth::not_found);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (format!("http://{address}/api/v1/auth"), auth)
}

async fn call(request: reqwest::RequestBuilder) -> TestResponse {
    TestResponse::read(request.send().await.unwrap()).await
}

/// Two users through the whole flow; returns their ids as the public JSON shows them.
async fn round_trip<U, R>(backend: Backend) -> Option<(Value, Value)>
where
    U: fullauth::DieselUser,
    U::Id: UserId,
    R: fullauth::DieselRefreshToken<User = U>,
{
    let db = TestDatabase::create(backend).await?;
    let base = serve::<U, R>(&db).await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for email in ["ada@example.com", "bob@example.com"] {
        let body = json!({"email": email, "password": PASSWORD});
        assert_eq!(
            call(client.post(format!("{base}/register")).json(&body))
                .await
                .status,
            202
        );
        let login = call(client.post(format!("{base}/login")).json(&body)).await;
        assert_eq!(login.status, 200, "{login:?}");
        let access = login.str("access_token");
        let me = call(client.get(format!("{base}/me")).bearer_auth(&access)).await;
        assert_eq!(me.json["email"], email);
        assert_eq!(me.json["id"], login.json["user"]["id"]);
        let subject = tokens::payload(&access)["sub"].as_str().unwrap().to_owned();
        let shown = &me.json["id"];
        assert_eq!(
            shown
                .as_str()
                .map_or_else(|| shown.to_string(), str::to_owned),
            subject
        );

        let refreshed = call(
            client
                .post(format!("{base}/refresh"))
                .json(&json!({"refresh_token": login.str("refresh_token")})),
        )
        .await;
        assert_eq!(refreshed.status, 200);
        let me_again = call(
            client
                .get(format!("{base}/me"))
                .bearer_auth(refreshed.str("access_token")),
        )
        .await;
        assert_eq!(me_again.json["id"], me.json["id"]);

        let mut claims = tokens::payload(&access);
        for bad in ["not-an-id", "", "0", "-5", "1.5"] {
            claims["sub"] = json!(bad);
            let forged = tokens::sign(
                &tokens::header(&access),
                &claims,
                fullauth_tests::app::SECRET.as_bytes(),
            );
            if U::Id::parse_subject(bad).is_none() {
                call(client.get(format!("{base}/me")).bearer_auth(forged))
                    .await
                    .assert_unauthorized();
            }
        }
        ids.push(me.json["id"].clone());
    }
    assert_ne!(ids[0], ids[1]);
    Some((ids[0].clone(), ids[1].clone()))
}

async fn uuid_ids_round_trip(backend: Backend) {
    if let Some((first, _)) = round_trip::<User, RefreshToken>(backend).await {
        assert!(uuid::Uuid::parse_str(first.as_str().unwrap()).is_ok());
    }
}

async fn integer_ids_round_trip(backend: Backend) {
    if let Some((first, second)) = round_trip::<Member, MemberToken>(backend).await {
        assert_eq!(
            (first, second),
            (json!(1), json!(2)),
            "ids assigned by the database, as JSON numbers"
        );
    }
}

async fn string_ids_round_trip(backend: Backend) {
    if let Some((first, _)) = round_trip::<Account, AccountToken>(backend).await {
        assert_eq!(first.as_str().unwrap().len(), 32);
    }
}

async fn the_admin_router_takes_integer_ids(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let (base, auth) = serve_with::<Member, MemberToken>(&db).await;
    auth.create_superuser("root@example.com", PASSWORD)
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let login = |email: &str| {
        client
            .post(format!("{base}/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
    };
    let root = call(login("root@example.com")).await.str("access_token");
    let ada = json!({"email": "ada@example.com", "password": PASSWORD});
    call(client.post(format!("{base}/register")).json(&ada)).await;
    let ada_token = call(login("ada@example.com")).await.str("access_token");

    for user_id in [json!(2), json!("2")] {
        call(
            client
                .post(format!("{base}/admin/assign-role"))
                .bearer_auth(&root)
                .json(&json!({"user_id": user_id, "role": "editor"})),
        )
        .await
        .assert_detail(200, "Role 'editor' assigned to user 2.");
    }
    let wrong = call(
        client
            .post(format!("{base}/admin/assign-role"))
            .bearer_auth(&root)
            .json(&json!({"user_id": "two", "role": "editor"})),
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.json["detail"][0]["type"], "int_parsing");
    call(
        client
            .post(format!("{base}/admin/assign-role"))
            .bearer_auth(&root)
            .json(&json!({"user_id": 99, "role": "editor"})),
    )
    .await
    .assert_detail(404, "User not found");

    let roles = call(
        client
            .get(format!("{base}/admin/users/2/roles"))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(roles.json, json!(["editor"]));
    let me = call(client.get(format!("{base}/me")).bearer_auth(&ada_token)).await;
    assert_eq!(
        (me.json["id"].clone(), me.json["roles"].clone()),
        (json!(2), json!(["editor"]))
    );
    let bad = call(
        client
            .get(format!("{base}/admin/users/two"))
            .bearer_auth(&root),
    )
    .await;
    assert_eq!(bad.status, 422);
}

async fn no_admin_router_and_no_roles_without_role_models(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let (base, auth) = serve_with::<Account, AccountToken>(&db).await;
    assert!(!auth.roles_enabled());
    auth.create_superuser("root@example.com", PASSWORD)
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let login = call(
        client
            .post(format!("{base}/login"))
            .json(&json!({"email": "root@example.com", "password": PASSWORD})),
    )
    .await;
    let root = login.str("access_token");
    assert!(login.json["user"].get("roles").is_none());
    assert_eq!(tokens::payload(&root)["roles"], json!([]));
    let me = call(client.get(format!("{base}/me")).bearer_auth(&root)).await;
    assert!(me.json.get("roles").is_none(), "{me:?}");
    for path in ["/admin/roles", "/admin/users", "/admin/role-permissions/x"] {
        call(client.get(format!("{base}{path}")).bearer_auth(&root))
            .await
            .assert_detail(404, "Not Found");
    }
}

async fn integer_ids_link_oauth_accounts_and_passkeys(backend: Backend) {
    use fullauth::store::{AddPasskey, AuthStore, Link, NewOAuthUser, RemovePasskey, Unlink};
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let store: Box<dyn AuthStore<Member>> = if backend == Backend::Memory {
        Box::new(fullauth::store::MemoryStore::<Member>::new())
    } else {
        Box::new(
            DieselAdapter::connect(&db.url)
                .await
                .unwrap()
                .user::<Member>()
                .refresh_tokens::<MemberToken>(),
        )
    };
    store.migrate().await.unwrap();
    let accounts = store
        .oauth_account_store()
        .expect("Member declares an OAuth-account model");
    let now = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let account = |user_id: i64, provider: &str, subject: &str| fullauth::OAuthAccountMixin {
        id: uuid::Uuid::now_v7(),
        user_id,
        provider: provider.to_owned(),
        provider_user_id: subject.to_owned(),
        provider_email: None,
        access_token: None,
        refresh_token: None,
        expires_at: None,
        created_at: now,
        updated_at: now,
    };
    let member = Member {
        auth: fullauth::UserMixin::new("ada@example.com"),
        nickname: String::new(),
    };
    // The database assigns the id; the link gets it.
    let NewOAuthUser::Created { id } = accounts
        .create_user_with_oauth_account(&member, &account(0, "google", "ada"))
        .await
        .unwrap()
    else {
        panic!("created");
    };
    assert_eq!(id, 1);
    assert_eq!(
        accounts
            .link_oauth_account(&account(id, "github", "ada-gh"))
            .await
            .unwrap(),
        Link::Linked
    );
    let linked = accounts.oauth_accounts_of(&id).await.unwrap();
    let providers: Vec<_> = linked
        .iter()
        .map(|account| (account.provider.as_str(), account.user_id))
        .collect();
    assert_eq!(providers, [("github", 1), ("google", 1)]);
    assert_eq!(
        accounts.unlink_oauth_account(&id, "google").await.unwrap(),
        Unlink::Done
    );
    assert_eq!(
        accounts.unlink_oauth_account(&id, "github").await.unwrap(),
        Unlink::OnlySignInMethod
    );
    // A passkey is a way to sign in too, counted across the two tables.
    let passkeys = store
        .passkey_store()
        .expect("Member declares a passkey model");
    let passkey = fullauth::PasskeyMixin {
        id: uuid::Uuid::now_v7(),
        user_id: id,
        credential_id: "AAEC".into(),
        credential_digest: "0".repeat(64),
        credential: "{}".into(),
        sign_count: 0,
        device_name: String::new(),
        transports: String::new(),
        backed_up: false,
        created_at: now,
        last_used_at: None,
    };
    assert_eq!(
        passkeys.add_passkey(&passkey, 20).await.unwrap(),
        AddPasskey::Added
    );
    assert_eq!(
        passkeys.passkeys_of(&id).await.unwrap(),
        vec![passkey.clone()]
    );
    assert_eq!(
        accounts.unlink_oauth_account(&id, "github").await.unwrap(),
        Unlink::Done
    );
    assert_eq!(
        passkeys.delete_passkey(&id, &passkey.id).await.unwrap(),
        RemovePasskey::OnlySignInMethod
    );
}
