//! Sessions in the store contract: [`fullauth::store::SessionStore`].

use std::time::Duration;

use fullauth::FullAuthUser;
use fullauth::store::{InsertUser, Rotation};

use super::{Store, in_parallel, inserted, next, now, token, user, user_for_session};

const DAY: Duration = Duration::from_secs(86_400);

pub async fn sessions_open_only_for_an_active_user_with_the_verified_password<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let hash = ada.auth.hashed_password.clone().unwrap();
    assert!(
        !store
            .open_session(&token(&ada, "wrong", None, DAY), Some("stale hash"))
            .await
            .unwrap()
    );
    assert!(
        store
            .open_session(&token(&ada, "right", None, DAY), Some(&hash))
            .await
            .unwrap()
    );
    let stored = store.refresh_token("right").await.unwrap().unwrap();
    assert_eq!(
        (stored.user_agent.as_deref(), stored.ip_address.as_deref()),
        (Some("agent"), Some("203.0.113.7"))
    );
    assert!(stored.is_live(now()));
    assert_eq!(store.refresh_token("wrong").await.unwrap(), None);
    let ghost = user("ghost@example.com");
    assert!(
        !store
            .open_session(&token(&ghost, "ghost", None, DAY), None)
            .await
            .unwrap()
    );
    let mut inactive = user("inactive@example.com");
    inactive.auth.is_active = false;
    let InsertUser::Inserted { id } = store.insert_user(&inactive).await.unwrap() else {
        panic!("taken")
    };
    inactive.auth.id = id;
    let row = token(&inactive, "inactive", None, DAY);
    assert!(!store.open_session(&row, None).await.unwrap());
}

pub async fn parallel_rotations_consume_a_token_once<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    assert!(
        store
            .open_session(&token(&ada, "first", None, DAY), None)
            .await
            .unwrap()
    );
    let outcomes = in_parallel(10, |index| {
        let store = store.clone();
        async move {
            store
                .rotate_refresh_token("first", &next(&format!("next-{index}")), now())
                .await
                .unwrap()
        }
    })
    .await;
    let rotated: Vec<_> = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Rotation::Rotated { .. }))
        .collect();
    assert_eq!(rotated.len(), 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, Rotation::Rotated { .. } | Rotation::Reused { .. }))
    );
    let mut live = Vec::new();
    for index in 0..10 {
        if let Some(row) = store.refresh_token(&format!("next-{index}")).await.unwrap()
            && row.is_live(now())
        {
            live.push(row);
        }
    }
    assert!(live.is_empty(), "the replays ended the family: {live:?}");
}

pub async fn a_replay_revokes_the_family<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let first = token(&ada, "a", None, DAY);
    assert!(store.open_session(&first, None).await.unwrap());
    assert!(
        store
            .open_session(&token(&ada, "other", None, DAY), None)
            .await
            .unwrap()
    );
    let Rotation::Rotated { previous } = store
        .rotate_refresh_token("a", &next("b"), now())
        .await
        .unwrap()
    else {
        panic!("the first rotation must succeed");
    };
    assert_eq!(previous.family_id, first.family_id);
    let successor = store.refresh_token("b").await.unwrap().unwrap();
    assert_eq!(
        (successor.family_id, successor.user_agent.as_deref()),
        (first.family_id, Some("agent"))
    );
    assert!(
        store
            .refresh_token("a")
            .await
            .unwrap()
            .unwrap()
            .used_at
            .is_some()
    );

    let replay = store
        .rotate_refresh_token("a", &next("c"), now())
        .await
        .unwrap();
    assert_eq!(
        replay,
        Rotation::Reused {
            family_id: first.family_id,
            user_id: *ada.id()
        }
    );
    assert!(
        !store
            .refresh_token("b")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
    assert_eq!(store.refresh_token("c").await.unwrap(), None);
    assert!(
        store
            .refresh_token("other")
            .await
            .unwrap()
            .unwrap()
            .is_live(now()),
        "other sessions go on"
    );
}

