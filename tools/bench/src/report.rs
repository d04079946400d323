//! The comparison's report, as Markdown tables with the ratios that make the numbers mean something on any
//! machine.

use std::fmt::Write as _;

use crate::ceiling::Ceiling;
use crate::load::Outcome;
use crate::phases::Comparison;
use crate::settings::Settings;

pub fn render(settings: &Settings, ceiling: &Ceiling, comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let _ = writeln!(
        out,
        "## Server comparison\n\n{cpus} CPUs, {} clients per load, GET /me rounds of {:?}, sign-in flood of {:?}.\n",
        settings.clients, settings.seconds, settings.login_seconds
    );
    let _ = writeln!(
        out,
        "Argon2 ceiling (fullauth's hasher alone, default cost, {} hashing thread{}): {:.1} verifications/s, \
         {:.1} hashes/s.\n",
        ceiling.threads,
        if ceiling.threads == 1 { "" } else { "s" },
        ceiling.verifications_per_second,
        ceiling.hashes_per_second
    );
    me_table(&mut out, comparisons);
    sign_in_table(&mut out, ceiling, comparisons);
    memory_table(&mut out, comparisons);
    python_ratios(&mut out, comparisons);
    out
}

fn me_table(out: &mut String, comparisons: &[Comparison]) {
    out.push_str("### GET /me\n\n| server | req/s, each round | p50 | p99 | failures | of the bare server |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for comparison in comparisons {
        for run in comparison.runs() {
            let rounds: Vec<String> = run
                .me
                .iter()
                .map(|round| format!("{:.0}", round.per_second()))
                .collect();
            let all = merged(&run.me);
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} ms | {:.2} ms | {} | {:.0}% |",
                run.name,
                rounds.join(", "),
                all.percentile_ms(0.5),
                all.percentile_ms(0.99),
                all.failed,
                100.0 * run.me_share_of(&comparison.bare),
            );
        }
    }
    out.push('\n');
}

fn sign_in_table(out: &mut String, ceiling: &Ceiling, comparisons: &[Comparison]) {
    out.push_str(
        "### Sign-in loads\n\n| server | login/s | of the ceiling | GET /me p99 meanwhile | refresh/s | refresh p99 \
         | register/s | of the ceiling | GET /me p99 meanwhile | failures |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for run in comparisons.iter().flat_map(Comparison::runs) {
        let (Some(login), Some(refresh), Some(register)) =
            (&run.login, &run.refresh, &run.register)
        else {
            continue;
        };
        let probe_p99 = |probe: &Option<Outcome>| {
            probe
                .as_ref()
                .map_or(0.0, |probe| probe.percentile_ms(0.99))
        };
        let _ = writeln!(
            out,
            "| {} | {:.1} | {:.0}% | {:.2} ms | {:.0} | {:.2} ms | {:.1} | {:.0}% | {:.2} ms | {} |",
            run.name,
            login.per_second(),
            100.0 * login.per_second() / ceiling.verifications_per_second,
            probe_p99(&run.me_during_login),
            refresh.per_second(),
            refresh.percentile_ms(0.99),
            register.per_second(),
            100.0 * register.per_second() / ceiling.hashes_per_second,
            probe_p99(&run.me_during_register),
            login.failed + refresh.failed + register.failed,
        );
    }
    out.push('\n');
}

fn memory_table(out: &mut String, comparisons: &[Comparison]) {
    out.push_str("### Resident memory (MiB)\n\n| server | ");
    let points = [
        "idle",
        "after GET /me",
        "after login",
        "after refresh",
        "after register",
    ];
    for point in points {
        let _ = write!(out, "{point} | ");
    }
    out.push_str(
        "after N more GET /me | idle after | threads |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for run in comparisons.iter().flat_map(Comparison::runs) {
        let _ = write!(out, "| {} |", run.name);
        for point in points {
            match run.memory.iter().find(|(name, _)| *name == point) {
                Some((_, rss)) => {
                    let _ = write!(out, " {rss:.1} |");
                }
                None => out.push_str(" |"),
            }
        }
        let steady: Vec<String> = run
            .steady
            .iter()
            .map(|(requests, rss)| format!("{rss:.1} at {requests}"))
            .collect();
        let idle_after = run
            .memory
            .iter()
            .find(|(name, _)| *name == "idle after")
            .map_or(String::new(), |(_, rss)| format!("{rss:.1}"));
        let _ = writeln!(
            out,
            " {} | {} | {} |",
            steady.join(", "),
            idle_after,
            run.threads
        );
    }
    out.push('\n');
}

fn python_ratios(out: &mut String, comparisons: &[Comparison]) {
    for comparison in comparisons {
        let Some(python) = &comparison.python else {
            continue;
        };
        let fullauth = &comparison.fullauth;
        let ratio = |ours: Option<&Outcome>, theirs: Option<&Outcome>| match (ours, theirs) {
            (Some(ours), Some(theirs)) if theirs.per_second() > 0.0 => {
                format!("{:.1}×", ours.per_second() / theirs.per_second())
            }
            _ => "n/a".to_owned(),
        };
        let _ = writeln!(
            out,
            "### fullauth ÷ the Python library ({})\n\nGET /me {:.1}×, login {}, refresh {}, register {}.\n",
            comparison.database,
            fullauth.me_per_second() / python.me_per_second().max(f64::EPSILON),
            ratio(fullauth.login.as_ref(), python.login.as_ref()),
            ratio(fullauth.refresh.as_ref(), python.refresh.as_ref()),
            ratio(fullauth.register.as_ref(), python.register.as_ref()),
        );
    }
}

fn merged(rounds: &[Outcome]) -> Outcome {
    let mut all = Outcome::default();
    for round in rounds {
        all.absorb(round.clone());
    }
    all
}
