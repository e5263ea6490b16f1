//! `eval-discovery`: recall and precision of DPIA201 on the labelled corpus in
//! `xtask/corpus/discovery` (see its README for the labels).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dpia_lint_engine::{lint, Options};

/// The corpus shipped with the repo.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/discovery")
}

/// One labelled or reported line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct Eval {
    /// Labelled personal: site → kind.
    pub labels: BTreeMap<Site, String>,
    /// Reported by DPIA201: site → kind.
    pub found: BTreeMap<Site, String>,
}

impl Eval {
    pub fn true_positives(&self) -> usize {
        self.found
            .keys()
            .filter(|s| self.labels.contains_key(s))
            .count()
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positives(), self.labels.len())
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_positives(), self.found.len())
    }

    /// Found with the labelled kind, among the true positives.
    pub fn kind_accuracy(&self) -> f64 {
        let right = self
            .found
            .iter()
            .filter(|(s, k)| self.labels.get(*s) == Some(*k))
            .count();
        ratio(right, self.true_positives())
    }

    pub fn misses(&self) -> Vec<(&Site, &String)> {
        self.labels
            .iter()
            .filter(|(s, _)| !self.found.contains_key(*s))
            .collect()
    }

    pub fn false_alarms(&self) -> Vec<(&Site, &String)> {
        self.found
            .iter()
            .filter(|(s, _)| !self.labels.contains_key(*s))
            .collect()
    }

    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut kinds: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for (s, k) in &self.labels {
            let e = kinds.entry(k).or_default();
            e.0 += 1;
            if self.found.contains_key(s) {
                e.2 += 1;
            }
        }
        for (s, k) in &self.found {
            let label = self.labels.get(s).map(String::as_str).unwrap_or(k.as_str());
            kinds.entry(label).or_default().1 += 1;
        }
        out.push_str(&format!(
            "{:<22} {:>8} {:>6} {:>4}\n",
            "kind", "labelled", "found", "tp"
        ));
        for (k, (l, f, tp)) in &kinds {
            out.push_str(&format!("{k:<22} {l:>8} {f:>6} {tp:>4}\n"));
        }
        out.push_str(&format!(
            "\nlabelled {}, found {}, true positives {}\nrecall    {:.1} %\nprecision {:.1} %\nkind right on {:.1} % of the true positives\n",
            self.labels.len(),
            self.found.len(),
            self.true_positives(),
            100.0 * self.recall(),
            100.0 * self.precision(),
            100.0 * self.kind_accuracy()
        ));
        for (s, k) in self.misses() {
            out.push_str(&format!("missed       {}:{} ({k})\n", s.file, s.line));
        }
        for (s, k) in self.false_alarms() {
            out.push_str(&format!("false alarm  {}:{} ({k})\n", s.file, s.line));
        }
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Lints `dir` (a bare directory of `.rs` files with `// pd:` labels) with DPIA201.
pub fn evaluate(dir: &Path) -> Result<Eval, String> {
    let manifest = std::env::temp_dir().join(format!("dpia-eval-{}.toml", std::process::id()));
    std::fs::write(&manifest, "[dpia]\nregime = \"uk-gdpr\"\n").map_err(|e| e.to_string())?;
    let opts = Options {
        path: dir.to_path_buf(),
        dpia: Some(manifest.clone()),
        root: Some(dir.to_path_buf()),
        ..Options::default()
    };
    let rule = dpia_lint_rules::all()
        .iter()
        .copied()
        .find(|r| r.meta().code == "DPIA201")
        .ok_or("DPIA201 is not registered")?;
    let report = lint(&opts, &[rule]);
    let _ = std::fs::remove_file(&manifest);
    let report = report.map_err(|e| e.to_string())?;
    let mut eval = Eval::default();
    for (_, file) in report.db.files() {
        if !file.rel_path.ends_with(".rs") {
            continue;
        }
        for (i, line) in file.text.lines().enumerate() {
            if let Some((_, label)) = line.split_once("// pd:") {
                eval.labels.insert(
                    Site {
                        file: file.rel_path.clone(),
                        line: i + 1,
                    },
                    label.trim().to_string(),
                );
            }
        }
    }
    for f in &report.findings {
        let file = report.db.get(f.primary.span.file);
        let (line, _) = file.line_col(f.primary.span.start as usize);
        eval.found.insert(
            Site {
                file: file.rel_path.clone(),
                line,
            },
            f.facts.category.clone().unwrap_or_default(),
        );
    }
    Ok(eval)
}

/// The real-apps corpus (`../shared/corpus` beside the repository, or `DPIA_CORPUS`), if
/// it is there: unannotated open-source apps with labelled definitions and decoys.
pub fn real_corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DPIA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    dir.join("labels.json").is_file().then_some(dir)
}

