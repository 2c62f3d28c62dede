//! The few things the page asks of the browser: share links in the URL
//! fragment, query options, the saved session (localStorage), files in and
//! out, the clipboard, messages to and from a host page, keyboard shortcuts,
//! form fields and the panic banner.
//!
//! The only module of the page that calls `web_sys`, `js_sys` or
//! `wasm_bindgen`: the rest of the page (and its native tests) sees plain
//! Rust values. Everything here fails soft: a missing window, a refused
//! clipboard or a malformed URL gives `None` or `false`, never a panic.
//!
//! It is longer than the project's other modules on purpose: keeping every
//! browser call in one file is the boundary that lets the rest of the page
//! be tested natively, and each function here is a small, separate wrapper.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, Event, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, InputEvent};
use yew::html::TargetCast;
use yew::NodeRef;

thread_local! {
    /// The session as a script, kept for the panic banner's reload link.
    static LAST_SCRIPT: RefCell<String> = const { RefCell::new(String::new()) };
    /// The origin of the first message accepted from the parent window,
    /// when [`parent_origin`] could not tell it: the browser sets a
    /// message's origin, so this is the parent's true origin.
    static PARENT_SEEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The script in `location.hash`, in either share-link form
/// (`#script=<percent-encoded>` or `#z=v1.<base64url(deflate)>`, read by
/// [`crate::scenario::share::decode`], which bounds sizes before any work): `None`
/// without one, `Some(Err(message))` when the link is malformed or too big.
/// The text is only ever parsed as a scenario and shown as text.
pub fn script_from_hash() -> Option<Result<String, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    match crate::scenario::share::decode(&hash) {
        Ok(Some(text)) => Some(Ok(text)),
        Ok(None) => None,
        Err(e) => Some(Err(format!(
            "The link's scenario could not be read, so nothing from it was run: {e}."
        ))),
    }
}

/// The page's address with `script` in the fragment: `#script=` when short,
/// `#z=v1.` when long ([`crate::scenario::share::encode`]).
pub fn share_url(script: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let href = location.href().ok()?;
    let base = href.split('#').next().unwrap_or(&href).to_string();
    Some(format!("{base}#{}", crate::scenario::share::encode(script)))
}

/// The folder of the page's address, ending in `/` (where `embed.html` and
/// `embed.js` live beside `index.html`).
pub fn site_base() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let page = href.split(['#', '?']).next().unwrap_or(&href);
    Some(page[..page.rfind('/').map_or(page.len(), |i| i + 1)].to_string())
}

/// A query-string parameter of the page's address (`?panels=log&readonly`):
/// `Some("")` for a bare flag, `None` when absent.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    for pair in search.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if crate::scenario::share::percent_decode(k).ok().as_deref() == Some(name) {
            return Some(crate::scenario::share::percent_decode(v).unwrap_or_default());
        }
    }
    None
}

fn local_storage() -> Option<web_sys::Storage> {
    // `local_storage()` throws when storage is disabled (some privacy modes).
    web_sys::window()?.local_storage().ok().flatten()
}

/// This browser's localStorage as the saved session's store
/// ([`super::saved`]); every call fails soft when storage is disabled.
pub struct LocalStorage;

impl super::saved::KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        local_storage()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }

    fn remove(&self, key: &str) -> bool {
        local_storage().is_some_and(|s| s.remove_item(key).is_ok())
    }
}

/// Calls `f` with the new value whenever another tab of this site changes
/// the localStorage item `key` (`storage` events fire only in the other
/// tabs); `None` when it was removed.
pub fn on_storage_change(key: &'static str, mut f: impl FnMut(Option<String>) + 'static) -> Option<EventListener> {
    EventListener::new("storage", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        if e.key().as_deref() == Some(key) {
            f(e.new_value());
        }
    })
}

/// Milliseconds from a fixed point (`performance.now()`), for slicing long
/// work; 0 without a window.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

thread_local! {
    /// `?timing`: the page records how long its pieces take (see [`timing`]).
    static TIMING: bool = query_param("timing").is_some();
}

