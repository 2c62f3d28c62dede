//! A scenario read as a lesson: its comments are the narration, and its
//! commands are grouped into steps a learner runs one at a time.
//!
//! Kafka has no such thing; it is the playground's teaching form of a script,
//! and it changes nothing a script means (comments stay comments to the
//! parser, so `run --json` is the same). The convention, also in the README:
//!
//! - A step is a comment block and the commands after it, up to the next
//!   comment or blank line. Commands before any comment form a step of their
//!   own; comments after the last command close the lesson (a step with no
//!   commands, where its questions usually sit).
//! - A script with no comment at all is stepped a command at a time (as the
//!   embed's host pages have always stepped such scripts).
//! - `# text` lines are the step's narration; a `#` line with nothing else
//!   ends a paragraph. A line ending in ` \` (a shell command cut in two, as
//!   in `kafka-topics --create ... \`), the lines it continues, and a line
//!   starting with `$ ` are shown as code.
//! - `## Watch for: ...`, `## You'll learn: ...`, `## How it runs: ...` and
//!   `## Try this: ...` start a labelled note; `## Question: ...` and
//!   `## Answer: ...` a question and its answer, shown after the step ran.
//!   Further `## ...` lines continue the note or answer above them.
//!
//! A lesson says how long it takes: reading at 200 words a minute plus ten
//! seconds a step to look at what changed, rounded up to whole minutes.

use serde::Serialize;

use super::script;

/// A labelled note of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    WatchFor,
    YoullLearn,
    HowItRuns,
    TryThis,
}

impl NoteKind {
    /// The label as written in scripts and shown in the page.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::WatchFor => "Watch for",
            NoteKind::YoullLearn => "You'll learn",
            NoteKind::HowItRuns => "How it runs",
            NoteKind::TryThis => "Try this",
        }
    }
}

/// One block of a step's narration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Narrative text, its lines joined by spaces.
    Text { text: String },
    /// Lines shown as written (shell commands in the comments).
    Code { text: String },
    /// `## Watch for: ...` and the other labelled notes.
    Note { note: NoteKind, text: String },
}

/// `## Question:` and its `## Answer:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Question {
    pub question: String,
    /// Empty when the author gave no answer.
    pub answer: String,
}

/// One step: narration, then commands run together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LessonStep {
    pub narration: Vec<Block>,
    pub questions: Vec<Question>,
    /// 1-based script line numbers of the step's commands, in order (empty for
    /// a closing step).
    pub lines: Vec<usize>,
}

impl LessonStep {
    fn is_empty(&self) -> bool {
        self.narration.is_empty() && self.questions.is_empty() && self.lines.is_empty()
    }

    /// The step's narrative text, notes and questions as plain words (for
    /// its reading time and for searching).
    fn words(&self) -> usize {
        let blocks = self.narration.iter().map(|b| match b {
            Block::Text { text } | Block::Code { text } | Block::Note { text, .. } => text.as_str(),
        });
        let questions = self
            .questions
            .iter()
            .flat_map(|q| [q.question.as_str(), q.answer.as_str()]);
        blocks.chain(questions).map(|t| t.split_whitespace().count()).sum()
    }
}

/// A script as a lesson.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Lesson {
    pub steps: Vec<LessonStep>,
}

/// Where a narration line is being added.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Nothing,
    Text,
    Code,
    Note,
    Question,
    Answer,
}

impl Lesson {
    /// Reads `text` as a lesson. Lines that are neither comments nor blank
    /// are commands; whether they parse is not this function's business (a
    /// script that does not parse is not run, see [`crate::scenario::parse`]).
    pub fn read(text: &str) -> Lesson {
        let mut steps = Vec::new();
        let mut step = LessonStep::default();
        let mut open = Open::Nothing;
        // A blank line after commands: the next command starts a new step.
        let mut broke = false;
        let mut commented = false;
        for (i, raw) in script::lines(text).enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                broke = !step.lines.is_empty();
                if open != Open::Code {
                    open = close_paragraph(open);
                }
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                commented = true;
                if !step.lines.is_empty() {
                    steps.push(std::mem::take(&mut step));
                    broke = false;
                }
                open = narrate(&mut step, open, comment);
                continue;
            }
            if broke && !step.lines.is_empty() {
                steps.push(std::mem::take(&mut step));
            }
            broke = false;
            open = Open::Nothing;
            step.lines.push(i + 1);
        }
        if !step.is_empty() {
            steps.push(step);
        }
        if !commented {
            let lines = steps.into_iter().flat_map(|s| s.lines);
            steps = lines
                .map(|l| LessonStep {
                    lines: vec![l],
                    ..LessonStep::default()
                })
                .collect();
        }
        Lesson { steps }
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The last script line that the first `k` steps run (0 when none).
    pub fn last_line(&self, k: usize) -> usize {
        self.steps[..k.min(self.steps.len())]
            .iter()
            .rev()
            .find_map(|s| s.lines.last().copied())
            .unwrap_or(0)
    }

    /// About how many minutes the lesson takes (at least 1).
    pub fn minutes(&self) -> usize {
        let words: usize = self.steps.iter().map(LessonStep::words).sum();
        let with_commands = self.steps.iter().filter(|s| !s.lines.is_empty()).count();
        // Seconds: 200 words a minute, ten seconds to look at each step.
        let seconds = words * 60 / 200 + with_commands * 10;
        seconds.div_ceil(60).max(1)
    }
}

