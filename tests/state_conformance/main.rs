//! The shared-state contract, written once and run on the in-memory state and on Redis: flags that expire,
//! counters in fixed windows and sliding windows of requests that stay exact under concurrency. Then what only Redis has: namespaces, and an
//! outage that fails and recovers by itself.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use fullauth::shared_state::{MemoryState, SharedState};
use fullauth_tests::redis::{RedisServer, shared_state};

/// Stamps out each test once on the in-memory state and once on the shared test Redis.
macro_rules! on_every_state {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(std::sync::Arc::new(fullauth::shared_state::MemoryState::new())).await;
                }
            )*
        }
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(state) = fullauth_tests::redis::shared_state().await {
                        super::$test(std::sync::Arc::new(state)).await;
                    }
                }
            )*
        }
    };
}

on_every_state!(
    flags_expire_on_their_own,
    parallel_hits_count_every_event_once,
    counters_start_again_after_their_window,
    removed_keys_are_gone,
    values_are_taken_once_and_expire,
    parallel_takes_of_one_value_give_it_once,
    parallel_requests_fill_a_sliding_window_exactly,
    a_sliding_window_holds_the_limit_in_any_window,
);

async fn flags_expire_on_their_own<S: SharedState>(state: Arc<S>) {
    state
        .set("short", Duration::from_millis(150))
        .await
        .unwrap();
    state.set("long", Duration::from_secs(60)).await.unwrap();
    assert!(state.contains_any(&["short".into()]).await.unwrap());
    assert!(!state.contains_any(&["never-set".into()]).await.unwrap());
    assert!(!state.contains_any(&[]).await.unwrap());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!state.contains_any(&["short".into()]).await.unwrap());
    assert!(
        state
            .contains_any(&["short".into(), "long".into()])
            .await
            .unwrap()
    );
}

async fn values_are_taken_once_and_expire<S: SharedState>(state: Arc<S>) {
    let value = "{\"challenge\":\"AAEC\",\"user\":\"ada\"}";
    state
        .put("ceremony", value, Duration::from_secs(60))
        .await
        .unwrap();
    state
        .put("short", "soon gone", Duration::from_millis(150))
        .await
        .unwrap();
    assert_eq!(
        state.take("ceremony").await.unwrap().as_deref(),
        Some(value)
    );
    assert_eq!(state.take("ceremony").await.unwrap(), None, "taken once");
    assert_eq!(state.take("never-put").await.unwrap(), None);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state.take("short").await.unwrap(), None, "expired");
    state
        .put("replaced", "first", Duration::from_secs(60))
        .await
        .unwrap();
    state
        .put("replaced", "second", Duration::from_secs(60))
        .await
        .unwrap();
    state
        .put("removed", "x", Duration::from_secs(60))
        .await
        .unwrap();
    state.remove("removed").await.unwrap();
    assert_eq!(state.take("removed").await.unwrap(), None);
    assert_eq!(
        state.take("replaced").await.unwrap().as_deref(),
        Some("second")
    );
}

async fn parallel_takes_of_one_value_give_it_once<S: SharedState>(state: Arc<S>) {
    state
        .put("contested", "only once", Duration::from_secs(60))
        .await
        .unwrap();
    let takes = (0..20).map(|_| {
        let state = Arc::clone(&state);
        tokio::spawn(async move { state.take("contested").await.unwrap() })
    });
    let taken: Vec<String> = futures::future::join_all(takes)
        .await
        .into_iter()
        .filter_map(|take| take.unwrap())
        .collect();
    assert_eq!(taken, vec!["only once".to_owned()]);
}

async fn parallel_hits_count_every_event_once<S: SharedState>(state: Arc<S>) {
    let window = Duration::from_secs(60);
    let hits = (0..50).map(|_| {
        let state = Arc::clone(&state);
        tokio::spawn(async move { state.hit("counter", window).await.unwrap() })
    });
    let mut counts: Vec<u64> = futures::future::join_all(hits)
        .await
        .into_iter()
        .map(|hit| {
            let hit = hit.unwrap();
            assert!(hit.resets_in <= window && hit.resets_in > Duration::from_secs(50));
            hit.count
        })
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=50).collect::<Vec<u64>>());
}

async fn counters_start_again_after_their_window<S: SharedState>(state: Arc<S>) {
    let window = Duration::from_millis(200);
    assert_eq!(state.hit("window", window).await.unwrap().count, 1);
    assert_eq!(state.hit("window", window).await.unwrap().count, 2);
    tokio::time::sleep(Duration::from_millis(350)).await;
    let fresh = state.hit("window", window).await.unwrap();
    assert_eq!(fresh.count, 1);
    assert!(fresh.resets_in <= window);
}