/// With `?timing` in the address, appends `[what, ms]` to
/// `window.kcpTimings` (a debugging aid: how long a slice of work or a
/// render takes, read by a test or the console).
pub fn timing(what: &str, ms: f64) {
    if !TIMING.with(|t| *t) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let key = JsValue::from_str("kcpTimings");
    let list = match js_sys::Reflect::get(&w, &key) {
        Ok(v) if v.is_object() => v,
        _ => {
            let a: JsValue = js_sys::Array::new().into();
            let _ = js_sys::Reflect::set(&w, &key, &a);
            a
        }
    };
    let list: js_sys::Array = list.unchecked_into();
    list.push(&js_sys::Array::of2(&JsValue::from_str(what), &JsValue::from_f64(ms)));
}

/// Runs `f` once the browser has painted what is on screen: after the next
/// animation frame, in a task of its own (so a busy sign shows before the
/// work it announces). Hidden tabs get no animation frames: a timer runs
/// `f` anyway after 100 ms. Whichever comes first runs it, once.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let once = std::rc::Rc::new(RefCell::new(Some(f)));
    let run = {
        let once = once.clone();
        move || {
            if let Some(f) = once.borrow_mut().take() {
                f();
            }
        }
    };
    let fallback = run.clone();
    gloo_timers::callback::Timeout::new(100, fallback).forget();
    let frame = Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, run).forget();
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(frame.unchecked_ref());
    }
}

/// Runs `f` in a task of its own, after the browser has handled what
/// is waiting (clicks, paints).
pub fn next_task(f: impl FnOnce() + 'static) {
    gloo_timers::callback::Timeout::new(0, f).forget();
}

/// Offers `text` as a download named `name` (see [`download_bytes`]).
pub fn download_text(name: &str, text: &str) -> bool {
    download_bytes(name, text.as_bytes(), "text/plain;charset=utf-8")
}

/// Offers `bytes` as a download named `name`, of media type `mime` (a Blob
/// and a temporary link).
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let done = (|| {
        let a = doc
            .create_element("a")
            .ok()?
            .dyn_into::<web_sys::HtmlAnchorElement>()
            .ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.set_hidden(true);
        doc.body()?.append_child(&a).ok()?;
        a.click();
        a.remove();
        Some(())
    })()
    .is_some();
    // Revoke once the browser has started the download.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 1000);
    }
    done
}

/// A file's name and bytes.
pub type NamedBytes = (String, Vec<u8>);

/// Files read as bytes, or why they could not be.
pub type ReadFiles = Result<Vec<NamedBytes>, String>;

type Slots = Rc<RefCell<Vec<Option<NamedBytes>>>>;
type Done = Rc<RefCell<Option<Box<dyn FnOnce(ReadFiles)>>>>;

/// Reads every file of `list` as bytes and calls `done` once with them all
/// (in the list's order), or with the first failure: more than `max_bytes`
/// in all (said before anything is read), or a file the browser cannot
/// read. Nothing happens for an empty list.
fn read_file_list(list: web_sys::FileList, max_bytes: u64, done: impl FnOnce(ReadFiles) + 'static) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    let total: f64 = files.iter().map(|f| f.size()).sum();
    if total > max_bytes as f64 {
        return done(Err(format!(
            "The files are {} bytes in all; the page takes at most {max_bytes} bytes of files.",
            total as u64
        )));
    }
    let n = files.len();
    let results: Slots = Rc::new(RefCell::new(vec![None; n]));
    let done: Done = Rc::new(RefCell::new(Some(Box::new(done))));
    let fail = {
        let done = done.clone();
        move |why: String| {
            if let Some(f) = done.borrow_mut().take() {
                f(Err(why));
            }
        }
    };
    for (i, file) in files.into_iter().enumerate() {
        let Ok(reader) = web_sys::FileReader::new() else {
            return fail("This browser cannot read files.".to_string());
        };
        let finish = {
            let (reader, results, done, name, fail) =
                (reader.clone(), results.clone(), done.clone(), file.name(), fail.clone());
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                let Some(buf) = reader
                    .result()
                    .ok()
                    .filter(|v| v.is_instance_of::<js_sys::ArrayBuffer>())
                else {
                    return fail(format!("{name} could not be read."));
                };
                let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                let all = {
                    let mut r = results.borrow_mut();
                    r[i] = Some((name.clone(), bytes));
                    r.iter()
                        .all(Option::is_some)
                        .then(|| r.drain(..).flatten().collect::<Vec<_>>())
                };
                if let Some(all) = all {
                    if let Some(f) = done.borrow_mut().take() {
                        f(Ok(all));
                    }
                }
            })
        };
        reader.set_onloadend(Some(finish.as_ref().unchecked_ref()));
        finish.forget();
        if reader.read_as_array_buffer(&file).is_err() {
            return fail(format!("{} could not be read.", file.name()));
        }
    }
}

