//! The audit lines fullauth logs (target `fullauth::audit`), captured for the tests that count what happened.

use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use tracing::Metadata;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing_subscriber::layer::{Context, SubscriberExt as _};

fn lines() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| Mutex::new(Vec::new()))
}

/// Starts capturing audit lines for the whole test binary (once; later calls do nothing).
///
/// # Panics
///
/// When another global subscriber was installed first: the capture would then miss every line.
pub fn capture() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(Capture);
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global tracing subscriber in the test binary");
    });
}

/// The captured lines that contain every one of `parts`, as `message key=value ...`.
pub fn lines_with(parts: &[&str]) -> Vec<String> {
    lines()
        .lock()
        .unwrap()
        .iter()
        .filter(|line| parts.iter().all(|part| line.contains(part)))
        .cloned()
        .collect()
}

/// The target of fullauth's audit lines.
const AUDIT: &str = "fullauth::audit";

struct Capture;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    // Only the audit lines are ever built: the other crates' events stay as cheap as without a subscriber.
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if metadata.target() == AUDIT {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _context: Context<'_, S>) -> bool {
        metadata.target() == AUDIT
    }

    fn on_event(&self, event: &tracing::Event<'_>, _context: Context<'_, S>) {
        if event.metadata().target() != AUDIT {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        lines()
            .lock()
            .unwrap()
            .push(format!("{}{}", line.message, line.fields));
    }
}

#[derive(Default)]
struct Line {
    message: String,
    fields: String,
}

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.message);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
}
