//! The scenario language: the playground's text form.
//!
//! Tutorial authors write it in their pages, URLs carry it, the page shows
//! the session as a script, and the CLI runs it. One command per line; the
//! grammar and the JSON of [`RunOutput`] are a contract (`scenario-format.md`)
//! that tests outside the project rely on: extend it, never change it.
//!
//! Parsing is all-or-nothing (a syntax error names its line and nothing
//! runs); running is step by step (a rejected command is recorded with
//! Kafka's error and changes nothing, and the next line runs). The scenario
//! only reads, writes and dispatches commands: what a command does to the
//! broker is the [`LogManager`](crate::log_manager::LogManager)'s.
//!
//! # Layout
//!
//! | module | holds |
//! | --- | --- |
//! | [`script`] | a script's lines and comments, [`Step`], [`parse`], [`SyntaxError`] |
//! | [`lexer`] | the words of a line: options, `<topic>/<p>`, durations |
//! | [`command`] | [`Command`], dispatch by first word; one file per command (family) under `command/` |
//! | [`runner`] | [`run`], [`run_step`], [`StepResult`] and its typed [`Outcome`] |
//! | [`share`] | share links: `#script=` and the compressed `#z=v1.` fragment |
//! | [`builtin`] | the built-in scenarios |
//!
//! # Adding a command
//!
//! 1. Its own file under `command/` (or its family's): the struct, its
//!    `WORD`, `parse`, `Display` (a line that parses back to the same
//!    command), any validation (called by `parse` and again by `execute`,
//!    for commands the page or the JS API build), `execute` on the
//!    [`LogManager`](crate::log_manager::LogManager), and its outcome
//!    struct (its JSON fields, in order).
//! 2. `command.rs`: its variant, its word in `WORDS` and in the dispatch.
//! 3. `runner.rs`: its [`Outcome`] variant and its arm in `execute`.
//! 4. Where it has a control, the page (`src/ui`), and `scenario-format.md`.

pub mod builtin;
pub mod command;
pub mod lesson;
pub mod lexer;
pub mod runner;
pub mod script;
pub mod share;

pub use command::{Command, MAX_VALUE_BYTES};
pub use lexer::parse_duration;
pub use runner::{output, run, run_on, run_step, run_with_budget, Outcome, OutputView, RunOutput, StepResult};
pub use script::{lines, normalize_script, parse, parse_with_comments, parse_within, Commented, Step, SyntaxError};