/// Reads the files chosen in the `<input type="file" multiple>` that fired
/// `e` as bytes (see `read_file_list`).
pub fn read_chosen_files(e: &Event, max_bytes: u64, done: impl FnOnce(ReadFiles) + 'static) {
    let input = e.target_unchecked_into::<HtmlInputElement>();
    if let Some(list) = input.files() {
        read_file_list(list, max_bytes, done);
    }
}

/// Reads the files dropped by `e` as bytes (see `read_file_list`).
pub fn read_dropped_files(e: &DragEvent, max_bytes: u64, done: impl FnOnce(ReadFiles) + 'static) {
    e.prevent_default();
    if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
        read_file_list(list, max_bytes, done);
    }
}

/// Lets files be dropped where `e` (a `dragover`) happens, showing a copy.
pub fn allow_drop(e: &DragEvent) {
    e.prevent_default();
    if let Some(d) = e.data_transfer() {
        d.set_drop_effect("copy");
    }
}

/// Whether the `<details>` that fired `e` (a `toggle`) is open now.
pub fn details_open(e: &Event) -> bool {
    e.target_dyn_into::<web_sys::HtmlDetailsElement>()
        .is_some_and(|d| d.open())
}

/// Reads a chosen file as text and calls `done` with it, or with a message
/// when it is too big or unreadable. Nothing is run here.
fn read_text_file(file: web_sys::File, max_bytes: usize, done: impl FnOnce(Result<String, String>) + 'static) {
    let size = file.size();
    if size > max_bytes as f64 {
        return done(Err(format!(
            "{} is {} bytes; a scenario file may hold at most {max_bytes} bytes.",
            file.name(),
            size as u64
        )));
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        return done(Err("This browser cannot read files.".to_string()));
    };
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = {
        let (reader, done, name) = (reader.clone(), done.clone(), file.name());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let result = match reader.result().ok().and_then(|v| v.as_string()) {
                Some(text) => Ok(text),
                None => Err(format!("{name} could not be read as text.")),
            };
            if let Some(f) = done.borrow_mut().take() {
                f(result);
            }
        })
    };
    reader.set_onloadend(Some(finish.as_ref().unchecked_ref()));
    finish.forget();
    if reader.read_as_text(&file).is_err() {
        if let Some(f) = done.borrow_mut().take() {
            f(Err("The file could not be read.".to_string()));
        }
    }
}

/// Whether the page runs inside a frame (its parent is another window).
pub fn in_frame() -> bool {
    let Some(w) = web_sys::window() else { return false };
    match w.parent() {
        Ok(Some(p)) => !js_sys::Object::is(&p, &w),
        _ => false,
    }
}

/// Who may read a post to the parent window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    /// `kcp:ready` and `kcp:resize`: counts and a height, nothing of the
    /// session. They go to the parent's origin, or to `"*"` when that is
    /// unknown or opaque (a `file://` or sandboxed host page), so such a
    /// host can still size its frame.
    Anyone,
    /// `kcp:state`: where the lesson stands and how a request went. Only
    /// ever to the parent's origin; when that is unknown, to `reply_to` (the
    /// origin of the parent's message being answered); otherwise not sent.
    Parent { reply_to: Option<&'a str> },
}

