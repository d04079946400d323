//! [`RedisState`]: the shared state in Redis, for several instances of one application.

use std::time::Duration;

use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::contract::{Admission, SharedState, StateError, WindowCount};
use crate::config::ConfigError;

/// Longest a Redis command may take before the request that needs it gives up (503 for revocation checks).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(1);
/// Longest a connection attempt may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(1);

/// Counts one event: `INCR`, and start the window when the counter is new (or lost its expiry), atomically.
const HIT_SCRIPT: &str = r"
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
";

/// A sliding window in a sorted set scored by Redis's own clock in milliseconds: the requests older than the
/// window leave it, and this one joins (under the caller's unique member) only while fewer than the limit remain.
/// Returns whether it was admitted, the requests in the window, and the milliseconds until the oldest leaves.
const ADMIT_SCRIPT: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local admitted = 0
if count < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  admitted = 1
end
local resets = window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then
  resets = tonumber(oldest[2]) + window - now
end
return {admitted, count, resets}
";

/// GET and DEL in one step (GETDEL needs Redis 6.2; this works on every version).
const TAKE_SCRIPT: &str = r"
local value = redis.call('GET', KEYS[1])
if value then
  redis.call('DEL', KEYS[1])
end
return value
";

/// [`SharedState`] in Redis (feature `redis`): every instance pointing at the same Redis sees the same
/// revocations and counters. Keys expire on their own; counters are updated by one Lua script, so they are atomic
/// across instances.
///
/// The connection is re-established by itself after Redis restarts; while Redis is unreachable, commands fail
/// within a few seconds at most (one-second timeouts, one reconnection attempt), revocation checks answer 503 (they
/// fail closed) and recover when Redis is back; rate limits and the lockout count in each instance's memory
/// meanwhile.
///
/// ```no_run
/// # async fn run() -> Result<(), fullauth::Error> {
/// let state = fullauth::shared_state::RedisState::connect("redis://127.0.0.1:6379").await?
///     .with_namespace("shop");            // keys become `shop:fullauth:...`
/// # Ok(()) }
/// ```
///
/// Or set `FULLAUTH_REDIS_URL`: the builder then uses a `RedisState` without being told.
#[derive(Clone)]
pub struct RedisState {
    connection: ConnectionManager,
    namespace: Option<String>,
    hit: redis::Script,
    admit: redis::Script,
    take: redis::Script,
}

impl std::fmt::Debug for RedisState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisState")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_response_timeout(Some(RESPONSE_TIMEOUT))
        .set_connection_timeout(Some(CONNECTION_TIMEOUT))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(500))
}

fn client(url: &str) -> Result<redis::Client, ConfigError> {
    redis::Client::open(url).map_err(|error| {
        ConfigError::invalid(
            "FULLAUTH_REDIS_URL",
            &format!("is not a Redis URL (redis://host:port/db or rediss://...): {error}"),
        )
    })
}

fn unavailable(error: redis::RedisError) -> StateError {
    StateError::new(error)
}

impl RedisState {
    /// Connects to Redis now, failing when it cannot be reached: for a check at start-up.
    pub async fn connect(url: &str) -> Result<Self, StateError> {
        let client = client(url).map_err(StateError::new)?;
        let connection = ConnectionManager::new_with_config(client, manager_config())
            .await
            .map_err(unavailable)?;
        Ok(Self::from_connection(connection))
    }

    /// A state that connects on first use (so an unreachable Redis shows as 503s, not as a failed start). Must be
    /// called inside a Tokio runtime.
    pub fn new(url: &str) -> Result<Self, ConfigError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(ConfigError::invalid(
                "FULLAUTH_REDIS_URL",
                "needs a Tokio runtime: build FullAuth inside one (e.g. in `#[tokio::main]`)",
            ));
        }
        let connection = ConnectionManager::new_lazy_with_config(client(url)?, manager_config())
            .map_err(|error| {
                ConfigError::invalid("FULLAUTH_REDIS_URL", &format!("cannot be used: {error}"))
            })?;
        Ok(Self::from_connection(connection))
    }

    fn from_connection(connection: ConnectionManager) -> Self {
        Self {
            connection,
            namespace: None,
            hit: redis::Script::new(HIT_SCRIPT),
            admit: redis::Script::new(ADMIT_SCRIPT),
            take: redis::Script::new(TAKE_SCRIPT),
        }
    }

    /// Prefixes every key with `namespace:`, so that several applications (or test runs) share one Redis
    /// without seeing each other's revocations and counters.
    #[must_use]
    pub fn with_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    fn key(&self, key: &str) -> String {
        match &self.namespace {
            Some(namespace) => format!("{namespace}:{key}"),
            None => key.to_owned(),
        }
    }
}

/// Milliseconds for Redis: at least one (zero is an error to `PEXPIRE`), at most a year (larger expiries make
/// Redis refuse the command after the counter was already changed).
fn millis(duration: Duration) -> u64 {
    const YEAR_MS: u64 = 365 * 86_400 * 1000;
    u64::try_from(duration.as_millis())
        .unwrap_or(YEAR_MS)
        .clamp(1, YEAR_MS)
}

impl SharedState for RedisState {
    async fn set(&self, key: &str, ttl: Duration) -> Result<(), StateError> {
        let mut connection = self.connection.clone();
        connection
            .pset_ex::<_, _, ()>(self.key(key), 1, millis(ttl))
            .await
            .map_err(unavailable)
    }

    async fn contains_any(&self, keys: &[String]) -> Result<bool, StateError> {
        if keys.is_empty() {
            return Ok(false);
        }
        let keys: Vec<String> = keys.iter().map(|key| self.key(key)).collect();
        let mut connection = self.connection.clone();
        let found: u64 = redis::cmd("EXISTS")
            .arg(&keys)
            .query_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(found > 0)
    }

    async fn hit(&self, key: &str, window: Duration) -> Result<WindowCount, StateError> {
        let mut connection = self.connection.clone();
        let (count, ttl): (u64, i64) = self
            .hit
            .key(self.key(key))
            .arg(millis(window))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(WindowCount {
            count,
            resets_in: Duration::from_millis(u64::try_from(ttl).unwrap_or(0)),
        })
    }

    async fn admit(
        &self,
        key: &str,
        window: Duration,
        limit: u64,
    ) -> Result<Admission, StateError> {
        let mut connection = self.connection.clone();
        let (admitted, count, resets): (u64, u64, i64) = self
            .admit
            .key(self.key(key))
            .arg(millis(window))
            .arg(limit)
            .arg(crate::random::hex(16))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(Admission {
            admitted: admitted == 1,
            count,
            resets_in: Duration::from_millis(u64::try_from(resets).unwrap_or(0)),
        })
    }

    async fn remove(&self, key: &str) -> Result<(), StateError> {
        let mut connection = self.connection.clone();
        connection
            .del::<_, ()>(self.key(key))
            .await
            .map_err(unavailable)
    }

    async fn put(&self, key: &str, value: &str, ttl: Duration) -> Result<(), StateError> {
        let mut connection = self.connection.clone();
        connection
            .pset_ex::<_, _, ()>(self.key(key), value, millis(ttl))
            .await
            .map_err(unavailable)
    }

    async fn take(&self, key: &str) -> Result<Option<String>, StateError> {
        let mut connection = self.connection.clone();
        self.take
            .key(self.key(key))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)
    }
}
