//! RSS over time, as CSV and as an SVG line plot with the benchmark's phases shaded behind it.

use std::fmt::Write as _;

use crate::memory::Sample;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;
const PHASE_COLORS: [&str; 5] = ["#eef3fb", "#fbeeee", "#eefbf0", "#fbf7e8", "#f3eefb"];

/// `seconds,rss_mib,phase` lines.
pub fn csv(samples: &[Sample]) -> String {
    let mut out = String::from("seconds,rss_mib,phase\n");
    for sample in samples {
        let _ = writeln!(
            out,
            "{:.2},{:.2},{}",
            sample.at, sample.rss_mib, sample.phase
        );
    }
    out
}

/// The samples as an SVG plot titled `title`.
pub fn svg(title: &str, samples: &[Sample]) -> String {
    let end = samples.last().map_or(1.0, |sample| sample.at).max(1.0);
    let peak = samples
        .iter()
        .map(|sample| sample.rss_mib)
        .fold(0.0, f64::max);
    let top = nice_ceiling(peak.max(10.0));
    let x = |at: f64| LEFT + (WIDTH - LEFT - RIGHT) * at / end;
    let y = |rss: f64| HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * rss / top;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    for (index, (phase, from, to)) in phases(samples).into_iter().enumerate() {
        let color = PHASE_COLORS[index % PHASE_COLORS.len()];
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{TOP}" width="{:.1}" height="{:.1}" fill="{color}"/><text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
            x(from),
            (x(to) - x(from)).max(0.5),
            HEIGHT - TOP - BOTTOM,
            x(from) + 3.0,
            TOP + 14.0,
            escape(&phase)
        );
    }
    for step in 0..=4 {
        let rss = top * f64::from(step) / 4.0;
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#ccc"/><text x="{:.1}" y="{:.1}" text-anchor="end">{rss:.0}</text>"##,
            WIDTH - RIGHT,
            y(rss),
            y(rss),
            LEFT - 6.0,
            y(rss) + 4.0
        );
    }
    let points: Vec<String> = samples
        .iter()
        .map(|sample| format!("{:.1},{:.1}", x(sample.at), y(sample.rss_mib)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline fill="none" stroke="#c0392b" stroke-width="2" points="{}"/>"##,
        points.join(" ")
    );
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="22" font-size="15">{}: resident memory (MiB) over {end:.0} s, peak {peak:.1} MiB</text>"#,
        escape(title)
    );
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">seconds</text>"#,
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 12.0
    );
    for step in 0..=5 {
        let at = end * f64::from(step) / 5.0;
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{at:.0}</text>"#,
            x(at),
            HEIGHT - BOTTOM + 16.0
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Consecutive runs of samples with the same phase: name, start, end.
fn phases(samples: &[Sample]) -> Vec<(String, f64, f64)> {
    let mut phases: Vec<(String, f64, f64)> = Vec::new();
    for sample in samples {
        match phases.last_mut() {
            Some((phase, _, to)) if *phase == sample.phase => *to = sample.at,
            _ => phases.push((sample.phase.clone(), sample.at, sample.at)),
        }
    }
    phases
}

/// The smallest of 1, 2, 5 × a power of ten at or above `value`.
fn nice_ceiling(value: f64) -> f64 {
    let magnitude = 10_f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|step| step * magnitude)
        .find(|candidate| *candidate >= value)
        .unwrap_or(value)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
