//! House rules that the compiler does not check: the stages import one way (a stage uses only
//! the stages before it and the base layer), and the source keeps to the `rust-version` in
//! Cargo.toml (1.85: no let chains, which need 1.88).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module's rank: the base layer first, then the stages in the order data flows, then
/// the edge. A module may use only modules of a lower rank (or its own).
const LAYERS: [&[&str]; 14] = [
    &["units", "crc", "rng", "vocab"],
    &["error", "recording", "time", "stats", "model"],
    &["simulate"],
    &["ingest"],
    &["signal"],
    &["gait"],
    &["metrics"],
    &["risk"],
    &["session"],
    &["pipeline"],
    &["wear"],
    &["block"],
    &["report"],
    &["cli", "config", "api", "app"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its unit tests and comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate modules a piece of code names: `crate::x` and `crate::{x, y::z}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                out.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out.retain(|n| !n.is_empty() && n != "self");
    out
}

#[test]
fn stages_import_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let module = rel
            .iter()
            .next()
            .unwrap()
            .to_string_lossy()
            .replace(".rs", "");
        if module == "lib" || module == "main" {
            continue;
        }
        assert!(
            rank(&module).is_some(),
            "{module} is in no layer of this test"
        );
        for m in named_modules(&code(f)) {
            if m != module {
                uses.entry(module.clone()).or_default().insert(m);
            }
        }
    }
    let mut wrong = Vec::new();
    for (from, tos) in &uses {
        for to in tos {
            let (Some(a), Some(b)) = (rank(from), rank(to)) else {
                continue;
            };
            if b >= a && !LAYERS[a].contains(&to.as_str()) {
                wrong.push(format!("{from} uses {to}"));
            }
            // Within a layer only the base modules may use each other, one way at most.
            if a == b && uses.get(to).is_some_and(|t| t.contains(from)) {
                wrong.push(format!("{from} and {to} use each other"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the flow: {wrong:?}");
}

#[test]
fn named_modules_reads_paths_and_groups() {
    let m = named_modules("use crate::time::rfc3339;\nuse crate::{stats, model::x};\ncrate::self");
    let want: BTreeSet<String> = ["time", "stats", "model"].map(String::from).into();
    assert_eq!(m, want);
}

/// `if let … && …` and `if … && let …` (let chains) need Rust 1.88; Cargo.toml promises 1.85.
fn let_chains(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in code.match_indices("if ") {
        let after_ident = code[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if after_ident {
            continue;
        }
        let cond = &code[i..];
        let end = cond.find('{').unwrap_or(cond.len());
        let cond = &cond[..end];
        if cond.contains("&&") {
            // A `&&` inside a closure or parentheses is an ordinary boolean expression.
            let top: String = {
                let mut depth = 0i32;
                cond.chars()
                    .filter(|c| {
                        match c {
                            '(' | '[' => depth += 1,
                            ')' | ']' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .collect()
            };
            let chained = top.contains("&&")
                && (top
                    .trim_start_matches("if ")
                    .trim_start()
                    .starts_with("let ")
                    || top.contains("&& let "));
            if chained {
                found.push(cond.lines().next().unwrap_or("").to_string());
            }
        }
    }
    found
}

#[test]
fn no_let_chains_so_rust_1_85_builds() {
    assert_eq!(let_chains("if let Some(x) = y\n && x > 1 {").len(), 1);
    assert_eq!(let_chains("if a && let Some(x) = y {").len(), 1);
    assert!(let_chains("if let Some(r) = r.filter(|r| r.is_finite() && *r > 0.0) {").is_empty());
    assert!(let_chains("if a && b {").is_empty());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["src", "tests", "benches"] {
        rust_files(&root.join(d), &mut files);
    }
    let mut all = Vec::new();
    for f in files.iter().filter(|f| !f.ends_with("house.rs")) {
        let text: String = std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for c in let_chains(&text) {
            all.push(format!("{}: {c}", f.display()));
        }
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("rust-version = \"1.85\""));
    assert!(all.is_empty(), "let chains need Rust 1.88: {all:#?}");
}