/// Posts a plain object with these fields, in this order, to the parent
/// window, addressed to the parent's origin ([`parent_origin`], or the
/// origin of its first message) so that a page that framed this one under
/// another origin's name, or took over the parent's place, reads nothing.
/// `"*"` only for what [`Audience::Anyone`] may read; nothing is sent when
/// no address fits.
pub fn post_to_parent(fields: &[(&str, serde_json::Value)], audience: Audience) {
    if !in_frame() {
        return;
    }
    let known = parent_origin().or_else(|| PARENT_SEEN.with(|s| s.borrow().clone()));
    let Some(target) = target_origin(known.as_deref(), audience) else {
        return;
    };
    if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
        let _ = parent.post_message(&object(fields), &target);
    }
}

/// The `targetOrigin` for a post: the parent's origin when `known`, else
/// what `audience` allows (see [`Audience`]); `None` to send nothing.
/// `"null"` is never returned: `postMessage` throws on it.
fn target_origin(known: Option<&str>, audience: Audience) -> Option<String> {
    if let Some(o) = known.and_then(usable_origin) {
        return Some(o.to_string());
    }
    match audience {
        Audience::Anyone => Some("*".to_string()),
        Audience::Parent { reply_to } => reply_to.and_then(usable_origin).map(str::to_string),
    }
}

/// An origin a post can be addressed to: not empty, not opaque (`"null"`,
/// and `file:` pages, whose origin Chromium spells `file://` but treats as
/// opaque).
fn usable_origin(origin: &str) -> Option<&str> {
    let o = origin.trim();
    let opaque = o.is_empty() || o == "null" || o.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("file:"));
    (!opaque).then_some(o)
}

/// The origin of the page that frames this one, as the browser reports it:
/// `location.ancestorOrigins[0]` (Chromium, Safari; read through `Reflect`,
/// the property is missing in Firefox), else the origin of
/// `document.referrer` (the page that loaded this frame, usually its
/// parent). `None` when unknown or opaque. Never taken from this page's own
/// address, which whoever frames it chooses.
pub fn parent_origin() -> Option<String> {
    let window = web_sys::window()?;
    let ancestors = js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|a| !a.is_undefined() && !a.is_null());
    if let Some(list) = ancestors {
        // Authoritative where it exists: an opaque parent ("null") is
        // unknown, not a reason to trust the referrer instead.
        let first = js_sys::Reflect::get_u32(&list, 0).ok()?.as_string()?;
        return usable_origin(&first).map(str::to_string);
    }
    let referrer = window.document()?.referrer();
    if referrer.is_empty() {
        return None;
    }
    let origin = web_sys::Url::new(&referrer).ok()?.origin();
    usable_origin(&origin).map(str::to_string)
}

/// A plain object from string keys and scalar JSON values (strings,
/// numbers, booleans, null).
fn object(fields: &[(&str, serde_json::Value)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let v = match v {
            serde_json::Value::String(s) => JsValue::from_str(s),
            serde_json::Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
            serde_json::Value::Bool(b) => JsValue::from_bool(*b),
            _ => JsValue::NULL,
        };
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
    }
    o.into()
}

/// A `message` event from the parent window: its data and the origin the
/// browser says it came from.
pub struct Message {
    data: JsValue,
    origin: String,
}

impl Message {
    /// The sender's origin (`MessageEvent.origin`), to address the answer.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// A string field; `None` if missing or not a string.
    pub fn string(&self, key: &str) -> Option<String> {
        self.field(key)?.as_string()
    }

    /// A boolean field; `None` if missing or not a boolean.
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.field(key)?.as_bool()
    }

    fn field(&self, key: &str) -> Option<JsValue> {
        if !self.data.is_object() {
            return None;
        }
        js_sys::Reflect::get(&self.data, &JsValue::from_str(key)).ok()
    }
}

