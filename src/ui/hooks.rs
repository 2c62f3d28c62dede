//! The components' small hooks and callback helpers: the store from
//! context, and callbacks that dispatch an action or copy a form field
//! into a component's state. Yew writes these as a clone, then a
//! `Callback::from(move ...)`; here each shape is written once.

use std::cell::Cell;

use yew::prelude::*;

use super::browser;
use super::state::{Action, Clock, Origin, StatusKind, Store, SLICE_MS};
use crate::scenario::builtin::Builtin;
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

/// A callback that loads built-in `b` with `action` (a `LoadScript` or
/// `LoadLesson` of its script): at once, or, when its `import` lines need
/// their sample files, once the files module has made them (saying so
/// under `origin` meanwhile, and why if it cannot).
pub fn load_builtin_on<E: 'static>(
    app: &AppHandle,
    b: &'static Builtin,
    action: Action,
    origin: Origin,
) -> Callback<E> {
    if b.imports.is_empty() {
        return dispatch_on(app, action);
    }
    let d = app.dispatcher();
    Callback::from(move |_: E| {
        let (d, action, origin) = (d.clone(), action.clone(), origin.clone());
        if !crate::ui::files_module::is_loaded() {
            d.dispatch(Action::Notice {
                origin: origin.clone(),
                kind: StatusKind::Info,
                text: "Loading Kafka's files support for the lesson's sample partition (about 375 KB, once)…".into(),
            });
        }
        crate::ui::files_module::provide_builtin_files(b, move |r| match r {
            Ok(()) => d.dispatch(action),
            Err(text) => d.dispatch(Action::Notice {
                origin,
                kind: StatusKind::Error,
                text,
            }),
        });
    })
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

/// A slice and the render after it together aim at this long (ms): one
/// task of the page, well under the 50 ms the browser calls a long task,
/// with room for a piece that overshoots (a cleaning runs whole).
pub const TASK_MS: f64 = 28.0;
/// A slice runs at least this long (ms), however slow the render.
pub const MIN_SLICE_MS: f64 = 8.0;

thread_local! {
    /// When the last slice's reducer finished (0: no render to time).
    static RENDER_FROM: Cell<f64> = const { Cell::new(0.0) };
    /// How long the render after the last slice took (ms).
    static LAST_RENDER: Cell<f64> = const { Cell::new(0.0) };
}

/// The clock a slice runs on now: its budget is what [`TASK_MS`] leaves
/// after the render that followed the last slice.
fn slice_clock() -> Clock {
    let render = LAST_RENDER.with(Cell::get);
    Clock(browser::now_ms, (TASK_MS - render).clamp(MIN_SLICE_MS, SLICE_MS))
}

/// Runs a slice (`action`, with [`slice_clock`]), noting when it ended so
/// that the render it causes is timed (`?timing` records both).
fn run_slice(dispatch: impl FnOnce(Clock)) {
    let t0 = browser::now_ms();
    dispatch(slice_clock());
    let t1 = browser::now_ms();
    browser::timing("slice", t1 - t0);
    RENDER_FROM.with(|r| r.set(t1));
}

/// Times the render after a slice (call from the page's top component:
/// its effects run once every component has rendered).
#[hook]
pub fn use_render_timer() {
    use_effect(|| {
        let from = RENDER_FROM.with(|r| r.replace(0.0));
        if from > 0.0 {
            let took = browser::now_ms() - from;
            LAST_RENDER.with(|r| r.set(took));
            browser::timing("render", took);
        }
    });
}

/// Drives the store's job, if any: one slice after each paint (so its
/// progress shows and clicks get through), until it is done.
#[hook]
pub fn use_job_driver(store: &AppHandle) {
    use_render_timer();
    let store = store.clone();
    let scheduled = use_mut_ref(|| false);
    use_effect_with(store.version, move |_| {
        let busy = store.state().job.is_some();
        if busy && !*scheduled.borrow() {
            *scheduled.borrow_mut() = true;
            let d = store.dispatcher();
            browser::after_paint(move || {
                *scheduled.borrow_mut() = false;
                run_slice(|clock| d.dispatch(Action::Continue { now: Some(clock) }));
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
                let d = d.clone();
                run_slice(move |clock| d.dispatch(Action::PlayTick { now: Some(clock) }))
            })
        });
        move || drop(interval)
    });
}