pub async fn revoked_and_expired_tokens_are_invalid_not_replays<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let signed_out = token(&ada, "signed-out", None, DAY);
    assert!(store.open_session(&signed_out, None).await.unwrap());
    assert_eq!(
        store
            .revoke_family(signed_out.family_id, now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .revoke_family(signed_out.family_id, now())
            .await
            .unwrap(),
        0,
        "already revoked"
    );
    assert_eq!(
        store
            .rotate_refresh_token("signed-out", &next("x"), now())
            .await
            .unwrap(),
        Rotation::Invalid
    );

    let mut expired = token(&ada, "expired", None, DAY);
    expired.expires_at = now() - time::Duration::seconds(1);
    assert!(store.open_session(&expired, None).await.unwrap());
    assert_eq!(
        store
            .rotate_refresh_token("expired", &next("y"), now())
            .await
            .unwrap(),
        Rotation::Invalid
    );
    assert_eq!(
        store
            .rotate_refresh_token("unknown", &next("z"), now())
            .await
            .unwrap(),
        Rotation::Invalid
    );
    assert_eq!(
        store
            .revoke_family(uuid::Uuid::now_v7(), now())
            .await
            .unwrap(),
        0
    );
}

pub async fn a_user_is_found_for_a_session_only_while_it_is_live<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let session = token(&ada, "s1", None, DAY);
    assert_eq!(
        user_for_session(&store, ada.id(), session.family_id, now()).await,
        None,
        "no session yet"
    );
    assert!(store.open_session(&session, None).await.unwrap());
    assert_eq!(
        user_for_session(&store, ada.id(), session.family_id, now())
            .await
            .as_ref(),
        Some(&ada)
    );
    store
        .rotate_refresh_token("s1", &next("s2"), now())
        .await
        .unwrap();
    assert!(
        user_for_session(&store, ada.id(), session.family_id, now())
            .await
            .is_some(),
        "rotated, still live"
    );
    let bob = inserted(&store, "bob@example.com").await;
    assert_eq!(
        user_for_session(&store, bob.id(), session.family_id, now())
            .await
            .map(|u| u.id().to_owned()),
        Some(*bob.id()),
        "the session check is on the family; the token's subject picks the user"
    );
    store.revoke_family(session.family_id, now()).await.unwrap();
    assert_eq!(
        user_for_session(&store, ada.id(), session.family_id, now()).await,
        None
    );
    let later = now() + time::Duration::days(2);
    let fresh = token(&ada, "s3", None, DAY);
    store.open_session(&fresh, None).await.unwrap();
    assert_eq!(
        user_for_session(&store, ada.id(), fresh.family_id, later).await,
        None,
        "expired"
    );
}

pub async fn a_failed_rotation_changes_nothing<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    assert!(
        store
            .open_session(&token(&ada, "taken", None, DAY), None)
            .await
            .unwrap()
    );
    assert!(
        store
            .open_session(&token(&ada, "live", None, DAY), None)
            .await
            .unwrap()
    );
    // The successor's digest collides with an existing token: the insert fails after the consume.
    assert!(
        store
            .rotate_refresh_token("live", &next("taken"), now())
            .await
            .is_err()
    );
    let live = store.refresh_token("live").await.unwrap().unwrap();
    assert!(live.is_live(now()), "the consume was rolled back: {live:?}");
    assert!(matches!(
        store
            .rotate_refresh_token("live", &next("fresh"), now())
            .await
            .unwrap(),
        Rotation::Rotated { .. }
    ));
}

/// Opens a session for `user` whose first token was issued `minutes_ago`, and returns its family.
async fn session_started<S: Store>(
    store: &S,
    user: &fullauth_tests::models::User,
    digest: &str,
    minutes_ago: i64,
) -> uuid::Uuid {
    let mut row = token(user, digest, None, DAY);
    row.created_at = now() - time::Duration::minutes(minutes_ago);
    row.user_agent = Some(format!("agent of {digest}"));
    assert!(store.open_session(&row, None).await.unwrap());
    row.family_id
}

