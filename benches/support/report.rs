//! What the benchmarks share for their reports: reading back the medians criterion
//! wrote during this run, formatting ratios and verdicts, and the loop that callgrind
//! counts. Included by each bench with `#[path = "support/report.rs"] mod report;`.
#![allow(dead_code)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where criterion writes its results.
pub fn criterion_dir() -> PathBuf {
    match std::env::var_os("CRITERION_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("the target directory")
            .join("criterion"),
    }
}

/// A file criterion wrote for `group/id` during this run.
pub fn fresh_file(group: &str, id: &str, file: &str, since: SystemTime) -> Option<String> {
    let path = criterion_dir().join(group).join(id).join("new").join(file);
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Median ns of one iteration of `group/id`, if this run measured it.
pub fn median_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let text = fresh_file(group, id, "estimates.json", since)?;
    let median = &text[text.find("\"median\":")?..];
    let key = "\"point_estimate\":";
    let number = &median[median.find(key)? + key.len()..];
    number[..number.find([',', '}'])?].trim().parse().ok()
}

/// Time in ns of one iteration in the fastest sample of `group/id` (the least
/// disturbed by other load on a shared machine), if this run measured it.
pub fn fastest_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let text = fresh_file(group, id, "sample.json", since)?;
    let array = |key: &str| -> Option<Vec<f64>> {
        let start = text.find(&format!("\"{key}\":["))? + key.len() + 4;
        let end = start + text[start..].find(']')?;
        text[start..end]
            .split(',')
            .map(|n| n.trim().parse().ok())
            .collect()
    };
    let (iters, times) = (array("iters")?, array("times")?);
    iters
        .iter()
        .zip(&times)
        .map(|(n, t)| t / n)
        .min_by(f64::total_cmp)
}

/// Whether criterion wrote any estimate under `dir` during this run (not under
/// `--test`, `--list` or a filter that matched nothing).
pub fn measured_since(dir: &Path, since: SystemTime) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            measured_since(&path, since)
        } else {
            path.ends_with("new/estimates.json")
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| modified >= since)
        }
    })
}

/// `value / scale` with `digits` decimals, or a dash when not measured.
pub fn fmt_num(value: Option<f64>, scale: f64, digits: usize) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{:.*}", digits, v / scale))
}

/// `a / b` when both were measured.
pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

/// A ratio as `1.23×`, or a dash.
pub fn fmt_ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{v:.2}×"))
}

/// A target's verdict for the summary tables.
pub fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**not met**",
        None => "not measured",
    }
}

/// The loop callgrind measures (`--toggle-collect='*callgrind_loop*'`): everything
/// executed inside it is `iterations` times the operation plus the loop itself.
#[inline(never)]
pub fn callgrind_loop<R>(iterations: u64, mut operation: impl FnMut() -> R) {
    for _ in 0..iterations {
        black_box(operation());
    }
}
