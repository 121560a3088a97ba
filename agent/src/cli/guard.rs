//! `pstral guard --dialect D --jsonl FILE`: the guard on a file of statements, for audits and comparisons.
//! Without a catalog, table existence is not checked; every other rule applies.

use std::io::{BufRead, Write};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::config::GuardArgs;
use crate::guard::{self, GuardPolicy};

#[derive(Debug, Deserialize)]
struct Input {
    sql: String,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    allowed: bool,
    rule: &'a str,
    message: &'a str,
}

/// Reads statements line by line and prints one verdict per line; the last line (stderr) counts them.
pub fn run(args: &GuardArgs) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = if args.jsonl.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file =
            std::fs::File::open(&args.jsonl).with_context(|| format!("failed to open {}", args.jsonl.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let policy = GuardPolicy::new(args.dialect);
    let mut stdout = std::io::stdout().lock();
    let (mut allowed, mut refused) = (0usize, 0usize);
    for (number, line) in reader.lines().enumerate() {
        let line = line.context("failed to read a line")?;
        if line.trim().is_empty() {
            continue;
        }
        let input: Input =
            serde_json::from_str(&line).with_context(|| format!("line {}: expected {{\"sql\": \"…\"}}", number + 1))?;
        let verdict = guard::check(&input.sql, &policy);
        if verdict.allowed {
            allowed += 1;
        } else {
            refused += 1;
        }
        let output = Output { allowed: verdict.allowed, rule: verdict.rule.as_str(), message: &verdict.message };
        writeln!(stdout, "{}", serde_json::to_string(&output)?)?;
    }
    eprintln!("guard: {allowed} allowed, {refused} refused");
    Ok(())
}
