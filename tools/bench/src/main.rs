//! Compares fullauth's example server with a bare axum server and, when available, the Python library, under
//! the same loads in one run, and reports throughput, latency, memory and the ratios between them.
//!
//! Run it with `tools/bench/compare-servers.sh` (it builds the release binaries first); `BENCHMARKS.md` explains
//! the phases and the settings.

mod ceiling;
mod load;
mod memory;
mod phases;
mod plot;
mod report;
mod scripts;
mod server;
mod settings;

use std::process::ExitCode;

use settings::Settings;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("compare-servers: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let settings = Settings::from_env()?;
    std::fs::create_dir_all(&settings.out)
        .map_err(|error| format!("{}: {error}", settings.out.display()))?;
    eprintln!("measuring the Argon2 ceiling ...");
    let ceiling = ceiling::measure(settings.seconds).await?;
    let mut comparisons = Vec::new();
    for database in &settings.databases {
        comparisons.push(phases::compare_on(database, &settings).await?);
    }
    let report = report::render(&settings, &ceiling, &comparisons);
    println!("{report}");
    let written = settings.out.join("report.md");
    std::fs::write(&written, &report).map_err(|error| format!("{}: {error}", written.display()))?;
    for comparison in &comparisons {
        for run in comparison.runs() {
            let stem = format!("rss-{}", run.slug());
            let csv = settings.out.join(format!("{stem}.csv"));
            std::fs::write(&csv, plot::csv(&run.samples))
                .map_err(|error| format!("{}: {error}", csv.display()))?;
            let svg = settings.out.join(format!("{stem}.svg"));
            std::fs::write(&svg, plot::svg(&run.name, &run.samples))
                .map_err(|error| format!("{}: {error}", svg.display()))?;
        }
    }
    eprintln!(
        "report, RSS samples and plots written to {}",
        settings.out.display()
    );
    Ok(())
}