pub async fn sessions_list_the_live_families_most_recent_first<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let laptop = session_started(&store, &ada, "laptop", 120).await;
    let phone = session_started(&store, &ada, "phone", 60).await;
    let ended = session_started(&store, &ada, "ended", 30).await;
    store.revoke_family(ended, now()).await.unwrap();
    let mut stale = token(&ada, "stale", None, DAY);
    stale.expires_at = now() - time::Duration::minutes(1);
    assert!(store.open_session(&stale, None).await.unwrap());
    session_started(&store, &bob, "bob's", 10).await;

    // The laptop refreshes: its session is now the most recently used, and still began two hours ago.
    let refreshed_at = now() - time::Duration::minutes(5);
    let rotation = fullauth::store::NextRefreshToken {
        token_digest: "laptop-2".into(),
        created_at: refreshed_at,
        expires_at: now() + time::Duration::days(1),
    };
    let rotated = store
        .rotate_refresh_token("laptop", &rotation, now())
        .await
        .unwrap();
    assert!(matches!(rotated, Rotation::Rotated { .. }));

    let sessions = store.sessions(ada.id(), now()).await.unwrap();
    let families: Vec<_> = sessions.iter().map(|session| session.family_id).collect();
    assert_eq!(families, [laptop, phone]);
    let first = &sessions[0];
    assert_eq!(first.last_used_at, refreshed_at);
    assert_eq!(
        first.created_at,
        store
            .refresh_token("laptop")
            .await
            .unwrap()
            .unwrap()
            .created_at
    );
    assert!(first.created_at < first.last_used_at);
    assert_eq!(first.user_agent.as_deref(), Some("agent of laptop"));
    assert_eq!(first.ip_address.as_deref(), Some("203.0.113.7"));
    assert_eq!(sessions[1].created_at, sessions[1].last_used_at);
    assert!(
        store
            .sessions(&uuid::Uuid::now_v7(), now())
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_session_is_ended_only_by_its_owner<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let laptop = session_started(&store, &ada, "laptop", 10).await;
    let phone = session_started(&store, &ada, "phone", 5).await;

    assert!(!store.revoke_session(bob.id(), laptop, now()).await.unwrap());
    assert!(
        store
            .refresh_token("laptop")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
    assert!(
        !store
            .revoke_session(ada.id(), uuid::Uuid::now_v7(), now())
            .await
            .unwrap()
    );

    assert!(store.revoke_session(ada.id(), laptop, now()).await.unwrap());
    assert!(
        !store
            .refresh_token("laptop")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
    assert!(
        store.revoke_session(ada.id(), laptop, now()).await.unwrap(),
        "again: still hers"
    );
    let left: Vec<_> = store
        .sessions(ada.id(), now())
        .await
        .unwrap()
        .iter()
        .map(|session| session.family_id)
        .collect();
    assert_eq!(left, [phone]);
}

pub async fn ending_the_other_sessions_keeps_one<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let current = session_started(&store, &ada, "current", 30).await;
    let mut others = vec![
        session_started(&store, &ada, "tablet", 20).await,
        session_started(&store, &ada, "phone", 10).await,
    ];
    let gone = session_started(&store, &ada, "gone", 5).await;
    store.revoke_family(gone, now()).await.unwrap();
    let bobs = session_started(&store, &bob, "bob's", 10).await;
    store
        .rotate_refresh_token("phone", &next("phone-2"), now())
        .await
        .unwrap();

    let mut ended = store
        .revoke_other_sessions(ada.id(), current, now())
        .await
        .unwrap();
    ended.sort_unstable();
    others.sort_unstable();
    assert_eq!(ended, others, "live sessions only, each once");
    let left: Vec<_> = store
        .sessions(ada.id(), now())
        .await
        .unwrap()
        .iter()
        .map(|session| session.family_id)
        .collect();
    assert_eq!(left, [current]);
    let bob_left: Vec<_> = store
        .sessions(bob.id(), now())
        .await
        .unwrap()
        .iter()
        .map(|session| session.family_id)
        .collect();
    assert_eq!(bob_left, [bobs]);
    assert!(
        store
            .revoke_other_sessions(ada.id(), current, now())
            .await
            .unwrap()
            .is_empty()
    );
}
