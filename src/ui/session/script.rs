//! Between scenario text and the session's steps.
//!
//! A click builds a [`Command`]; it is written as a scenario line and parsed
//! back ([`step_of`]), so a click runs exactly what the same line in a script
//! would, and what cannot be written as a line is refused before it runs. A
//! typed line goes through [`step_of_line`]. The other way, [`script_of`]
//! writes a session back as the script the editor shows, comments kept.

use super::Entry;
use crate::scenario::{self, Command, Step};

/// The script text of a session: comments, then each line, one a line.
pub fn script_of(entries: &[Entry], trailing: &[String]) -> String {
    let mut out = String::new();
    for e in entries {
        for c in &e.comments {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(&e.step.text);
        out.push('\n');
    }
    for c in trailing {
        out.push_str(c);
        out.push('\n');
    }
    out
}

/// A script as the session would write it back (comments and commands,
/// one a line), without running it; `None` if it does not parse.
pub fn normalize_script(text: &str) -> Option<String> {
    let (steps, trailing) = scenario::parse_with_comments(text).ok()?;
    let mut out = String::new();
    for (step, comments) in &steps {
        for c in comments {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(&step.text);
        out.push('\n');
    }
    for c in &trailing {
        out.push_str(c);
        out.push('\n');
    }
    Some(out)
}

/// One command as a scenario line, parsed back: the step a click runs, or
/// the line when it cannot be written as one (a key with ':', a value with
/// a line break, ...).
///
/// # Errors
///
/// The line itself (`Command`'s `Display`) when it does not parse back as
/// exactly this one command.
pub fn step_of(command: &Command) -> Result<Step, String> {
    let line = command.to_string();
    match scenario::parse(&line) {
        Ok(steps) if steps.len() == 1 && steps[0].command == *command => steps.into_iter().next().ok_or(line),
        Ok(_) | Err(_) => Err(line),
    }
}

/// One typed line (e.g. a custom clock advance) as a step.
///
/// # Errors
///
/// The syntax error (`line 1: <message>`), or `expected exactly one
/// command` for text with none (blank or a comment) or several lines.
pub fn step_of_line(line: &str) -> Result<Step, String> {
    match scenario::parse(line) {
        Ok(steps) if steps.len() == 1 => steps
            .into_iter()
            .next()
            .ok_or_else(|| "expected exactly one command".into()),
        Ok(_) => Err("expected exactly one command".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwritable_commands_are_not_steps() {
        let c = Command::Produce(scenario::command::Produce {
            topic: "t".into(),
            partition: None,
            timestamp_ms: None,
            key: Some("a:b".into()),
            value: Some("1".into()),
            producer: None,
        });
        assert!(step_of(&c).is_err());
        assert_eq!(
            step_of_line("topic t\ntopic u").err().as_deref(),
            Some("expected exactly one command")
        );
    }
}
