//! The embed's lesson: the scenario a tutorial page gave it and, when the
//! reader steps through it (`?step`), how many of its commands have run.
//! Kafka has no such thing; it is the page's way of replaying a scenario a
//! line at a time. Pure data: the reducer keeps it and runs its
//! [`Lesson::script`] (see [`super::state`]).

use crate::scenario;

/// The embed's scenario and, when stepping, how many of its commands ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lesson {
    pub text: String,
    /// 1-based line numbers of its commands (empty if it does not parse).
    pub lines: Vec<usize>,
    /// `Some(k)`: stepping, `k` commands run.
    pub cursor: Option<usize>,
}

impl Lesson {
    pub fn new(text: String, step: bool) -> Lesson {
        let lines: Vec<usize> = scenario::parse(&text)
            .map(|s| s.iter().map(|s| s.line).collect())
            .unwrap_or_default();
        let cursor = (step && !lines.is_empty()).then_some(0);
        Lesson { text, lines, cursor }
    }

    /// The number of commands.
    pub fn steps(&self) -> usize {
        self.lines.len()
    }

    /// Whether a next line is left to run (stepping, and not done).
    pub fn can_step(&self) -> bool {
        self.cursor.is_some_and(|k| k < self.lines.len())
    }

    /// Runs one more command (when [`Lesson::can_step`]).
    pub fn step(&mut self) {
        if let Some(k) = self.cursor.filter(|_| self.can_step()) {
            self.cursor = Some(k + 1);
        }
    }

    /// Back to the start: no command run when stepping.
    pub fn restart(&mut self) {
        if self.cursor.is_some() {
            self.cursor = Some(0);
        }
    }

    /// The script the session should hold now: all of it, or the lines up
    /// to the `k`th command when stepping.
    pub fn script(&self) -> String {
        match self.cursor {
            None => self.text.clone(),
            Some(0) => String::new(),
            Some(k) => {
                let last = self.lines.get(k - 1).copied().unwrap_or(usize::MAX);
                self.text.lines().take(last).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// Where the reader stands, when stepping.
    pub fn notice(&self) -> Option<String> {
        let k = self.cursor?;
        Some(match k {
            0 => format!("Ready to step through {} lines: press Next step.", self.lines.len()),
            k => {
                let line = self
                    .lines
                    .get(k - 1)
                    .and_then(|n| self.text.lines().nth(n - 1))
                    .unwrap_or("")
                    .trim();
                format!("Step {k} of {}: {line}", self.lines.len())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# intro\ntopic t\n\nproduce t a:1\n# before the last\nproduce t a:2\n";

    #[test]
    fn stepping_runs_growing_prefixes() {
        let mut l = Lesson::new(TEXT.to_string(), true);
        assert_eq!(l.lines, vec![2, 4, 6]);
        assert_eq!(l.script(), "");
        l.step();
        l.step();
        assert_eq!(l.script(), "# intro\ntopic t\n\nproduce t a:1");
        assert_eq!(l.notice().as_deref(), Some("Step 2 of 3: produce t a:1"));
        l.step();
        assert!(!l.can_step());
        l.step();
        assert_eq!(l.cursor, Some(3));
        assert_eq!(scenario::parse(&l.script()).map(|s| s.len()).ok(), Some(3));
        l.restart();
        assert_eq!(l.cursor, Some(0));
    }

    #[test]
    fn without_stepping_or_on_bad_scripts_everything_runs() {
        assert_eq!(Lesson::new(TEXT.to_string(), false).script(), TEXT);
        let bad = Lesson::new("topic t\nbogus\n".to_string(), true);
        assert_eq!(bad.cursor, None);
        assert_eq!(bad.script(), "topic t\nbogus\n");
        assert!(!bad.can_step());
    }
}
