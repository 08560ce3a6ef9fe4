//! What the benchmarks share for their reports: reading back the medians criterion
//! wrote during this run, formatting ratios and verdicts, and the loop that callgrind
//! counts. Included by each bench with `#[path = "support/report.rs"] mod report;`.
#![allow(dead_code)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

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

/// One variant of an interleaved comparison: a name and a function that runs the
/// operation `n` times (the loop inside, so that nothing is dispatched per call).
pub type Variant<'a> = (&'static str, Box<dyn FnMut(u64) + 'a>);

/// Median ns per operation of each variant, measured interleaved: `rounds` rounds, each
/// running every variant once for about `turn` (batch sizes calibrated first), so that
/// load on a shared machine hits every variant alike. The ratios between the medians
/// are the figures to read.
pub fn interleaved(variants: &mut [Variant<'_>], rounds: usize, turn: Duration) -> Vec<f64> {
    let batches: Vec<u64> = variants
        .iter_mut()
        .map(|(_, run)| {
            run(1000); // warm up
            let mut n = 1000;
            loop {
                let start = Instant::now();
                run(n);
                let elapsed = start.elapsed();
                if elapsed >= turn / 4 || n >= 1 << 30 {
                    let per = elapsed.as_secs_f64() / n as f64;
                    break ((turn.as_secs_f64() / per) as u64).max(1);
                }
                n *= 4;
            }
        })
        .collect();
    let mut samples = vec![Vec::with_capacity(rounds); variants.len()];
    for _ in 0..rounds {
        for ((_, run), (&n, times)) in variants.iter_mut().zip(batches.iter().zip(&mut samples)) {
            let start = Instant::now();
            run(n);
            times.push(start.elapsed().as_secs_f64() * 1e9 / n as f64);
        }
    }
    samples.into_iter().map(median).collect()
}

/// The median of `times` (the upper one of an even count).
pub fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Whether the binary runs as `cargo bench` (not `cargo test --benches`, which runs
/// each benchmark once): only then are interleaved comparisons measured.
pub fn benchmarking() -> bool {
    std::env::args().any(|arg| arg == "--bench")
        || std::env::var_os("SPRINGBOARD_COMPARE").is_some()
}

/// Rounds and turn length of the interleaved comparisons: `SPRINGBOARD_ROUNDS`
/// (default 301) rounds of 250 µs turns, well under a scheduler time slice, so that a
/// preemption spoils one sample of one variant rather than whole turns.
pub fn rounds() -> (usize, Duration) {
    let rounds = std::env::var("SPRINGBOARD_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(301);
    (rounds, Duration::from_micros(250))
}

/// Runs `operation` `n` times, its results black-boxed (the body of a comparison
/// variant).
#[inline(always)]
pub fn repeat<R>(n: u64, mut operation: impl FnMut() -> R) {
    for _ in 0..n {
        black_box(operation());
    }
}

/// The iteration count (`SPRINGBOARD_CALLGRIND_N`, 100 000 by default) and the case and
/// variant of a `SPRINGBOARD_CALLGRIND=<case>:<variant>` request.
pub fn callgrind_request(spec: &str) -> (u64, &str, &str) {
    let iterations = std::env::var("SPRINGBOARD_CALLGRIND_N")
        .ok()
        .map_or(100_000, |n| n.parse().expect("SPRINGBOARD_CALLGRIND_N"));
    let (case, variant) = spec
        .split_once(':')
        .expect("SPRINGBOARD_CALLGRIND=<case>:<variant>");
    (iterations, case, variant)
}

/// Runs `callgrind` with the `SPRINGBOARD_CALLGRIND` request or `listing` when
/// `SPRINGBOARD_LISTING` is set; whether either ran (then the bench does nothing else).
pub fn ran_other_mode(callgrind: impl FnOnce(&str), listing: impl FnOnce()) -> bool {
    if let Ok(spec) = std::env::var("SPRINGBOARD_CALLGRIND") {
        callgrind(&spec);
        true
    } else if std::env::var_os("SPRINGBOARD_LISTING").is_some() {
        listing();
        true
    } else {
        false
    }
}

/// Runs `benches` with a criterion configured from the command line; when they measured
/// anything (not `--test`, `--list` or a filter that matched nothing), prints the
/// report `summary` makes from the files written since the start and writes it to
/// `file` in [`criterion_dir`].
pub fn run_and_report(
    file: &str,
    benches: impl FnOnce(&mut criterion::Criterion),
    summary: impl FnOnce(SystemTime) -> String,
) {
    // Whole seconds: file modification times may be that coarse.
    let since = SystemTime::now() - Duration::from_secs(1);
    let mut criterion = criterion::Criterion::default()
        .output_directory(&criterion_dir())
        .configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    if !measured_since(&criterion_dir(), since) {
        return;
    }
    let text = summary(since);
    println!("{text}");
    let path = criterion_dir().join(file);
    if std::fs::write(&path, &text).is_ok() {
        println!("(summary written to {})", path.display());
    }
}

/// Appends the table of `targets` (what, the measured figure, whether met) to `out`
/// under the Markdown `heading`.
pub fn push_targets(out: &mut String, heading: &str, targets: &[(String, String, Option<bool>)]) {
    out.push_str(&format!(
        "\n## {heading}\n\n| target | measured | met? |\n|---|---|---|\n"
    ));
    for (target, measured, met) in targets {
        out.push_str(&format!("| {target} | {measured} | {} |\n", verdict(*met)));
    }
}