/// After a blank line the text paragraph ends; notes and answers go on
/// until another label or a plain `#` line.
fn close_paragraph(open: Open) -> Open {
    match open {
        Open::Text | Open::Code => Open::Nothing,
        other => other,
    }
}

/// Adds one comment line (without its first `#`) to the step's narration and
/// says what is open after it.
fn narrate(step: &mut LessonStep, open: Open, comment: &str) -> Open {
    if let Some(marked) = comment.strip_prefix('#') {
        let marked = marked.trim_start_matches('#').trim();
        if let Some((label, rest)) = marked.split_once(':') {
            let rest = rest.trim().to_string();
            match label.trim().to_ascii_lowercase().as_str() {
                "question" => {
                    step.questions.push(Question {
                        question: rest,
                        answer: String::new(),
                    });
                    return Open::Question;
                }
                "answer" => {
                    match step.questions.last_mut() {
                        Some(q) if q.answer.is_empty() => q.answer = rest,
                        // An answer with no question: shown as its own.
                        _ => step.questions.push(Question {
                            question: String::new(),
                            answer: rest,
                        }),
                    }
                    return Open::Answer;
                }
                label => {
                    if let Some(note) = note_kind(label) {
                        step.narration.push(Block::Note { note, text: rest });
                        return Open::Note;
                    }
                }
            }
        }
        // `## more words`: continues what is open, else plain text.
        return match open {
            Open::Note | Open::Question | Open::Answer => {
                extend(step, open, marked);
                open
            }
            _ => add_text(step, open, marked),
        };
    }
    // `#` alone ends a paragraph (and any note).
    let text = comment.strip_prefix(' ').unwrap_or(comment);
    if text.trim().is_empty() {
        return Open::Nothing;
    }
    add_text(step, open, text)
}

fn note_kind(label: &str) -> Option<NoteKind> {
    [
        NoteKind::WatchFor,
        NoteKind::YoullLearn,
        NoteKind::HowItRuns,
        NoteKind::TryThis,
    ]
    .into_iter()
    .find(|k| k.label().eq_ignore_ascii_case(label) || k.label().replace('\'', "").eq_ignore_ascii_case(label))
}

/// Narrative or code text: a shell line continued with ` \`, what it
/// continues, and `$ ` lines are code.
fn add_text(step: &mut LessonStep, open: Open, text: &str) -> Open {
    let continues_code =
        open == Open::Code && matches!(step.narration.last(), Some(Block::Code { text }) if text.ends_with('\\'));
    let code = continues_code || text.trim_end().ends_with(" \\") || text.starts_with("$ ");
    if code {
        match (open, step.narration.last_mut()) {
            (Open::Code, Some(Block::Code { text: t })) => {
                t.push('\n');
                t.push_str(text.trim_end());
            }
            _ => step.narration.push(Block::Code {
                text: text.trim_end().to_string(),
            }),
        }
        return Open::Code;
    }
    let text = text.trim();
    match (open, step.narration.last_mut()) {
        (Open::Text, Some(Block::Text { text: t })) => {
            t.push(' ');
            t.push_str(text);
        }
        _ => step.narration.push(Block::Text { text: text.to_string() }),
    }
    Open::Text
}

