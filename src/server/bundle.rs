//! When a page starts the browser bundle.
//!
//! A visitor who is not signed in, on a public page (the pages the server
//! keeps for everyone, see `http_cache`), reads content that is complete in
//! the HTML, and everything there works without the bundle: links, the
//! schedule's filter form, the sign-in link. So those pages name no bundle
//! at all; the bundle (~300 KB compressed, most of a first visit) is fetched
//! on the first sign of a person — a touch, a key, the pointer, scrolling —
//! or at once when this browser already holds this build's bundle. On a
//! phone on a slow link the page is painted and readable without waiting
//! for a download it does not need to show anything.
//!
//! Every other page (forms, personal pages, anyone signed in) starts the
//! bundle at once with leptos' own `HydrationScripts`, and remembers in the
//! browser that it holds this build's bundle.
use axum::http::request::Parts;
use leptos::{nonce::use_nonce, prelude::*};
use std::sync::OnceLock;

/// The key under which a browser remembers the bundle it holds (its wasm's
/// address, which changes with every build).
const HELD_BUNDLE: &str = "kulisy-bundle";

/// Whether this request's page waits for the visitor before it starts the
/// bundle.
pub fn starts_on_interaction(parts: &Parts) -> bool {
    super::http_cache::looks_the_same_to_every_visitor(parts.uri.path(), &parts.headers)
}

/// The addresses of the built bundle, read once from what cargo-leptos
/// wrote beside the binary (the same names leptos' `HydrationScripts` uses).
struct Bundle {
    js: String,
    wasm: String,
}

impl Bundle {
    fn of(options: &LeptosOptions) -> &'static Bundle {
        static BUNDLE: OnceLock<Bundle> = OnceLock::new();
        BUNDLE.get_or_init(|| {
            let name = &options.output_name;
            let pkg = &options.site_pkg_dir;
            let hashes = options
                .hash_files
                .then(|| {
                    let exe = std::env::current_exe().ok()?;
                    std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
                })
                .flatten()
                .unwrap_or_default();
            let hash_of = |file: &str| {
                hashes.lines().find_map(|line| {
                    let (key, hash) = line.split_once(':')?;
                    (key.trim() == file).then(|| format!(".{}", hash.trim()))
                })
            };
            // Unhashed, wasm-bindgen's name carries `_bg` unless cargo-leptos
            // named the output when it built the server.
            let plain_wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { "" } else { "_bg" };
            Bundle {
                js: format!("/{pkg}/{name}{}.js", hash_of("js").unwrap_or_default()),
                wasm: format!("/{pkg}/{name}{}.wasm", hash_of("wasm").unwrap_or_else(|| plain_wasm.to_string())),
            }
        })
    }
}

/// The scripts of the page's `<head>` that start the bundle.
#[component]
pub fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    let bundle = Bundle::of(&options);
    let on_interaction = use_context::<Parts>().is_some_and(|parts| starts_on_interaction(&parts));
    let addresses = serde_json::json!([bundle.js, bundle.wasm, HELD_BUNDLE]).to_string();
    let nonce = use_nonce();
    if on_interaction {
        let script = format!("({ON_INTERACTION})(...{addresses});");
        view! { <script type="module" nonce=nonce>{script}</script> }.into_any()
    } else {
        let script = format!("(function(_, wasm, key) {{ try {{ localStorage.setItem(key, wasm) }} catch (e) {{}} }})(...{addresses});");
        view! {
            <HydrationScripts options />
            <script nonce=nonce>{script}</script>
        }
        .into_any()
    }
}

/// Starts the bundle when the browser holds it already, or on the first
/// event a person causes. A module script runs after the document is
/// parsed, so hydration never meets half a page.
const ON_INTERACTION: &str = r#"function (js, wasm, key) {
  var start = function () {
    import(js).then(function (mod) {
      return mod.default({ module_or_path: wasm }).then(function () {
        try { localStorage.setItem(key, wasm); } catch (e) {}
        mod.hydrate();
      });
    });
  };
  var held = false;
  try { held = localStorage.getItem(key) === wasm; } catch (e) {}
  if (held) return start();
  var events = ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  var once = function () {
    events.forEach(function (name) { removeEventListener(name, once, true); });
    start();
  };
  events.forEach(function (name) { addEventListener(name, once, { capture: true, passive: true }); });
}"#;
