//! The project's shell scripts all run under `set -o pipefail` (directly or
//! through the file that sources them). There, a reader that stops before
//! its writer is done — `grep -q`, `grep -m`, `head` — fails the whole
//! pipeline at random: the writer, still writing, dies of SIGPIPE (curl
//! exits 23) whenever the match comes before its last write. That failed
//! CI once (`curl /metrics | grep -q …` in the failover check), so no
//! script pipes into such a reader: read a file or a captured string.

/// A pipeline stage that may stop reading before its input ends.
fn stops_early(stage: &str) -> bool {
    let mut words = stage.split_whitespace();
    match words.next() {
        Some("head") => true,
        Some("grep") => words.take_while(|w| w.starts_with('-')).any(|w| {
            matches!(w, "--quiet" | "--silent" | "--max-count")
                || w.starts_with("--max-count=")
                || (!w.starts_with("--") && w[1..].contains(['q', 'm']))
        }),
        _ => false,
    }
}

/// The stages after the first of each pipeline on a logical line: split at
/// `|` outside quotes (a `$(…)` inside double quotes is code again); `||`
/// ends a pipeline.
fn readers(line: &str) -> Vec<String> {
    let (mut readers, mut current, mut after_pipe) = (Vec::new(), String::new(), false);
    // What encloses the current character: quotes and `$(`.
    let (mut enclosing, mut chars) = (Vec::<char>::new(), line.chars().peekable());
    while let Some(c) = chars.next() {
        let top = enclosing.last().copied();
        match c {
            '\\' if top != Some('\'') => {
                current.push(c);
                current.extend(chars.next());
                continue;
            }
            '\'' if top == Some('\'') => _ = enclosing.pop(),
            '"' if top == Some('"') => _ = enclosing.pop(),
            '\'' | '"' if top != Some('\'') && top != Some('"') => enclosing.push(c),
            '$' if top != Some('\'') && chars.peek() == Some(&'(') => {
                current.extend([c, '(']);
                chars.next();
                enclosing.push('(');
                continue;
            }
            '(' if top.is_none() || top == Some('(') => enclosing.push('('),
            ')' if top == Some('(') => _ = enclosing.pop(),
            '|' if top.is_none() || top == Some('(') => {
                let or = chars.next_if_eq(&'|').is_some();
                let stage = std::mem::take(&mut current);
                if after_pipe {
                    readers.push(stage);
                }
                after_pipe = !or;
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if after_pipe {
        readers.push(current);
    }
    readers
}

/// The script's commands, continuation lines joined, comments left out.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let code = raw.trim();
        if code.starts_with('#') {
            continue;
        }
        let (start, mut line) = pending.take().unwrap_or((n + 1, String::new()));
        line.push(' ');
        line.push_str(code.trim_end_matches('\\'));
        let continues = code.ends_with('\\') || (code.ends_with('|') && !code.ends_with("||"));
        if continues {
            pending = Some((start, line));
        } else {
            lines.push((start, line));
        }
    }
    lines.extend(pending);
    lines
}

#[test]
fn no_script_pipes_into_a_reader_that_stops_early() {
    let mut found = Vec::new();
    let mut scripts = 0;
    for entry in std::fs::read_dir("scripts").expect("scripts/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "sh") {
            continue;
        }
        scripts += 1;
        let text = std::fs::read_to_string(&path).expect("readable script");
        for (n, line) in logical_lines(&text) {
            if readers(&line).iter().any(|stage| stops_early(stage)) {
                found.push(format!("{}:{n}: {}", path.display(), line.trim()));
            }
        }
    }
    assert!(
        scripts > 10,
        "the scripts folder was read ({scripts} scripts)"
    );
    assert!(
        found.is_empty(),
        "pipes into a reader that stops early:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_knows_the_readers_that_stop_early() {
    let flagged = |line: &str| {
        logical_lines(line)
            .iter()
            .any(|(_, l)| readers(l).iter().any(|s| stops_early(s)))
    };
    for line in [
        "curl -fs \"$survivor\" | grep -q '^kulisy_http' || fail x",
        "x=\"$(curl -fs \"$url\" | grep -o 'href' | head -1)\"",
        "cat a b |\n  grep -qx 200",
        "seq 1 9 | grep -m1 5",
        "seq 1 9 | grep --quiet 5 && echo",
        "seq 1 9 | grep -c 5 || true; seq 1 9 | head -c 3",
    ] {
        assert!(flagged(line), "{line}");
    }
    for line in [
        "grep -q '^kulisy' \"$WORK/metrics.txt\" || fail x",
        "grep -qx wasm <<< \"$(rustup target list --installed)\"",
        "sort -n \"$SAMPLES\" | tail -1",
        "echo 'a | head' | sed -n 's|x|y|p'",
        "curl -fs x | sed -n 's/^a/b/p'",
        "[ -x a ] || head -1 file",
        "# curl x | grep -q y",
    ] {
        assert!(!flagged(line), "{line}");
    }
}