/// Calls `f` with each message the parent window posts to this page.
/// Messages from any other window, or from the parent under another origin
/// than its own, are ignored.
pub fn on_parent_message(mut f: impl FnMut(&Message) + 'static) -> Option<EventListener> {
    EventListener::new("message", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        if from_parent(e) {
            f(&Message {
                data: e.data(),
                origin: e.origin(),
            });
        }
    })
}

/// Whether a `message` event came from this page's parent window, at the
/// parent's origin: [`parent_origin`] when the browser tells it, else the
/// origin of the first message the parent sent (remembered here).
fn from_parent(e: &web_sys::MessageEvent) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let (Some(source), Ok(Some(parent))) = (e.source(), w.parent()) else {
        return false;
    };
    if js_sys::Object::is(&parent, &w) || !js_sys::Object::is(&source, &parent) {
        return false;
    }
    let origin = e.origin();
    if let Some(known) = parent_origin() {
        return origin == known;
    }
    PARENT_SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        match seen.as_deref() {
            Some(first) => origin == first,
            None => {
                if usable_origin(&origin).is_some() {
                    *seen = Some(origin);
                }
                true
            }
        }
    })
}

/// Calls `f` with the element's height whenever it changes size
/// (`ResizeObserver`, reached through `Reflect`: web-sys is built without
/// that feature). The returned guard disconnects the observer.
pub fn observe_height(node: &NodeRef, mut f: impl FnMut(i32) + 'static) -> Option<HeightObserver> {
    let el = node.cast::<web_sys::HtmlElement>()?;
    let window = web_sys::window()?;
    let ctor = js_sys::Reflect::get(&window, &JsValue::from_str("ResizeObserver"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let target = el.clone();
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| f(target.offset_height()));
    let observer = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(closure.as_ref())).ok()?;
    let observe = js_sys::Reflect::get(&observer, &JsValue::from_str("observe"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    observe.call1(&observer, &el).ok()?;
    Some(HeightObserver {
        observer,
        _closure: closure,
    })
}

/// Keeps a `ResizeObserver` alive; disconnects it on drop.
pub struct HeightObserver {
    observer: JsValue,
    _closure: Closure<dyn FnMut(JsValue)>,
}

impl Drop for HeightObserver {
    fn drop(&mut self) {
        if let Some(f) = js_sys::Reflect::get(&self.observer, &JsValue::from_str("disconnect"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = f.call0(&self.observer);
        }
    }
}

/// Removes the fragment from the address bar (no reload, no history entry).
pub fn drop_fragment() -> bool {
    let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
        return false;
    };
    match href.split_once('#') {
        Some((base, _)) => replace_url(base),
        None => true,
    }
}

/// Puts `url` in the address bar without reloading or adding history.
pub fn replace_url(url: &str) -> bool {
    web_sys::window().and_then(|w| w.history().ok()).is_some_and(|h| {
        // The entry keeps its state (a look-back position, see
        // `push_look_back`): only the address changes.
        let state = h.state().unwrap_or(JsValue::NULL);
        h.replace_state_with_url(&state, "", Some(url)).is_ok()
    })
}

/// The key of the page's own history state: `{kcpAt: k}` on an entry
/// looking back at line `k`, `{kcpAt: null}` on one showing now.
const LOOK_BACK_KEY: &str = "kcpAt";

/// The look-back position the current history entry holds: `Some(Some(k))`
/// looking back at line `k`, `Some(None)` an entry the page marked as now,
/// `None` an entry the page did not make (a link followed, the first one).
pub fn look_back_state() -> Option<Option<usize>> {
    let state = web_sys::window()?.history().ok()?.state().ok()?;
    if !state.is_object() {
        return None;
    }
    let at = js_sys::Reflect::get(&state, &JsValue::from_str(LOOK_BACK_KEY)).ok()?;
    if at.is_undefined() {
        return None;
    }
    Some(
        at.as_f64()
            .filter(|k| *k >= 0.0 && k.fract() == 0.0)
            .map(|k| k as usize),
    )
}

fn look_back_object(at: Option<usize>) -> JsValue {
    let state = js_sys::Object::new();
    let at = at.map_or(JsValue::NULL, |k| JsValue::from_f64(k as f64));
    let _ = js_sys::Reflect::set(&state, &JsValue::from_str(LOOK_BACK_KEY), &at);
    state.into()
}

/// A history entry for looking back at line `at` (or now), so that the
/// browser's Back and Forward move through what the person looked at. The
/// address stays as it is (a share link's fragment included); the entry
/// it leaves is marked as the page's too (now), so that going back to it
/// is not taken for a link followed anew.
pub fn push_look_back(at: Option<usize>) {
    let Some(h) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    if look_back_state().is_none() {
        let _ = h.replace_state(&look_back_object(None), "");
    }
    let _ = h.push_state(&look_back_object(at), "");
}

/// Calls `f` with the look-back position of the entry the browser moved to
/// (Back, Forward): `None` for now.
pub fn on_pop_state(mut f: impl FnMut(Option<usize>) + 'static) -> Option<EventListener> {
    EventListener::new("popstate", move |_| f(look_back_state().flatten()))
}

/// Starts copying text to the clipboard (`navigator.clipboard.writeText`);
/// false when the browser offers no clipboard.
pub fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let get = |obj: &JsValue, key: &str| {
        js_sys::Reflect::get(obj, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let Some(clipboard) = get(&window.into(), "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(text)) {
        Ok(promise) => {
            // Swallow a refusal (no permission): the link is on screen anyway.
            if let Ok(p) = promise.dyn_into::<js_sys::Promise>() {
                let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
                let _ = p.catch(&ignore);
                ignore.forget();
            }
            true
        }
        Err(_) => false,
    }
}

/// Remembers the session for the panic banner.
pub fn remember_script(script: &str) {
    LAST_SCRIPT.with(|s| {
        let mut s = s.borrow_mut();
        s.clear();
        s.push_str(script);
    });
}

/// Reports panics to the console (with the Rust message) and puts a banner
/// on the page with a link that reloads the session so far. Through Yew's
/// own hook: its renderer replaces any hook set with
/// `std::panic::set_hook` when it mounts, but keeps a custom one.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_banner();
    }));
}

