//! When a page starts the browser bundle.
//!
//! Every page is complete in the server's HTML and works without the
//! bundle: links, the schedule's filters, and every form, which posts as a
//! plain form and shows its answer on the page it leads to. So no page names
//! the bundle in its head: the bundle (main module ~330 KB compressed, plus
//! the piece of the page's audience) is fetched on the first sign of a
//! person — a touch, a key, the pointer, scrolling, focus on a field — or at
//! once when this browser already holds this build's bundle (a second page,
//! a second visit). On a phone on a slow link the page is painted from its
//! HTML without a download competing with its stylesheet, and nothing in the
//! first paint waits for the wasm: measured in `make bench` for each role.
//!
//! Signed-in pages started the bundle at once until #31: its preload in the
//! head was fetched beside the stylesheet, and Lighthouse's mobile run put
//! the largest paint of `/my/enrollments` at the end of that download
//! (3.6 s) although the paint itself came from the server's HTML.
use leptos::{nonce::use_nonce, prelude::*};
use std::sync::OnceLock;

/// The key under which a browser remembers the bundle it holds (its wasm's
/// address, which changes with every build).
const HELD_BUNDLE: &str = "kulisy-bundle";

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

/// The script of the page's `<head>` that starts the bundle.
#[component]
pub fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    let bundle = Bundle::of(&options);
    let addresses = serde_json::json!([bundle.js, bundle.wasm, HELD_BUNDLE]).to_string();
    let script = format!("({ON_INTERACTION})(...{addresses});");
    view! { <script type="module" nonce=use_nonce()>{script}</script> }
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
