//! The browser bundle must not carry server crates: they would bloat it and
//! leak server code. Asks cargo for the wasm dependency tree.
#![cfg(feature = "ssr")]

#[test]
fn the_wasm_bundle_has_no_server_crates() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree", "--offline", "--package", "kulisy",
            "--target", "wasm32-unknown-unknown",
            "--no-default-features", "--features", "hydrate",
            "--edges", "normal", "--prefix", "none",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("leptos v"), "the tree is the real one:\n{tree}");
    let server_only = |name: &str| {
        name.starts_with("sea-") || name.starts_with("sqlx")
            || ["argon2", "lettre", "tokio", "axum", "chrono-tz", "migration", "leptos_axum"].contains(&name)
    };
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or_default();
        assert!(!server_only(name), "server crate in the wasm bundle: {line}");
    }
}
