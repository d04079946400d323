//! The comparison on one database: the servers started one beside the other, and the loads, in order.

use std::time::Duration;

use crate::load::{self, Outcome, Until};
use crate::memory::{self, Sample, Sampler};
use crate::scripts::{self, Account, Login, Me, Refresh, Register};
use crate::server::{Launch, Server};
use crate::settings::{Database, Settings};

/// The secret key both fullauth and the bare server check tokens with.
const SECRET_KEY: &str = "compare-servers secret key, 32 bytes or more";
/// Requests of the steady `GET /me` phase after the sign-in loads, and when its memory is read.
const STEADY_FIRST: u64 = 10_000;
const STEADY_TOTAL: u64 = 100_000;

/// What one server did.
pub struct Run {
    pub name: String,
    pub me: Vec<Outcome>,
    pub login: Option<Outcome>,
    pub me_during_login: Option<Outcome>,
    pub refresh: Option<Outcome>,
    pub register: Option<Outcome>,
    pub me_during_register: Option<Outcome>,
    /// `GET /me` requests answered after the sign-in loads, and the RSS then.
    pub steady: Vec<(u64, f64)>,
    /// RSS in MiB at the named points.
    pub memory: Vec<(&'static str, f64)>,
    pub threads: u64,
    pub samples: Vec<Sample>,
}

impl Run {
    fn new(name: String) -> Self {
        Self {
            name,
            me: Vec::new(),
            login: None,
            me_during_login: None,
            refresh: None,
            register: None,
            me_during_register: None,
            steady: Vec::new(),
            memory: Vec::new(),
            threads: 0,
            samples: Vec::new(),
        }
    }

