//! The few things the page asks of the browser: the `#script=` URL, the
//! share link, the clipboard, keyboard shortcuts and the panic banner.
//!
//! Everything here fails soft: a missing window, a refused clipboard or a
//! malformed URL gives `None` or `false`, never a panic.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The session as a script, kept for the panic banner's reload link.
    static LAST_SCRIPT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The prefix of a URL fragment that carries a scenario.
pub const HASH_PREFIX: &str = "#script=";

/// The script in `location.hash` (`#script=<percent-encoded text>`):
/// `None` without one, `Some(Err)` when it does not decode.
pub fn script_from_hash() -> Option<Result<String, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let encoded = hash.strip_prefix(HASH_PREFIX)?;
    Some(
        js_sys::decode_uri_component(encoded)
            .map(String::from)
            .map_err(|_| "The #script= part of the address is not valid percent-encoding, so it was not run.".to_string()),
    )
}

/// The page's address with `script` in the fragment.
pub fn share_url(script: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let href = location.href().ok()?;
    let base = href.split('#').next().unwrap_or(&href).to_string();
    let encoded: String = js_sys::encode_uri_component(script).into();
    Some(format!("{base}{HASH_PREFIX}{encoded}"))
}

/// Puts `url` in the address bar without reloading or adding history.
pub fn replace_url(url: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.history().ok())
        .is_some_and(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(url)).is_ok())
}

/// Starts copying text to the clipboard (`navigator.clipboard.writeText`);
/// false when the browser offers no clipboard.
pub fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let get = |obj: &JsValue, key: &str| js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null());
    let Some(clipboard) = get(&window.into(), "navigator").and_then(|n| get(&n, "clipboard")) else { return false };
    let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else { return false };
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
/// on the page with a link that reloads the session so far.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_banner();
    }));
}

fn show_panic_banner() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(banner) = doc.get_element_by_id("panic-banner") else { return };
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
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl EventListener {
    pub fn new(name: &'static str, mut f: impl FnMut(&web_sys::Event) + 'static) -> Option<Self> {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| f(&e));
        web_sys::window()?.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref()).ok()?;
        Some(EventListener { name, closure })
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(self.name, self.closure.as_ref().unchecked_ref());
        }
    }
}

/// True when a key press belongs to a text field, not to a shortcut.
pub fn typing_in_field(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(el.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select") || el.has_attribute("contenteditable")
}

/// Moves keyboard focus to the element with this id (after a jump link).
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }
}
