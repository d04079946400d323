//! The renderer of fullauth's `/docs` page, Scalar's API reference at the pinned version, as the npm registry
//! serves it: fetched once with `npm pack` into `~/.cache/fullauth-docs-renderer`, so that a test can serve it to a
//! real browser and see the page at work without reaching the CDN. Without npm or the registry the tests that
//! need it say they were skipped, unless `FULLAUTH_REQUIRE_SERVICES=1`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use fullauth::openapi::RENDERER_VERSION;

use crate::database::skip_missing;

/// The path of `standalone.js` of `@scalar/api-reference` at [`RENDERER_VERSION`], or `None` after saying why
/// there is none.
pub fn standalone_script() -> Option<PathBuf> {
    static FETCHED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match FETCHED.get_or_init(fetch) {
        Ok(path) => Some(path.clone()),
        Err(why) => {
            skip_missing(
                &format!("@scalar/api-reference {RENDERER_VERSION} from the npm registry ({why})"),
                "install Node.js and npm, with the npm registry in reach",
            );
            None
        }
    }
}

fn fetch() -> Result<PathBuf, String> {
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    let folder = home
        .join(".cache/fullauth-docs-renderer")
        .join(RENDERER_VERSION);
    let script = folder.join("package/dist/browser/standalone.js");
    if script.exists() {
        return Ok(script);
    }
    // Unpacked beside the final place and moved there whole, so that no reader ever sees half a file.
    let unpacked = folder.join(format!("unpacking-{}", std::process::id()));
    std::fs::create_dir_all(&unpacked)
        .map_err(|error| format!("cannot create {}: {error}", unpacked.display()))?;
    let package = format!("@scalar/api-reference@{RENDERER_VERSION}");
    let packed = run(
        Command::new("npm")
            .args(["pack", &package, "--silent", "--pack-destination"])
            .arg(&unpacked),
        "npm pack",
    )?;
    run(
        Command::new("tar")
            .arg("xzf")
            .arg(unpacked.join(packed.trim()))
            .arg("-C")
            .arg(&unpacked)
            .arg("package/dist/browser/standalone.js"),
        "tar",
    )?;
    let moved = std::fs::rename(unpacked.join("package"), folder.join("package"));
    let _ = std::fs::remove_dir_all(&unpacked);
    match moved {
        Ok(()) => Ok(script),
        // Another process got there first.
        Err(_) if script.exists() => Ok(script),
        Err(error) => Err(format!("cannot move the unpacked package: {error}")),
    }
}

fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|error| format!("{what} does not start: {error}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