async fn parallel_requests_fill_a_sliding_window_exactly<S: SharedState>(state: Arc<S>) {
    let window = Duration::from_secs(60);
    let requests = (0..40).map(|_| {
        let state = Arc::clone(&state);
        tokio::spawn(async move { state.admit("window", window, 25).await.unwrap() })
    });
    let admissions: Vec<_> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let admitted = admissions
        .iter()
        .filter(|admission| admission.admitted)
        .count();
    assert_eq!(admitted, 25);
    let mut counts: Vec<u64> = admissions
        .iter()
        .filter(|admission| admission.admitted)
        .map(|admission| admission.count)
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=25).collect::<Vec<u64>>());
    for refused in admissions.iter().filter(|admission| !admission.admitted) {
        assert_eq!(refused.count, 25);
        assert!(refused.resets_in <= window && refused.resets_in > Duration::from_secs(50));
    }
}

/// Unlike a fixed window, a sliding one never lets twice the limit through around a window's end: requests at
/// 0 s and 2 s in a 3 s window with a limit of 2, then one at 3.3 s (the first left) and one at 3.5 s, which
/// finds the 2 s and 3.3 s ones still in the window and is refused (a fixed window started at 0 s would have
/// begun again at 3 s and let it through).
async fn a_sliding_window_holds_the_limit_in_any_window<S: SharedState>(state: Arc<S>) {
    let window = Duration::from_secs(3);
    let admit = || state.admit("sliding", window, 2);
    assert!(admit().await.unwrap().admitted);
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let second = admit().await.unwrap();
    assert!(second.admitted && second.count == 2);
    assert!(
        second.resets_in <= Duration::from_millis(1_100),
        "{second:?}"
    );
    let refused = admit().await.unwrap();
    assert!(!refused.admitted && refused.count == 2, "{refused:?}");
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let third = admit().await.unwrap();
    assert!(
        third.admitted,
        "the first request has left the window: {third:?}"
    );
    assert_eq!(third.count, 2);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let fourth = admit().await.unwrap();
    assert!(
        !fourth.admitted,
        "two requests in the last 3 s already: {fourth:?}"
    );
    assert!(
        fourth.resets_in > Duration::from_millis(1_000),
        "{fourth:?}"
    );
}

async fn removed_keys_are_gone<S: SharedState>(state: Arc<S>) {
    state.set("flag", Duration::from_secs(60)).await.unwrap();
    state.hit("count", Duration::from_secs(60)).await.unwrap();
    state.hit("count", Duration::from_secs(60)).await.unwrap();
    state.remove("flag").await.unwrap();
    state.remove("count").await.unwrap();
    state.remove("never-set").await.unwrap();
    assert!(!state.contains_any(&["flag".into()]).await.unwrap());
    assert_eq!(
        state
            .hit("count", Duration::from_secs(60))
            .await
            .unwrap()
            .count,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn namespaces_keep_applications_apart() {
    let Some(first) = shared_state().await else {
        return;
    };
    let Some(second) = shared_state().await else {
        return;
    };
    first.set("flag", Duration::from_secs(60)).await.unwrap();
    first.hit("count", Duration::from_secs(60)).await.unwrap();
    assert!(!second.contains_any(&["flag".into()]).await.unwrap());
    assert_eq!(
        second
            .hit("count", Duration::from_secs(60))
            .await
            .unwrap()
            .count,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_fails_fast_and_recovers_by_itself() {
    let Some(mut server) = RedisServer::start().await else {
        return;
    };
    let state = fullauth::shared_state::RedisState::connect(&server.url())
        .await
        .unwrap();
    state.set("flag", Duration::from_secs(60)).await.unwrap();
    assert!(state.contains_any(&["flag".into()]).await.unwrap());

    server.stop();
    let started = std::time::Instant::now();
    assert!(state.contains_any(&["flag".into()]).await.is_err());
    assert!(state.hit("count", Duration::from_secs(60)).await.is_err());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "an outage must not hang requests"
    );

    server.resume().await;
    // The restarted server is empty; the state reconnects without being told.
    let mut recovered = false;
    for _ in 0..40 {
        if state.set("again", Duration::from_secs(60)).await.is_ok() {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the state did not reconnect");
    assert!(state.contains_any(&["again".into()]).await.unwrap());
    assert!(!state.contains_any(&["flag".into()]).await.unwrap());
}

#[tokio::test]
async fn a_redis_url_that_is_not_one_is_refused() {
    let error = fullauth::shared_state::RedisState::new("http://example.com").unwrap_err();
    assert!(error.to_string().contains("FULLAUTH_REDIS_URL"), "{error}");
    let _ = MemoryState::new();
}