fn show_panic_banner() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(banner) = doc.get_element_by_id("panic-banner") else {
        return;
    };
    let script = LAST_SCRIPT.with(|s| s.borrow().clone());
    let link = share_url(&script).unwrap_or_else(|| "./".to_string());
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.remove_attribute("hidden");
    let anchor = doc.create_element("a").ok();
    banner.set_text_content(Some(
        "The simulation stopped on an internal error (details in the browser console). Your session so far is kept in this link: ",
    ));
    if let Some(a) = anchor {
        let _ = a.set_attribute("href", &link);
        let _ = a.set_attribute("data-test-id", "panic-reload");
        a.set_text_content(Some("reload the session"));
        let _ = banner.append_child(&a);
    }
}

/// A `window` event listener, removed when it drops.
pub struct EventListener {
    name: &'static str,
    target: web_sys::EventTarget,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl EventListener {
    pub fn new(name: &'static str, f: impl FnMut(&web_sys::Event) + 'static) -> Option<Self> {
        let target: web_sys::EventTarget = web_sys::window()?.into();
        Self::on(target, name, f)
    }

    /// A listener on any event target.
    pub fn on(
        target: web_sys::EventTarget,
        name: &'static str,
        mut f: impl FnMut(&web_sys::Event) + 'static,
    ) -> Option<Self> {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| f(&e));
        target
            .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
            .ok()?;
        Some(EventListener { name, target, closure })
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.closure.as_ref().unchecked_ref());
    }
}

/// Calls `f` with the key of each key press outside text fields and without
/// Ctrl, Meta or Alt (the page's shortcuts); when `f` returns true the
/// browser's default action for the key is prevented.
pub fn on_shortcut(mut f: impl FnMut(&str) -> bool + 'static) -> Option<EventListener> {
    EventListener::new("keydown", move |e| {
        let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.ctrl_key() || k.meta_key() || k.alt_key() || typing_in_field(k) {
            return;
        }
        if f(&k.key()) {
            k.prevent_default();
        }
    })
}