/// One app of the real corpus, as `score.py` counts it.
#[derive(Debug, Default)]
pub struct AppScore {
    pub app: String,
    /// Labelled definitions, and those a DPIA201 finding sits on.
    pub definitions: (usize, usize),
    /// Labelled decoys, and those any DPIA201/301/302/303 finding sits on.
    pub decoys: (usize, usize),
    pub misses: Vec<String>,
    /// Why the app could not be linted, if it could not (it then scores zero).
    pub error: Option<String>,
}

/// Lints each app of the real corpus with nothing declared (its `bare-dpia.toml`) and
/// scores definitions and decoys from `labels.json`, as `score.py` does with the binary.
pub fn evaluate_real(dir: &Path) -> Result<Vec<AppScore>, String> {
    let text = std::fs::read_to_string(dir.join("labels.json")).map_err(|e| e.to_string())?;
    let labels: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let labels = labels.as_array().ok_or("labels.json is not a list")?;
    let mut apps: BTreeMap<String, Vec<&serde_json::Value>> = BTreeMap::new();
    for l in labels {
        if let Some(app) = l["repo"].as_str() {
            apps.entry(app.to_string()).or_default().push(l);
        }
    }
    let rules: Vec<_> = dpia_lint_rules::all()
        .iter()
        .copied()
        .filter(|r| ["DPIA201", "DPIA301", "DPIA302", "DPIA303"].contains(&r.meta().code))
        .collect();
    let mut out = Vec::new();
    for (app, items) in apps {
        let mut score = AppScore {
            app: app.clone(),
            ..AppScore::default()
        };
        let root = dir.join(&app);
        let opts = Options {
            path: root.clone(),
            dpia: Some(dir.join("bare-dpia.toml")),
            ..Options::default()
        };
        // (code, file, line) of every finding
        let found: Vec<(&str, String, usize)> = match lint(&opts, &rules) {
            Ok(report) => report
                .findings
                .iter()
                .map(|f| {
                    let file = report.db.get(f.primary.span.file);
                    let (line, _) = file.line_col(f.primary.span.start as usize);
                    (f.code, file.rel_path.clone(), line)
                })
                .collect(),
            Err(e) => {
                score.error = Some(e.to_string());
                Vec::new()
            }
        };
        let same = |a: &str, b: &str| {
            a == b || a.ends_with(&format!("/{b}")) || b.ends_with(&format!("/{a}"))
        };
        for l in items {
            let (Some(file), Some(line)) = (l["file"].as_str(), l["line"].as_u64()) else {
                continue;
            };
            let line = line as usize;
            let at = |code: Option<&str>| {
                found.iter().any(|(c, f, n)| {
                    code.is_none_or(|code| *c == code) && same(f, file) && *n == line
                })
            };
            match l["kind"].as_str() {
                Some("definition") => {
                    score.definitions.0 += 1;
                    if at(Some("DPIA201")) {
                        score.definitions.1 += 1;
                    } else {
                        score
                            .misses
                            .push(format!("missed definition {file}:{line}"));
                    }
                }
                Some("decoy") => {
                    score.decoys.0 += 1;
                    if at(None) {
                        score.decoys.1 += 1;
                        score.misses.push(format!("hit decoy {file}:{line}"));
                    }
                }
                _ => {}
            }
        }
        out.push(score);
    }
    Ok(out)
}

/// The real-corpus part of the `eval-discovery` report.
pub fn real_report(scores: &[AppScore]) -> String {
    let mut out = String::from("\nreal apps (labels.json; definitions found, decoys hit):\n");
    let (mut d, mut df, mut c, mut ch) = (0, 0, 0, 0);
    for s in scores {
        d += s.definitions.0;
        df += s.definitions.1;
        c += s.decoys.0;
        ch += s.decoys.1;
        out.push_str(&format!(
            "{:<24} definitions {:>2}/{:<2} decoys hit {:>2}/{:<2}{}\n",
            s.app,
            s.definitions.1,
            s.definitions.0,
            s.decoys.1,
            s.decoys.0,
            s.error
                .as_ref()
                .map(|e| format!("  (not linted: {e})"))
                .unwrap_or_default()
        ));
        for m in s.misses.iter().filter(|_| s.error.is_none()) {
            out.push_str(&format!("    {m}\n"));
        }
    }
    out.push_str(&format!(
        "definitions {df}/{d} ({:.2}), decoys hit {ch}/{c} ({:.2})\n",
        ratio(df, d),
        if c == 0 { 0.0 } else { ch as f64 / c as f64 }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bar of issue C: at least 90 % recall with at least 90 % precision.
    #[test]
    fn discovery_meets_the_bar_on_the_corpus() {
        let eval = evaluate(&corpus_dir()).unwrap();
        assert!(eval.labels.len() >= 80, "the corpus is too small");
        assert!(
            eval.recall() >= 0.9 && eval.precision() >= 0.9,
            "{}",
            eval.report()
        );
    }
}
