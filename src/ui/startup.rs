//! What the page starts with: the script in a share link, else the session
//! this browser saved, else the default scenario; for the embed, its lesson.
//! Shared by the full page ([`super::app`]), the embed ([`super::embed`])
//! and the script editor's "Forget saved session", so none of them imports
//! another. Start-up state goes through the reducer too ([`Store::with`]).

use super::browser;
use super::describe::plural;
use super::state::{Action, Origin, StatusKind, Store};
use crate::scenario::{self, builtin};

/// What a newcomer sees when the address carries no script and no built-in
/// scenario is written yet: a compacted topic with tiny segments, a few
/// updates, and nothing cleaned yet.
pub const STARTER: &str = "# A compacted topic with tiny segments (segment.bytes=300), so a few records fill one.
# Try: Run cleaner (header), then produce more, advance the clock, roll, and clean again.
topic demo partitions=2 cleanup.policy=compact segment.bytes=300
produce demo alice:{\"city\":\"Oslo\"}
produce demo bob:{\"city\":\"Lima\"}
produce demo alice:{\"city\":\"Rome\"}
produce demo carol:{\"city\":\"Pune\"}
produce demo bob:{\"city\":\"Kyiv\"}
produce demo alice:{\"city\":\"Nice\"}
produce demo dave:{\"city\":\"Baku\"}
produce demo carol:{\"city\":\"Bern\"}
tombstone demo dave
produce demo alice:{\"city\":\"Riga\"}
";

/// The script the page starts with: the first built-in scenario if it is
/// written, else [`STARTER`]; with what it is, for a message.
pub fn default_script() -> (&'static str, String) {
    match builtin::all().first() {
        Some(b) if scenario::parse(b.script).is_ok_and(|s| !s.is_empty()) => {
            (b.script, format!("the built-in scenario \u{201c}{}\u{201d}", b.title))
        }
        _ => (STARTER, "a small compacted topic, demo".to_string()),
    }
}

/// Loads the default scenario, then says so: `say` gets what it is.
pub fn load_default(origin: Origin, say: impl FnOnce(&str) -> String) -> [Action; 2] {
    let (text, what) = default_script();
    [
        Action::LoadScript {
            text: text.to_string(),
            origin: origin.clone(),
        },
        Action::Notice {
            origin,
            kind: StatusKind::Info,
            text: say(&what),
        },
    ]
}

/// What a share link in the address asks for: run its script, or say why
/// it could not be read. `None` without a link.
pub fn from_link() -> Option<Action> {
    Some(match browser::script_from_hash()? {
        Ok(text) => Action::LoadScript {
            text,
            origin: Origin::Url,
        },
        Err(text) => Action::Notice {
            origin: Origin::Url,
            kind: StatusKind::Error,
            text,
        },
    })
}

/// The full page's first state: the script in the address (`#script=` or
/// `#z=v1.`), else the session saved by the last visit, else the default.
/// A link wins over the saved session.
pub fn full_page() -> Store {
    let store = Store::default();
    if let Some(action) = from_link() {
        return store.with(action);
    }
    match browser::saved_script().filter(|s| !s.trim().is_empty()) {
        Some(text) => {
            let store = store.with(Action::LoadScript {
                text,
                origin: Origin::Header,
            });
            let lines = store.state().session.entries.len();
            store.with(Action::Notice {
                origin: Origin::Header,
                kind: StatusKind::Info,
                text: format!("Restored your session from this browser ({lines} line{}). \u{201c}Forget saved session\u{201d} under the session script starts afresh.", plural(lines)),
            })
        }
        None => load_default(Origin::Header, |what| {
            format!("Welcome: the page loaded {what}. Every action you take becomes a line of the session script; Undo replays all but the last.")
        })
        .into_iter()
        .fold(store, Store::with),
    }
}

/// The embed's first state: its lesson from the fragment (or the default
/// scenario), run whole or, with `step`, ready to step through.
pub fn embed(read_only: bool, step: bool) -> Store {
    let store = Store::default().with(Action::SetReadOnly(read_only));
    let text = match browser::script_from_hash() {
        Some(Ok(text)) => text,
        Some(Err(text)) => {
            return store.with(Action::Notice {
                origin: Origin::Url,
                kind: StatusKind::Error,
                text,
            })
        }
        None => default_script().0.to_string(),
    };
    store.with(Action::LoadLesson { text, step })
}