/// Calls `f` whenever the address's fragment changes (a share link
/// followed without a reload).
pub fn on_hash_change(mut f: impl FnMut() + 'static) -> Option<EventListener> {
    EventListener::new("hashchange", move |_| f())
}

/// True when a key press belongs to a text field, not to a shortcut.
fn typing_in_field(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(
        el.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select"
    ) || el.has_attribute("contenteditable")
}

/// Moves keyboard focus to the element with this id (after a jump link).
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }
}

/// The element the page mounts on (`#app`), emptied of its "loading"
/// placeholder; `None` when the document has none.
pub fn app_root() -> Option<web_sys::Element> {
    let el = web_sys::window()?.document()?.get_element_by_id("app")?;
    el.set_inner_html("");
    Some(el)
}

/// An attribute of `<body>` (`data-kcp-mode="embed"` on `embed.html`).
pub fn body_attribute(name: &str) -> Option<String> {
    web_sys::window()?.document()?.body()?.get_attribute(name)
}

/// Whether this is the compact embed (`<body data-kcp-mode="embed">`).
pub fn is_embed() -> bool {
    body_attribute("data-kcp-mode").as_deref() == Some("embed")
}

/// Sets an attribute on `<html>` (the embed's `data-theme`).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}

/// The value of the input that fired an event.
pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of an input that fired a change.
pub fn changed_input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of a `<select>` that fired a change.
pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The value of a `<textarea>` that fired an input.
pub fn textarea_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// Whether a checkbox is ticked.
pub fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

/// Opens the file picker of a hidden `<input type="file">`, cleared first
/// so that choosing the same file again fires a change.
pub fn open_file_picker(input: &NodeRef) {
    if let Some(input) = input.cast::<HtmlInputElement>() {
        input.set_value("");
        input.click();
    }
}

/// Reads the file chosen in the `<input type="file">` that fired `e` (see
/// `read_text_file`); `done` also gets the file's name. Nothing happens
/// when no file was chosen.
pub fn read_chosen_file(e: &Event, max_bytes: usize, done: impl FnOnce(String, Result<String, String>) + 'static) {
    let input = e.target_unchecked_into::<HtmlInputElement>();
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let name = file.name();
    read_text_file(file, max_bytes, move |result| done(name, result));
}

/// Focuses a `<textarea>` and selects `start..end` (UTF-16 code units, as
/// the DOM counts them).
pub fn select_range(area: &NodeRef, start: u32, end: u32) {
    if let Some(el) = area.cast::<HtmlTextAreaElement>() {
        let _ = el.focus();
        let _ = el.set_selection_range(start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::{target_origin, usable_origin, Audience};

    #[test]
    fn opaque_or_missing_origins_are_unusable() {
        for o in ["", "null", " null ", "file://", "FILE://"] {
            assert_eq!(usable_origin(o), None, "{o:?}");
        }
        assert_eq!(usable_origin("https://docs.example"), Some("https://docs.example"));
    }

    #[test]
    fn a_known_parent_origin_is_the_only_address() {
        let known = Some("https://host.example");
        for audience in [
            Audience::Anyone,
            Audience::Parent { reply_to: None },
            Audience::Parent {
                reply_to: Some("https://other.example"),
            },
        ] {
            assert_eq!(target_origin(known, audience).as_deref(), Some("https://host.example"));
        }
    }

    #[test]
    fn state_never_goes_to_star() {
        for known in [None, Some("null"), Some("")] {
            // Counts and heights may go anywhere when the parent is unknown...
            assert_eq!(target_origin(known, Audience::Anyone).as_deref(), Some("*"));
            // ...state only answers the message's sender, or nothing.
            assert_eq!(target_origin(known, Audience::Parent { reply_to: None }), None);
            assert_eq!(target_origin(known, Audience::Parent { reply_to: Some("null") }), None);
            assert_eq!(
                target_origin(
                    known,
                    Audience::Parent {
                        reply_to: Some("https://host.example")
                    }
                )
                .as_deref(),
                Some("https://host.example")
            );
        }
    }
}
