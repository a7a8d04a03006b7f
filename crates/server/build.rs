//! Makes the web UI's third-party browser assets available to `include_bytes!`.
//!
//! Leaflet (the map), topojson-client and world-atlas (Natural Earth
//! coastlines and borders, so the map works on closed networks without a tile
//! server; the 1:110m countries draw the papers' maps) come from the npm registry, pinned by `web/package-lock.json`.
//! When `web/node_modules` lacks them, this runs `npm ci` there once; the
//! files are then embedded in the binary and nothing is fetched at run time.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files the server embeds, relative to `web/node_modules`.
const ASSETS: [&str; 5] = [
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.css",
    "topojson-client/dist/topojson-client.min.js",
    "world-atlas/countries-10m.json",
    "world-atlas/countries-110m.json",
];

fn main() {
    let web = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../web")
        .canonicalize()
        .expect("the web/ directory of the repository is missing");
    let modules = web.join("node_modules");
    println!("cargo:rerun-if-changed={}", web.join("package-lock.json").display());
    for asset in ASSETS {
        println!("cargo:rerun-if-changed={}", modules.join(asset).display());
    }
    if !ASSETS.iter().all(|a| modules.join(a).is_file()) {
        install(&web);
    }
    if let Some(missing) = ASSETS.iter().find(|a| !modules.join(a).is_file()) {
        panic!("web asset {missing} is still missing after `npm ci` in {}", web.display());
    }
    println!("cargo:rustc-env=TESSERA_WEB_MODULES={}", modules.display());
}

/// Runs `npm ci` in `web/` (the exact versions of the lockfile).
fn install(web: &Path) {
    let status =
        Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(web).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm ci` in {} failed ({s}); the map's assets (Leaflet, world-atlas) come from the npm registry: run it by hand to see why",
            web.display()
        ),
        Err(e) => panic!(
            "cannot run npm to install the web assets in {}: {e} (Node.js 20 with npm is required to build)",
            web.display()
        ),
    }
}
