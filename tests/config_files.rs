//! cargo-leptos builds from `[package.metadata.leptos]` in Cargo.toml; the
//! server reads Leptos.toml at start. Where both name a setting, they agree.
#![cfg(feature = "ssr")]

fn leptos_section(file: &str) -> toml::Table {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let doc: toml::Table = text.parse().unwrap_or_else(|e| panic!("{file}: {e}"));
    doc["package"]["metadata"]["leptos"].as_table().cloned().expect("leptos section")
}

#[test]
fn leptos_toml_and_cargo_toml_agree() {
    let build = leptos_section("Cargo.toml");
    let runtime = leptos_section("Leptos.toml");
    let mut shared = 0;
    for (key, value) in &runtime {
        if let Some(built) = build.get(key) {
            assert_eq!(built, value, "`{key}` differs between Cargo.toml and Leptos.toml");
            shared += 1;
        }
    }
    // The settings that must match for the server to find what was built.
    for key in ["output-name", "site-root", "site-pkg-dir", "site-addr"] {
        assert!(runtime.contains_key(key) && build.contains_key(key), "{key} missing");
    }
    assert!(shared >= 4);
}

#[test]
fn the_server_reads_leptos_toml() {
    let conf = leptos::config::get_configuration(Some("Leptos.toml")).expect("parses");
    assert_eq!(&*conf.leptos_options.output_name, "kulisy");
    assert_eq!(conf.leptos_options.site_addr.to_string(), "127.0.0.1:3000");
}
