//! The copy of the session this browser keeps (localStorage), and the rules
//! that keep a person's work from being lost without their say:
//!
//! - one size limit, [`MAX_SCRIPT_BYTES`] (what a link carries), for save,
//!   restore and Share: a bigger session is not saved, and the page says so;
//! - a saved session this tab did not write or load (another tab's, or the
//!   one a link is replacing) is never overwritten silently: it moves to the
//!   *previous session* slot, which the page offers to restore (restoring
//!   swaps the two) — except a session that is exactly what a link loaded
//!   and nobody changed, which the link can bring back;
//! - a load that has not finished is marked ([`LOADING_KEY`]), so a tab that
//!   died loading starts the next visit in a safe mode that offers the
//!   session instead of replaying it.
//!
//! Imported files are not saved (see `session::files`): a saved session
//! keeps its `import` lines, which are refused on restore with a message
//! saying to pick the files again (the Kafka's files panel offers it), so
//! nothing is lost silently and no file ever meets the storage quota.
//!
//! Pure logic over a [`KeyValue`] store, so it is tested natively; the page
//! passes the browser's localStorage (`browser::LocalStorage`).

use std::cell::RefCell;

use crate::scenario::share::MAX_SCRIPT_BYTES;

thread_local! {
    /// What this tab last wrote to, or loaded from, the saved slot.
    static KNOWN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` on what this tab last wrote or loaded (see [`save`]).
pub fn with_known<R>(f: impl FnOnce(&mut Option<String>) -> R) -> R {
    KNOWN.with(|k| f(&mut k.borrow_mut()))
}

/// The saved session.
pub const SAVED_KEY: &str = "kcp.session.v1";
/// The session a link or another tab displaced, restorable.
pub const PREVIOUS_KEY: &str = "kcp.session.previous.v1";
/// The saved session as a link loaded it, while nobody has changed it.
pub const LINKED_KEY: &str = "kcp.session.linked.v1";
/// Set while a long load runs; still there at start-up means the last
/// visit died loading.
pub const LOADING_KEY: &str = "kcp.session.loading.v1";

/// A string store (localStorage, or a map in tests).
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// False when the store refused (full, disabled).
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str) -> bool;
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written (or already there, or cleared for the default scenario).
    Done,
    /// Written, and a session this tab had not written moved to the
    /// previous slot first (its line count).
    Displaced(usize),
    /// Not written: over [`MAX_SCRIPT_BYTES`].
    TooBig(usize),
    /// Not written: the browser refused (storage full or disabled).
    Failed,
}

/// Lines of a script that are commands (not blank, not comments).
pub fn command_lines(script: &str) -> usize {
    script
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .count()
}

/// Saves `script` (`None`: the default scenario, kept as nothing saved).
/// `known` is what this tab last wrote or loaded; `linked` is the script a
/// link in the address loaded, when `script` is still exactly that.
pub fn save(kv: &dyn KeyValue, known: &mut Option<String>, script: Option<&str>, linked: bool) -> Saved {
    if let Some(s) = script {
        if s.len() > MAX_SCRIPT_BYTES {
            return Saved::TooBig(s.len());
        }
    }
    let current = kv.get(SAVED_KEY).filter(|c| !c.trim().is_empty());
    if current.as_deref() == script.or(Some("")).filter(|s| !s.is_empty()) {
        *known = current;
        return Saved::Done;
    }
    let mut outcome = Saved::Done;
    if let Some(cur) = &current {
        let ours = known.as_deref() == Some(cur.as_str());
        let pristine_link = kv.get(LINKED_KEY).as_deref() == Some(cur.as_str());
        if !ours && !pristine_link {
            if !kv.set(PREVIOUS_KEY, cur) {
                return Saved::Failed;
            }
            outcome = Saved::Displaced(command_lines(cur));
        }
    }
    let written = match script {
        Some(s) => kv.set(SAVED_KEY, s),
        None => kv.remove(SAVED_KEY),
    };
    if !written {
        return Saved::Failed;
    }
    match script {
        Some(s) if linked => kv.set(LINKED_KEY, s),
        _ => kv.remove(LINKED_KEY),
    };
    *known = script.map(str::to_string);
    outcome
}

/// The saved session to restore at start-up: `Ok(None)` when none.
///
/// # Errors
///
/// The size when it is over [`MAX_SCRIPT_BYTES`] (left in storage).
pub fn restore(kv: &dyn KeyValue) -> Result<Option<String>, usize> {
    match kv.get(SAVED_KEY).filter(|s| !s.trim().is_empty()) {
        Some(s) if s.len() > MAX_SCRIPT_BYTES => Err(s.len()),
        other => Ok(other),
    }
}

/// The previous session, if one is kept (its line count).
pub fn previous_lines(kv: &dyn KeyValue) -> Option<usize> {
    kv.get(PREVIOUS_KEY)
        .filter(|s| !s.trim().is_empty())
        .map(|s| command_lines(&s))
}

/// Takes the previous session to load it, keeping the saved one in its
/// place (the two swap, so restoring loses nothing either). `known`
/// becomes the restored script, which the page is about to save.
pub fn take_previous(kv: &dyn KeyValue, known: &mut Option<String>) -> Option<String> {
    let previous = kv.get(PREVIOUS_KEY).filter(|s| !s.trim().is_empty())?;
    match kv.get(SAVED_KEY).filter(|s| !s.trim().is_empty()) {
        Some(cur) => kv.set(PREVIOUS_KEY, &cur),
        None => kv.remove(PREVIOUS_KEY),
    };
    if kv.set(SAVED_KEY, &previous) {
        *known = Some(previous.clone());
    }
    Some(previous)
}

/// Keeps this tab's session over another tab's: theirs moves to the
/// previous slot.
pub fn keep_mine(kv: &dyn KeyValue, known: &mut Option<String>, mine: &str) -> Saved {
    // What is saved now is not ours: saving displaces it.
    *known = None;
    kv.remove(LINKED_KEY);
    save(kv, known, Some(mine), false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct Map(RefCell<BTreeMap<String, String>>, bool);

    impl KeyValue for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            if self.1 {
                return false;
            }
            self.0.borrow_mut().insert(key.into(), value.into());
            true
        }
        fn remove(&self, key: &str) -> bool {
            self.0.borrow_mut().remove(key);
            true
        }
    }

    #[test]
    fn a_link_keeps_the_work_it_replaces_restorable() {
        let kv = Map::default();
        let mut tab = None;
        assert_eq!(save(&kv, &mut tab, Some("topic mine\n"), false), Saved::Done);
        // A new visit with a link: this tab never wrote the saved session.
        let mut visit = None;
        assert_eq!(save(&kv, &mut visit, Some("topic link1\n"), true), Saved::Displaced(1));
        assert_eq!(kv.get(PREVIOUS_KEY).as_deref(), Some("topic mine\n"));
        // A second link replaces the first (unchanged, the link brings it
        // back) without pushing the person's work out.
        let mut again = None;
        assert_eq!(save(&kv, &mut again, Some("topic link2\n"), true), Saved::Done);
        assert_eq!(kv.get(PREVIOUS_KEY).as_deref(), Some("topic mine\n"));
        // Restoring swaps the two.
        assert_eq!(take_previous(&kv, &mut again).as_deref(), Some("topic mine\n"));
        assert_eq!(kv.get(PREVIOUS_KEY).as_deref(), Some("topic link2\n"));
        assert_eq!(save(&kv, &mut again, Some("topic mine\n"), false), Saved::Done);
        assert_eq!(restore(&kv), Ok(Some("topic mine\n".to_string())));
    }

    #[test]
    fn another_tabs_session_is_not_overwritten_silently() {
        let kv = Map::default();
        let (mut a, mut b) = (None, None);
        save(&kv, &mut a, Some("topic a\n"), false);
        b = restore(&kv).ok().flatten().or(b);
        save(&kv, &mut b, Some("topic a\ntopic b\n"), false);
        // Tab a saves again: tab b's session is kept as the previous one.
        assert_eq!(
            save(&kv, &mut a, Some("topic a\nproduce a k:v\n"), false),
            Saved::Displaced(2)
        );
        assert_eq!(keep_mine(&kv, &mut b, "topic a\ntopic b\n"), Saved::Displaced(2));
        assert_eq!(kv.get(PREVIOUS_KEY).as_deref(), Some("topic a\nproduce a k:v\n"));
    }

    #[test]
    fn one_size_limit_and_failures_are_reported() {
        let kv = Map::default();
        let mut tab = None;
        let big = "#".repeat(MAX_SCRIPT_BYTES + 1);
        assert_eq!(
            save(&kv, &mut tab, Some(&big), false),
            Saved::TooBig(MAX_SCRIPT_BYTES + 1)
        );
        assert_eq!(restore(&kv), Ok(None));
        kv.0.borrow_mut().insert(SAVED_KEY.into(), big.clone());
        assert_eq!(restore(&kv), Err(big.len()));
        assert_eq!(kv.get(SAVED_KEY), Some(big), "left in storage");
        let full = Map(RefCell::default(), true);
        assert_eq!(save(&full, &mut None, Some("topic t\n"), false), Saved::Failed);
        // The default scenario is saved as nothing.
        let kv = Map::default();
        let mut tab = None;
        save(&kv, &mut tab, Some("topic t\n"), false);
        assert_eq!(save(&kv, &mut tab, None, false), Saved::Done);
        assert_eq!(kv.get(SAVED_KEY), None);
    }
}
