//! The lesson the page is stepping through: a scenario read as narrated
//! steps ([`crate::scenario::lesson`]), and how many of them have run.
//! Kafka has no such thing; it is the page's way of replaying a scenario a
//! step at a time, forward and back. Pure data: the reducer keeps it and
//! runs its [`Lesson::script`] (see [`super::state`]).
//!
//! The full page steps the built-in lessons and any script a person starts
//! as one; an embed steps the scenario its tutorial page gave it (`?step`,
//! or `kcp:load` with `step: true`).

use crate::scenario::{self, builtin, lesson};
use crate::ui::describe::plural;

/// A lesson and, when stepping, how many of its steps ran.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lesson {
    pub text: String,
    /// The built-in scenario it is, if any (its title and what it teaches).
    pub builtin: Option<&'static builtin::Builtin>,
    /// Its narrated steps (none if the script does not parse).
    pub plan: lesson::Lesson,
    /// `Some(k)`: stepping, `k` steps run.
    pub cursor: Option<usize>,
}

impl Lesson {
    pub fn new(text: String, step: bool) -> Lesson {
        let plan = match scenario::parse(&text) {
            Ok(_) => lesson::Lesson::read(&text),
            Err(_) => lesson::Lesson::default(),
        };
        let cursor = (step && !plan.is_empty()).then_some(0);
        let builtin = builtin::all().iter().find(|b| b.script == text);
        Lesson {
            text,
            builtin,
            plan,
            cursor,
        }
    }

    /// Whether a lesson is being stepped through.
    pub fn active(&self) -> bool {
        self.cursor.is_some()
    }

    /// The number of steps.
    pub fn steps(&self) -> usize {
        self.plan.len()
    }

    /// Whether a next step is left to run (stepping, and not done).
    pub fn can_step(&self) -> bool {
        self.cursor.is_some_and(|k| k < self.plan.len())
    }

    /// Whether a step ran that can be taken back.
    pub fn can_go_back(&self) -> bool {
        self.cursor.is_some_and(|k| k > 0)
    }

    /// Runs one more step (when [`Lesson::can_step`]).
    pub fn step(&mut self) {
        if let Some(k) = self.cursor.filter(|_| self.can_step()) {
            self.cursor = Some(k + 1);
        }
    }

    /// Takes the last step back (when [`Lesson::can_go_back`]).
    pub fn back(&mut self) {
        if let Some(k) = self.cursor.filter(|&k| k > 0) {
            self.cursor = Some(k - 1);
        }
    }

    /// Back to the start: no step run when stepping.
    pub fn restart(&mut self) {
        if self.cursor.is_some() {
            self.cursor = Some(0);
        }
    }

    /// The step shown: the last one run, or the first before any ran.
    pub fn current(&self) -> Option<(usize, &lesson::LessonStep)> {
        let k = self.cursor?;
        let i = k.saturating_sub(1);
        self.plan.steps.get(i).map(|s| (i, s))
    }

    /// The session's commands that the shown step ran, as a range of
    /// indices into the session's entries (empty before the first step).
    pub fn ran_by_current(&self) -> std::ops::Range<usize> {
        let Some(k) = self.cursor.filter(|&k| k > 0) else {
            return 0..0;
        };
        let before: usize = self.plan.steps[..k - 1].iter().map(|s| s.lines.len()).sum();
        before..before + self.plan.steps.get(k - 1).map_or(0, |s| s.lines.len())
    }

    /// The command lines the steps run so far hold, trimmed, in order: the
    /// session is still the lesson's while its lines are these.
    pub fn lines_run(&self) -> Vec<&str> {
        let k = self.cursor.unwrap_or(0).min(self.plan.len());
        let text: Vec<&str> = scenario::script::lines(&self.text).collect();
        let numbers = self.plan.steps[..k].iter().flat_map(|s| s.lines.iter());
        numbers.filter_map(|&n| text.get(n - 1).map(|l| l.trim())).collect()
    }

