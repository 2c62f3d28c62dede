//! What the page starts with: the script in a share link, else the session
//! this browser saved, else the default scenario; for the embed, its lesson.
//! Shared by the full page ([`super::app`]), the embed ([`super::embed`])
//! and the script editor's "Forget saved session", so none of them imports
//! another. Start-up state goes through the reducer too ([`Store::with`]).

use super::browser;
use super::describe::plural;
use super::saved::{self, KeyValue};
use super::state::{Action, Origin, SavedNote, StatusKind, Store};
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

/// The full page's first state. A link in the address (`#script=` or
/// `#z=v1.`) wins over the session saved by the last visit, which stays
/// restorable (see [`saved`]); a link that cannot be read or parsed leaves
/// the saved session loaded, its text (if any) a draft in the editor with
/// its error. A visit that died while loading starts in safe mode: nothing
/// is replayed, the session is offered instead.
pub fn full_page() -> Store {
    let store = Store::default();
    let kv = browser::LocalStorage;
    let link = browser::script_from_hash();
    if kv.get(saved::LOADING_KEY).is_some() {
        kv.remove(saved::LOADING_KEY);
        let script = match link {
            Some(Ok(text)) => text,
            _ => saved::restore(&kv).ok().flatten().unwrap_or_default(),
        };
        return store
            .with(Action::HoldSaving)
            .with(Action::Draft(script.clone()))
            .with(Action::SavedNote(Some(SavedNote::SafeMode { script })))
            .with(Action::Notice {
                origin: Origin::Saved,
                kind: StatusKind::Info,
                text: SAFE_MODE.to_string(),
            });
    }
    if let Some(Ok(text)) = &link {
        if scenario::parse(text).is_ok() {
            return store.with(Action::LoadScript {
                text: text.clone(),
                origin: Origin::Url,
            });
        }
    }
    let store = restore_saved(store, &kv);
    match link {
        Some(Ok(text)) => store.with(Action::LoadScript {
            text,
            origin: Origin::Url,
        }),
        Some(Err(text)) => store.with(Action::Notice {
            origin: Origin::Url,
            kind: StatusKind::Error,
            text,
        }),
        None => store,
    }
}

/// Says why nothing was replayed.
pub const SAFE_MODE: &str = "The last visit stopped before it finished loading a session, so this time nothing was replayed. The session is in the script editor: load it, edit it, or forget it.";

/// The session this browser saved, else the default scenario.
fn restore_saved(store: Store, kv: &browser::LocalStorage) -> Store {
    match saved::restore(kv) {
        Ok(Some(text)) => {
            saved::with_known(|k| *k = Some(text.clone()));
            let store = store.with(Action::LoadScript {
                text,
                origin: Origin::Saved,
            });
            let failed = store.state().rejected_script.is_some();
            if failed {
                // Kept as a draft with its error; not overwritten until
                // the person changes the session.
                let error = store.state().status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
                return store.with(Action::HoldSaving).with(Action::Notice {
                    origin: Origin::Script,
                    kind: StatusKind::Error,
                    text: format!("Your saved session could not be read, so nothing of it ran; it is in the editor as a draft: {error}"),
                });
            }
            if store.state().job.is_some() {
                return store;
            }
            let lines = store.state().session.entries.len();
            store.with(Action::Notice {
                origin: Origin::Header,
                kind: StatusKind::Info,
                text: format!("Restored your session from this browser ({lines} line{}). \u{201c}Forget saved session\u{201d} under the session script starts afresh.", plural(lines)),
            })
        }
        // A first visit: an empty session, and the page offers its lessons
        // ("Start here") rather than a scenario already run to its end.
        Ok(None) => store,
        Err(size) => load_default(Origin::Header, |what| {
            format!(
                "Your saved session ({size} bytes) is over the {} KiB a saved session or a link may hold, so it was not loaded (it is still stored; the page loaded {what} and will not save over it until you change something).",
                crate::scenario::share::MAX_SCRIPT_BYTES >> 10
            )
        })
        .into_iter()
        .fold(store.with(Action::HoldSaving), Store::with),
    }
}

/// A hidden trigger for the end-to-end test of the panic banner: with
/// `?kcp-test-panic` in the address the page panics once it is on screen.
/// Only the address can ask for it (no control, message or script does),
/// and all it can do is show the banner that offers to reload the session,
/// so a link carrying it is harmless; the test needs a real panic after
/// Yew has mounted, which is when Yew used to replace the hook.
pub fn test_panic_trigger() {
    if browser::query_param("kcp-test-panic").is_some() {
        browser::after_paint(|| panic!("kcp-test-panic: a deliberate panic to test the banner"));
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
