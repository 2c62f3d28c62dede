//! A script as text: its lines, its comments, and the steps parsed from it.
//!
//! Parsing is all-or-nothing: the first syntax error names its line
//! (`line N: ...`) and nothing runs. Lines end at `\n`, `\r\n` or a lone
//! `\r` (old Mac files, some clipboards); a UTF-8 byte order mark before the
//! first line is not part of it (Windows editors write one). Comment lines are kept beside the
//! commands they precede, so that the page can write a session back as the
//! script it came from.

use std::fmt;

use serde::Serialize;

use super::command::Command;
use crate::budget::Budget;
use crate::error::clip_to;

/// A parse failure: `line N: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The lines of a script: split at `\n`, `\r\n` and a lone `\r`, after a
/// leading byte order mark, if any, is dropped.
pub fn lines(script: &str) -> impl Iterator<Item = &str> {
    let text = script.strip_prefix('\u{feff}').unwrap_or(script);
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\n', '\r']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]);
                Some(&s[..i])
            }
            None => {
                rest = None;
                // Like `str::lines`: no empty last line after a final break.
                (!s.is_empty()).then_some(s)
            }
        }
    })
}

impl std::error::Error for SyntaxError {}

/// A command with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 1-based line number in the script.
    pub line: usize,
    /// The command's first word as written (`produce`, `tombstone`, ...).
    pub word: String,
    /// The line as written, trimmed.
    pub text: String,
    pub command: Command,
}

/// Parses a whole script; the first syntax error stops it. At most
/// [`Budget::CLI`]'s steps (see [`parse_within`]).
///
/// # Errors
///
/// The first line that is not a command of the scenario language, or the
/// first step past the budget.
pub fn parse(script: &str) -> Result<Vec<Step>, SyntaxError> {
    parse_within(script, Budget::CLI.steps)
}

/// Parses a script of at most `max_steps` commands (a budget's `steps`):
/// a longer one is refused at its first step too many, before it is read
/// further, so that a huge script costs no more than the budget.
///
/// # Errors
///
/// The first line that is not a command of the scenario language, or the
/// line of the first step past `max_steps`.
pub fn parse_within(script: &str, max_steps: u64) -> Result<Vec<Step>, SyntaxError> {
    let mut steps = Vec::new();
    for (i, raw) in lines(script).enumerate() {
        let line = i + 1;
        let text = raw.trim();
        if text.is_empty() || is_comment(text) {
            continue;
        }
        if steps.len() as u64 >= max_steps {
            return Err(SyntaxError {
                line,
                message: format!(
                    "the script has more than {max_steps} steps, the most the session's budget allows (limit steps)"
                ),
            });
        }
        let command = Command::parse(text).map_err(|message| SyntaxError {
            line,
            // A message repeats words of the line: a 100 MB word must not
            // come back whole.
            message: clip_to(&message, 1000).into_owned(),
        })?;
        let word = text.split_whitespace().next().unwrap_or_default().to_string();
        steps.push(Step {
            line,
            word,
            text: text.to_string(),
            command,
        });
    }
    Ok(steps)
}

fn is_comment(trimmed: &str) -> bool {
    trimmed.starts_with('#')
}

/// Steps, each with the comment lines before it.
pub type Commented = Vec<(Step, Vec<String>)>;

/// A parsed script with the comment lines (trimmed) that precede each
/// command, and the comments after the last one.
///
/// # Errors
///
/// The script's first syntax error, as [`parse`].
pub fn parse_with_comments(text: &str) -> Result<(Commented, Vec<String>), SyntaxError> {
    let steps = parse(text)?;
    let lines: Vec<&str> = lines(text).collect();
    let mut out = Vec::with_capacity(steps.len());
    let mut next_line = 1;
    for step in steps {
        let comments = comments_between(&lines, next_line, step.line);
        next_line = step.line + 1;
        out.push((step, comments));
    }
    let trailing = comments_between(&lines, next_line, lines.len() + 1);
    Ok((out, trailing))
}

/// The comment lines among lines `[from, to)` (1-based), trimmed.
fn comments_between(lines: &[&str], from: usize, to: usize) -> Vec<String> {
    (from..to)
        .filter_map(|n| lines.get(n - 1))
        .map(|l| l.trim())
        .filter(|l| is_comment(l))
        .map(str::to_string)
        .collect()
}

/// The script text of commands, each after its comment lines, then the
/// trailing comments, one a line.
pub fn write<'a>(commands: impl IntoIterator<Item = (&'a [String], &'a str)>, trailing: &[String]) -> String {
    let mut out = String::new();
    let mut line = |l: &str| {
        out.push_str(l);
        out.push('\n');
    };
    for (comments, text) in commands {
        comments.iter().for_each(|c| line(c));
        line(text);
    }
    trailing.iter().for_each(|c| line(c));
    out
}

/// A script as a session would write it back (comments and commands, one a
/// line), without running it; `None` if it does not parse.
pub fn normalize_script(text: &str) -> Option<String> {
    let (steps, trailing) = parse_with_comments(text).ok()?;
    Some(write(
        steps
            .iter()
            .map(|(step, comments)| (comments.as_slice(), step.text.as_str())),
        &trailing,
    ))
}