    /// The script the session should hold now: all of it, or the lines up
    /// to the last command of the steps run when stepping.
    pub fn script(&self) -> String {
        match self.cursor {
            None => self.text.clone(),
            Some(k) => {
                let last = self.plan.last_line(k);
                scenario::script::lines(&self.text)
                    .take(last)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }

    /// Where the reader stands, when stepping.
    pub fn notice(&self) -> Option<String> {
        let k = self.cursor?;
        let n = self.plan.len();
        Some(match k {
            0 => format!("Ready to step through {n} steps: press Next step."),
            k if self.plan.steps.get(k - 1).is_some_and(|s| s.lines.is_empty()) => {
                format!("Step {k} of {n}: the end of the lesson.")
            }
            k => {
                let lines = self.plan.steps.get(k - 1).map_or(&[][..], |s| &s.lines[..]);
                let first = lines
                    .first()
                    .and_then(|&n| scenario::script::lines(&self.text).nth(n - 1))
                    .unwrap_or("")
                    .trim();
                match lines.len() {
                    0 | 1 => format!("Step {k} of {n}: {first}"),
                    more => format!(
                        "Step {k} of {n}: {first} and {} more line{}",
                        more - 1,
                        plural(more - 1)
                    ),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "topic t\n\nproduce t a:1\nproduce t a:2\n";
    const NARRATED: &str = "# Make it.\ntopic t\n# Two records.\nproduce t a:1\nproduce t a:2\n# Done.\n";

    #[test]
    fn stepping_runs_growing_prefixes_forward_and_back() {
        let mut l = Lesson::new(TEXT.to_string(), true);
        assert_eq!(l.steps(), 3, "no comments: a command a step");
        assert_eq!(l.script(), "");
        assert_eq!(l.ran_by_current(), 0..0);
        l.step();
        l.step();
        assert_eq!(l.script(), "topic t\n\nproduce t a:1");
        assert_eq!(l.notice().as_deref(), Some("Step 2 of 3: produce t a:1"));
        assert_eq!(l.ran_by_current(), 1..2);
        l.step();
        assert!(!l.can_step());
        l.step();
        assert_eq!(l.cursor, Some(3));
        assert_eq!(scenario::parse(&l.script()).map(|s| s.len()).ok(), Some(3));
        l.back();
        assert_eq!(l.cursor, Some(2));
        l.restart();
        assert_eq!(l.cursor, Some(0));
        assert!(!l.can_go_back());
        l.back();
        assert_eq!(l.cursor, Some(0));
    }

    #[test]
    fn narrated_steps_group_their_lines_and_end_with_words() {
        let mut l = Lesson::new(NARRATED.to_string(), true);
        assert_eq!(l.steps(), 3);
        l.step();
        l.step();
        assert_eq!(
            l.notice().as_deref(),
            Some("Step 2 of 3: produce t a:1 and 1 more line")
        );
        assert_eq!(l.ran_by_current(), 1..3);
        assert_eq!(l.lines_run(), ["topic t", "produce t a:1", "produce t a:2"]);
        assert_eq!(
            l.script(),
            "# Make it.\ntopic t\n# Two records.\nproduce t a:1\nproduce t a:2"
        );
        l.step();
        assert_eq!(l.notice().as_deref(), Some("Step 3 of 3: the end of the lesson."));
        assert_eq!(
            l.script(),
            "# Make it.\ntopic t\n# Two records.\nproduce t a:1\nproduce t a:2"
        );
        assert_eq!(l.ran_by_current(), 3..3);
        assert!(l.current().is_some_and(|(i, s)| i == 2 && s.lines.is_empty()));
    }

    #[test]
    fn builtins_know_their_title_and_bad_scripts_run_whole() {
        let b = &builtin::all()[0];
        assert_eq!(
            Lesson::new(b.script.to_string(), true).builtin.map(|b| b.id),
            Some(b.id)
        );
        assert_eq!(Lesson::new(TEXT.to_string(), false).script(), TEXT);
        let bad = Lesson::new("topic t\nbogus\n".to_string(), true);
        assert_eq!(bad.cursor, None);
        assert_eq!(bad.script(), "topic t\nbogus\n");
        assert!(!bad.can_step());
        assert!(!bad.active());
    }
}