    /// A file-name-friendly form of the name.
    pub fn slug(&self) -> String {
        self.name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Mean `GET /me` requests per second over the rounds.
    pub fn me_per_second(&self) -> f64 {
        let rounds = self.me.len().max(1) as f64;
        self.me.iter().map(Outcome::per_second).sum::<f64>() / rounds
    }

    /// `GET /me` throughput as a share of `bare`'s. When the rounds alternated with the bare server's, the median
    /// of the ratios of each round to the bare round right after it: a slowdown of the machine that lasts a round
    /// or two (another tenant of the host, say) then weighs on both sides of a pair, and at most a minority of
    /// pairs. Otherwise the ratio of the means.
    pub fn me_share_of(&self, bare: &Run) -> f64 {
        if self.me.len() != bare.me.len() || self.me.is_empty() {
            return self.me_per_second() / bare.me_per_second().max(f64::EPSILON);
        }
        let mut ratios: Vec<f64> = self
            .me
            .iter()
            .zip(&bare.me)
            .map(|(ours, theirs)| ours.per_second() / theirs.per_second().max(f64::EPSILON))
            .collect();
        ratios.sort_by(f64::total_cmp);
        let middle = ratios.len() / 2;
        if ratios.len().is_multiple_of(2) {
            (ratios[middle - 1] + ratios[middle]) / 2.0
        } else {
            ratios[middle]
        }
    }

    fn remember(&mut self, point: &'static str, pid: u32) {
        self.memory.push((point, memory::rss_mib(pid)));
    }
}

/// The servers' runs on one database.
pub struct Comparison {
    pub database: &'static str,
    pub fullauth: Run,
    pub bare: Run,
    pub python: Option<Run>,
}

impl Comparison {
    pub fn runs(&self) -> Vec<&Run> {
        let mut runs = vec![&self.fullauth, &self.bare];
        runs.extend(self.python.as_ref());
        runs
    }
}

/// Runs the comparison on `database`.
pub async fn compare_on(database: &Database, settings: &Settings) -> Result<Comparison, String> {
    let dir = std::env::temp_dir().join(format!(
        "compare-servers-{}-{}",
        std::process::id(),
        database.label.to_lowercase()
    ));
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let url = match &database.server_url {
        None => format!("sqlite://{}", dir.join("fullauth.db").display()),
        Some(server) => fresh_postgres_database(server).await?,
    };
    let env = vec![
        ("DATABASE_URL".to_owned(), url.clone()),
        ("FULLAUTH_SECRET_KEY".to_owned(), SECRET_KEY.to_owned()),
        // The loads sign in far more often than any per-client limit allows.
        (
            "FULLAUTH_AUTH_RATE_LIMIT_ENABLED".to_owned(),
            "false".to_owned(),
        ),
        ("RUST_LOG".to_owned(), "warn".to_owned()),
    ];
    let label = database.label;
    eprintln!("{label}: starting fullauth ...");
    let fullauth = Server::start(Launch {
        name: format!("fullauth ({label})"),
        program: settings.fullauth.clone(),
        args: Vec::new(),
        env: env.clone(),
        dir: dir.clone(),
    })
    .await?;
    let mut fullauth_run = Run::new(fullauth.name.clone());
    let sampler = Sampler::start(fullauth.pid());
    settle(&fullauth, &mut fullauth_run, "idle").await;
    let accounts = sign_up_all(&fullauth, settings.clients * 2, "fullauth").await?;

    let bare = Server::start(Launch {
        name: format!("bare axum ({label})"),
        program: settings.bare.clone(),
        args: Vec::new(),
        env,
        dir: dir.clone(),
    })
    .await?;
    let mut bare_run = Run::new(bare.name.clone());
    let bare_sampler = Sampler::start(bare.pid());
    settle(&bare, &mut bare_run, "idle").await;
    sampler.phase("GET /me");
    bare_sampler.phase("GET /me");
    for round in 1..=settings.rounds {
        eprintln!("{label}: GET /me, round {round} ...");
        fullauth_run
            .me
            .push(me_load(&fullauth, &accounts, settings).await);
        bare_run.me.push(me_load(&bare, &accounts, settings).await);
    }
    bare_run.remember("after GET /me", bare.pid());
    bare_run.threads = memory::reading(bare.pid()).map_or(0, |(_, threads)| threads);
    bare_run.samples = bare_sampler.finish();
    drop(bare);
    fullauth_run.remember("after GET /me", fullauth.pid());
    sign_in_loads(&fullauth, &accounts, &mut fullauth_run, &sampler, settings).await;
    fullauth_run.samples = sampler.finish();
    drop(fullauth);

    let python = match (&settings.python, database.server_url.is_none()) {
        (Some(python), true) => Some(python_run(python, &dir, settings).await?),
        _ => None,
    };
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Comparison {
        database: label,
        fullauth: fullauth_run,
        bare: bare_run,
        python,
    })
}

/// The Python library's run: the same loads, without the bare server beside it.
async fn python_run(
    python: &std::path::Path,
    dir: &std::path::Path,
    settings: &Settings,
) -> Result<Run, String> {
    eprintln!("SQLite: starting the Python library ...");
    let server = Server::start(Launch {
        name: "fastapi-fullauth (SQLite)".to_owned(),
        program: python.to_owned(),
        args: [
            "-m",
            "uvicorn",
            "app:app",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
        ]
        .into_iter()
        .chain(["--log-level", "warning", "--no-access-log"])
        .map(str::to_owned)
        .collect(),
        env: vec![
            (
                "PYTHONPATH".to_owned(),
                settings.python_app.display().to_string(),
            ),
            (
                "BENCH_DATABASE_URL".to_owned(),
                format!("sqlite+aiosqlite:///{}", dir.join("python.db").display()),
            ),
            ("BENCH_SECRET_KEY".to_owned(), SECRET_KEY.to_owned()),
        ],
        dir: dir.to_owned(),
    })
    .await?;
    let mut run = Run::new(server.name.clone());
    let sampler = Sampler::start(server.pid());
    settle(&server, &mut run, "idle").await;
    let accounts = sign_up_all(&server, settings.clients * 2, "python").await?;
    sampler.phase("GET /me");
    for round in 1..=2 {
        eprintln!("SQLite: Python library, GET /me, round {round} ...");
        run.me.push(me_load(&server, &accounts, settings).await);
    }
    run.remember("after GET /me", server.pid());
    sign_in_loads(&server, &accounts, &mut run, &sampler, settings).await;
    run.samples = sampler.finish();
    Ok(run)
}

/// Login flood, refresh, register, then `GET /me` up to 100,000 requests, and a rest: the RSS after each.
async fn sign_in_loads(
    server: &Server,
    accounts: &[Account],
    run: &mut Run,
    sampler: &Sampler,
    settings: &Settings,
) {
    let (signers, sessions) = accounts.split_at(settings.clients);
    let name = &server.name;
    eprintln!(
        "{name}: {} parallel sign-ins for {:?} ...",
        signers.len(),
        settings.login_seconds
    );
    sampler.phase("login");
    let logins = signers
        .iter()
        .map(|account| Login {
            address: server.address,
            email: account.email.clone(),
        })
        .collect();
    let (login, probe) = with_probe(server, logins, &signers[0], settings.login_seconds).await;
    run.login = Some(login);
    run.me_during_login = Some(probe);
    run.remember("after login", server.pid());

    eprintln!("{name}: refresh ...");
    sampler.phase("refresh");
    let refreshes = sessions
        .iter()
        .map(|account| Refresh {
            address: server.address,
            refresh_token: account.refresh_token.clone(),
        })
        .collect();
    run.refresh =
        Some(load::run(server.address, refreshes, Until::elapsed(settings.seconds)).await);
    run.remember("after refresh", server.pid());

    eprintln!("{name}: register ...");
    sampler.phase("register");
    let registrations = (0..settings.clients)
        .map(|client| Register {
            address: server.address,
            prefix: format!("load-{client}"),
            count: 0,
        })
        .collect();
    let (register, probe) = with_probe(server, registrations, &signers[0], settings.seconds).await;
    run.register = Some(register);
    run.me_during_register = Some(probe);
    run.remember("after register", server.pid());

    eprintln!("{name}: GET /me up to {STEADY_TOTAL} requests ...");
    sampler.phase("GET /me");
    let mut answered = 0;
    for (requests, longest) in [
        (STEADY_FIRST, Duration::from_secs(60)),
        (STEADY_TOTAL - STEADY_FIRST, Duration::from_secs(180)),
    ] {
        let outcome = load::run(
            server.address,
            me_scripts(server, signers),
            Until::sent(requests, longest),
        )
        .await;
        answered += outcome.succeeded;
        run.steady.push((answered, memory::rss_mib(server.pid())));
    }
    sampler.phase("idle");
    settle(server, run, "idle after").await;
    run.threads = memory::reading(server.pid()).map_or(0, |(_, threads)| threads);
}

/// A load, with one more client calling `GET /me` every 5 ms beside it: the load and the probe's latencies.
async fn with_probe<S: load::Script>(
    server: &Server,
    scripts: Vec<S>,
    account: &Account,
    duration: Duration,
) -> (Outcome, Outcome) {
    let until = Until::elapsed(duration);
    let me = Me {
        address: server.address,
        access_token: account.access_token.clone(),
    };
    let probe = tokio::spawn(load::probe(
        server.address,
        me,
        until.clone(),
        Duration::from_millis(5),
    ));
    let outcome = load::run(server.address, scripts, until).await;
    (outcome, probe.await.unwrap_or_default())
}

fn me_scripts(server: &Server, accounts: &[Account]) -> Vec<Me> {
    accounts
        .iter()
        .map(|account| Me {
            address: server.address,
            access_token: account.access_token.clone(),
        })
        .collect()
}

async fn me_load(server: &Server, accounts: &[Account], settings: &Settings) -> Outcome {
    let scripts = me_scripts(server, &accounts[..settings.clients.min(accounts.len())]);
    load::run(server.address, scripts, Until::elapsed(settings.seconds)).await
}

async fn sign_up_all(server: &Server, count: usize, prefix: &str) -> Result<Vec<Account>, String> {
    eprintln!("{}: signing up {count} accounts ...", server.name);
    let mut accounts = Vec::with_capacity(count);
    for n in 0..count {
        let email = format!("{prefix}-{n}@bench.example.com");
        accounts.push(scripts::sign_up(server.address, &email).await?);
    }
    Ok(accounts)
}

/// Waits until the server has been idle a moment, then reads its RSS.
async fn settle(server: &Server, run: &mut Run, point: &'static str) {
    tokio::time::sleep(Duration::from_secs(2)).await;
    run.remember(point, server.pid());
}

/// Drops and creates the database `fullauth_bench` on the PostgreSQL server `url` names, and returns its URL.
async fn fresh_postgres_database(url: &str) -> Result<String, String> {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let mut connection = AsyncPgConnection::establish(url)
        .await
        .map_err(|error| format!("BENCH_POSTGRES_URL: {error}"))?;
    for statement in [
        "DROP DATABASE IF EXISTS fullauth_bench WITH (FORCE)",
        "CREATE DATABASE fullauth_bench",
    ] {
        connection
            .batch_execute(statement)
            .await
            .map_err(|error| format!("{statement}: {error}"))?;
    }
    let authority_end = url.find("://").map_or(0, |scheme| scheme + 3);
    let server = match url[authority_end..].find('/') {
        Some(slash) => &url[..authority_end + slash],
        None => url,
    };
    Ok(format!("{server}/fullauth_bench"))
}