/// Appends words to the open note, question or answer.
fn extend(step: &mut LessonStep, open: Open, words: &str) {
    let target = match open {
        Open::Note => match step.narration.last_mut() {
            Some(Block::Note { text, .. }) => Some(text),
            _ => None,
        },
        Open::Question => step.questions.last_mut().map(|q| &mut q.question),
        Open::Answer => step.questions.last_mut().map(|q| &mut q.answer),
        _ => None,
    };
    if let Some(t) = target {
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Block {
        Block::Text { text: t.to_string() }
    }

    #[test]
    fn comment_blocks_and_the_commands_after_them_are_steps() {
        let lesson = Lesson::read(
            "# Intro line one\n# and two.\n#\n# Second paragraph.\ntopic t\n\nproduce t a:1\nproduce t a:2\n\n\
             # Clean it.\n## Watch for: offsets 0 and 1 go;\n## offset 2 stays.\nclean\n# Done.\n",
        );
        assert_eq!(lesson.len(), 4);
        assert_eq!(
            lesson.steps[0].narration,
            vec![text("Intro line one and two."), text("Second paragraph.")]
        );
        assert_eq!(lesson.steps[0].lines, vec![5]);
        // A blank line between commands splits them into steps.
        assert!(lesson.steps[1].narration.is_empty());
        assert_eq!(lesson.steps[1].lines, vec![7, 8]);
        assert_eq!(
            lesson.steps[2].narration,
            vec![
                text("Clean it."),
                Block::Note {
                    note: NoteKind::WatchFor,
                    text: "offsets 0 and 1 go; offset 2 stays.".into()
                }
            ]
        );
        assert_eq!(lesson.steps[2].lines, vec![13]);
        // Trailing comments close the lesson, with no commands.
        assert_eq!(
            lesson.steps[3],
            LessonStep {
                narration: vec![text("Done.")],
                ..LessonStep::default()
            }
        );
        assert_eq!(lesson.last_line(0), 0);
        assert_eq!(lesson.last_line(2), 8);
        assert_eq!(lesson.last_line(4), 13);
        assert_eq!(lesson.last_line(99), 13);
    }

    #[test]
    fn questions_answers_and_shell_lines() {
        let lesson = Lesson::read(
            "# Create it:\n# kafka-topics --create --topic t \\\n#   --config cleanup.policy=compact\n# Then:\n\
             topic t cleanup.policy=compact\n\
             ## Question: What does a consumer\n## from the beginning see?\n## Answer: Only update-4,\n## at offset 4.\n\
             ## answer: stray\n## You'll learn: labels are case-insensitive\n## Youll learn: and the quote optional\n",
        );
        assert_eq!(lesson.len(), 2);
        assert_eq!(
            lesson.steps[0].narration,
            vec![
                text("Create it:"),
                Block::Code {
                    text: "kafka-topics --create --topic t \\\n  --config cleanup.policy=compact".into()
                },
                text("Then:"),
            ]
        );
        let end = &lesson.steps[1];
        assert!(end.lines.is_empty());
        assert_eq!(
            end.questions,
            vec![
                Question {
                    question: "What does a consumer from the beginning see?".into(),
                    answer: "Only update-4, at offset 4.".into()
                },
                Question {
                    question: String::new(),
                    answer: "stray".into()
                },
            ]
        );
        assert_eq!(end.narration.len(), 2);
        assert!(end.narration.iter().all(|b| matches!(
            b,
            Block::Note {
                note: NoteKind::YoullLearn,
                ..
            }
        )));
    }

    #[test]
    fn a_script_without_comments_is_one_step_per_command() {
        let lesson = Lesson::read("topic t\nproduce t a:1\n\n\nclean\r\nconsume t/0");
        assert_eq!(
            lesson.steps.iter().map(|s| s.lines.clone()).collect::<Vec<_>>(),
            vec![vec![1], vec![2], vec![5], vec![6]]
        );
        // One comment anywhere: steps by paragraph.
        let lesson = Lesson::read("topic t\nproduce t a:1\n\nclean\n#\n");
        assert_eq!(
            lesson.steps.iter().map(|s| s.lines.clone()).collect::<Vec<_>>(),
            vec![vec![1, 2], vec![4]]
        );
        assert_eq!(Lesson::read("").len(), 0);
        assert_eq!(Lesson::read("\n# only words\n").steps[0].lines, Vec::<usize>::new());
        assert_eq!(Lesson::read("").minutes(), 1);
    }

    #[test]
    fn every_builtin_is_a_lesson_with_narration_on_its_first_step() {
        for b in crate::scenario::builtin::all() {
            let lesson = Lesson::read(b.script);
            assert!(lesson.len() >= 2, "{}: {} steps", b.id, lesson.len());
            assert!(
                !lesson.steps[0].narration.is_empty(),
                "{} starts without narration",
                b.id
            );
            let commands: usize = lesson.steps.iter().map(|s| s.lines.len()).sum();
            assert_eq!(commands, crate::scenario::parse(b.script).unwrap().len(), "{}", b.id);
            assert!(
                (1..=15).contains(&lesson.minutes()),
                "{}: {} min",
                b.id,
                lesson.minutes()
            );
        }
    }
}
