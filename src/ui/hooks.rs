//! The components' small hooks and callback helpers: the store from
//! context, and callbacks that dispatch an action or copy a form field
//! into a component's state. Yew writes these as a clone, then a
//! `Callback::from(move ...)`; here each shape is written once.

use yew::prelude::*;

use super::browser;
use super::state::{Action, Clock, Origin, Store};
use crate::scenario::Command;

/// The store handle every component reads and dispatches to.
pub type AppHandle = UseReducerHandle<Store>;

/// The store's dispatcher: stable across renders, for components that take
/// what they show as props instead of reading the context (they then redraw
/// only when those props change).
pub type Dispatch = yew::functional::UseReducerDispatcher<Store>;

/// The store from context. The app always provides it; a component used
/// outside the app renders nothing.
#[hook]
pub fn use_app() -> Option<AppHandle> {
    use_context::<AppHandle>()
}

/// A callback that dispatches `action`, whatever the event.
pub fn dispatch_on<E: 'static>(app: &AppHandle, action: Action) -> Callback<E> {
    let d = app.dispatcher();
    Callback::from(move |_: E| d.dispatch(action.clone()))
}

/// A callback that runs `command` as a scenario line, whatever the event.
pub fn exec_on<E: 'static>(app: &AppHandle, command: Command, origin: Origin) -> Callback<E> {
    dispatch_on(app, Action::Exec { command, origin })
}

/// A callback that keeps an `<input>`'s (or `<textarea>`'s) text in `h`.
pub fn set_from_input(h: &UseStateHandle<String>) -> Callback<InputEvent> {
    let h = h.clone();
    Callback::from(move |e: InputEvent| h.set(browser::input_value(&e)))
}

/// A callback that keeps a `<select>`'s value in `h`.
pub fn set_from_select(h: &UseStateHandle<String>) -> Callback<Event> {
    let h = h.clone();
    Callback::from(move |e: Event| h.set(browser::select_value(&e)))
}

/// A callback that sets `h` to `value`, whatever the event.
pub fn set_to<T: Clone + 'static, E: 'static>(h: &UseStateHandle<T>, value: T) -> Callback<E> {
    let h = h.clone();
    Callback::from(move |_: E| h.set(value.clone()))
}

/// Drives the store's job, if any: one slice after each paint (so its
/// progress shows and clicks get through), until it is done.
#[hook]
pub fn use_job_driver(store: &AppHandle) {
    let store = store.clone();
    let scheduled = use_mut_ref(|| false);
    use_effect_with(store.version, move |_| {
        let busy = store.state().job.is_some();
        if busy && !*scheduled.borrow() {
            *scheduled.borrow_mut() = true;
            let d = store.dispatcher();
            browser::after_paint(move || {
                *scheduled.borrow_mut() = false;
                d.dispatch(Action::Continue {
                    now: Some(Clock(browser::now_ms)),
                });
            });
        }
    });
}

/// Drives Play: while the broker plays, one tick every [`Speed::tick_ms`]
/// (each runs at most a slice of the page's time).
///
/// [`Speed::tick_ms`]: super::state::Speed::tick_ms
#[hook]
pub fn use_play_driver(store: &AppHandle) {
    let speed = store.state().play.as_ref().map(|p| p.speed);
    let d = store.dispatcher();
    use_effect_with(speed, move |speed| {
        let interval = speed.map(|sp| {
            gloo_timers::callback::Interval::new(sp.tick_ms(), move || {
                d.dispatch(Action::PlayTick {
                    now: Some(Clock(browser::now_ms)),
                })
            })
        });
        move || drop(interval)
    });
}
