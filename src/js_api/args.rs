//! Checking what a JavaScript caller passes, before any of it reaches the
//! engine.
//!
//! Every argument of the API arrives as a bare `JsValue`; the helpers here
//! turn it into the Rust value the scenario command wants, or into the
//! `TypeError` / `RangeError` the call throws (see the [`super`] module doc
//! for what throws what). They look at a value only through `typeof`,
//! `Array.isArray` and, one level deep, `Reflect.ownKeys` / `Reflect.get`
//! bound with `catch`, so a getter, a proxy or a cyclic object can make a
//! call throw but never trap the module. Strings are measured before they are
//! copied into wasm memory, hence the `MAX_*` bounds.

use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

/// The longest string argument (record keys and values, scripts, links),
/// in UTF-16 code units as JavaScript counts them: at most three times as
/// many UTF-8 bytes reach wasm memory, whatever the caller passes.
pub const MAX_STRING_CHARS: u32 = 8 * 1024 * 1024;
/// The longest topic name, config name or config value taken (Kafka's topic
/// names stop at 249 characters; this only bounds the copy).
pub const MAX_NAME_CHARS: u32 = 64 * 1024;
/// The most entries a configs object or a list of config names may have.
pub const MAX_ENTRIES: u32 = 1024;
/// The largest whole number that crosses as a JavaScript number exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

#[wasm_bindgen]
extern "C" {
    // `Array.isArray` throws on a revoked proxy; js-sys's binding would let
    // that exception unwind through wasm frames, this one returns it.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

pub(super) fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(message).into()
}

/// What a value is, for a message: `a number`, `an object`, `null`, ...
/// (`typeof`, which runs no code of the caller's, and `Array.isArray`).
fn kind(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if value.is_object() && is_array(value).unwrap_or(false) {
        return "an array".into();
    }
    let t = value.js_typeof().as_string().unwrap_or_default();
    match t.as_str() {
        "undefined" => t,
        "object" => "an object".into(),
        _ => format!("a {t}"),
    }
}

/// At most 40 characters of `s`, for a message.
fn clip(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// One argument of one call, for messages: `produce: key`.
#[derive(Clone, Copy)]
pub(super) struct Arg(pub(super) &'static str, pub(super) &'static str);

impl Arg {
    fn wrong(self, expected: &str, value: &JsValue) -> JsValue {
        type_error(&format!(
            "{}: {} must be {expected}, got {}",
            self.0,
            self.1,
            kind(value)
        ))
    }

    /// A string of at most `max` UTF-16 code units.
    fn string_of(self, value: &JsValue, max: u32) -> Result<String, JsValue> {
        let Some(s) = value.dyn_ref::<js_sys::JsString>() else {
            return Err(self.wrong("a string", value));
        };
        if s.length() > max {
            return Err(range_error(&format!(
                "{}: {} is {} characters long; the playground takes at most {max}",
                self.0,
                self.1,
                s.length()
            )));
        }
        Ok(String::from(s))
    }

    pub(super) fn name(self, value: &JsValue) -> Result<String, JsValue> {
        self.string_of(value, MAX_NAME_CHARS)
    }

    pub(super) fn text(self, value: &JsValue) -> Result<String, JsValue> {
        self.string_of(value, MAX_STRING_CHARS)
    }

    /// `null` or `undefined` (a null key, a tombstone's value), or a string.
    pub(super) fn nullable_text(self, value: &JsValue) -> Result<Option<String>, JsValue> {
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        if !value.is_string() {
            return Err(self.wrong("a string, null or undefined", value));
        }
        self.text(value).map(Some)
    }

    /// A whole number in `min..=max`: a `TypeError` for anything but a
    /// number or for a fraction, a `RangeError` outside the range.
    pub(super) fn integer(self, value: &JsValue, min: i64, max: i64) -> Result<i64, JsValue> {
        let Some(v) = value.as_f64() else {
            return Err(self.wrong("a number", value));
        };
        if !v.is_finite() || v.fract() != 0.0 || v.abs() > MAX_SAFE_INTEGER {
            return Err(type_error(&format!(
                "{}: {} must be a whole number, got {v}",
                self.0, self.1
            )));
        }
        // A safe integer converts exactly.
        let n = v as i64;
        if n < min || n > max {
            return Err(range_error(&format!(
                "{}: {} must be between {min} and {max}, got {n}",
                self.0, self.1
            )));
        }
        Ok(n)
    }

    /// `None` for `null` or `undefined`, else as [`Arg::integer`].
    pub(super) fn optional_integer(self, value: &JsValue, min: i64, max: i64) -> Result<Option<i64>, JsValue> {
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        self.integer(value, min, max).map(Some)
    }

    /// A partition index: Kafka's partitions are numbered by a Java `int`.
    pub(super) fn partition(self, value: &JsValue) -> Result<u32, JsValue> {
        let n = self.integer(value, 0, i64::from(i32::MAX))?;
        u32::try_from(n).map_err(|_| range_error(&format!("{}: {} is out of range", self.0, self.1)))
    }

    pub(super) fn optional_partition(self, value: &JsValue) -> Result<Option<u32>, JsValue> {
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        self.partition(value).map(Some)
    }

    /// Reads `{ "config.name": "value", ... }` (values may be strings,
    /// numbers or booleans) into config pairs, sorted by name; `null` or
    /// `undefined` is none. One level only: a value that is an object (a
    /// nested, deep or cyclic one) is a `TypeError`, never walked.
    pub(super) fn configs(self, value: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
        if value.is_null() || value.is_undefined() {
            return Ok(Vec::new());
        }
        let expected = "an object such as { \"cleanup.policy\": \"compact\" }";
        if !value.is_object() || is_array(value)? {
            return Err(self.wrong(expected, value));
        }
        let keys = js_sys::Reflect::own_keys(value)?;
        if keys.length() > MAX_ENTRIES {
            return Err(range_error(&format!(
                "{}: {} has {} entries; the playground takes at most {MAX_ENTRIES}",
                self.0,
                self.1,
                keys.length()
            )));
        }
        let mut out = BTreeMap::new();
        for key in keys.iter() {
            // Symbol keys are not config names (Object.entries skips them too).
            if !key.is_string() {
                continue;
            }
            let name = Arg(self.0, "a config name").name(&key)?;
            let v = js_sys::Reflect::get(value, &key)?;
            let text = if let Some(b) = v.as_bool() {
                b.to_string()
            } else if let Some(n) = v.as_f64() {
                number_text(n).ok_or_else(|| {
                    type_error(&format!(
                        "{}: {}[\"{}\"] must be a finite number, got {n}",
                        self.0,
                        self.1,
                        clip(&name)
                    ))
                })?
            } else if v.is_string() {
                Arg(self.0, "a config value").name(&v)?
            } else {
                return Err(type_error(&format!(
                    "{}: {}[\"{}\"] must be a string, a number or a boolean, got {}",
                    self.0,
                    self.1,
                    clip(&name),
                    kind(&v)
                )));
            };
            out.insert(name, text);
        }
        Ok(out.into_iter().collect())
    }

    /// The length of an array of at most [`MAX_ENTRIES`] items, `what`
    /// saying what it must be for the `TypeError`.
    fn array_length(self, value: &JsValue, what: &str) -> Result<u32, JsValue> {
        if !value.is_object() || !is_array(value)? {
            return Err(self.wrong(what, value));
        }
        let length = js_sys::Reflect::get(value, &JsValue::from_str("length"))?;
        let length = Arg(self.0, "its length").integer(&length, 0, MAX_SAFE_INTEGER as i64)?;
        if length > i64::from(MAX_ENTRIES) {
            return Err(range_error(&format!(
                "{}: {} has {length} entries; the playground takes at most {MAX_ENTRIES}",
                self.0, self.1
            )));
        }
        Ok(length as u32)
    }

    /// An array of at most [`MAX_ENTRIES`] strings: `what` it must be and
    /// `each` item, for the messages (`"an array of config names"`, `"each
    /// config name"`).
    pub(super) fn names(self, value: &JsValue, what: &str, each: &'static str) -> Result<Vec<String>, JsValue> {
        let length = self.array_length(value, what)?;
        (0..length)
            .map(|i| {
                let item = js_sys::Reflect::get(value, &JsValue::from(i))?;
                Arg(self.0, each).name(&item)
            })
            .collect()
    }
}

#[cfg(feature = "files")]
impl Arg {
    /// A `Uint8Array` of at most `max` bytes, copied into wasm memory.
    pub(super) fn bytes(self, value: &JsValue, max: u32) -> Result<Vec<u8>, JsValue> {
        let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() else {
            return Err(self.wrong("a Uint8Array", value));
        };
        if a.length() > max {
            return Err(range_error(&format!(
                "{}: {} is {} bytes long; the playground takes at most {max}",
                self.0,
                self.1,
                a.length()
            )));
        }
        Ok(a.to_vec())
    }

    /// An array of at most [`MAX_ENTRIES`] `{ name, bytes }` objects (a
    /// string and a `Uint8Array`), holding at most `max_bytes` in all.
    pub(super) fn files(self, value: &JsValue, max_bytes: u32) -> Result<Vec<(String, Vec<u8>)>, JsValue> {
        let length = self.array_length(value, "an array of { name, bytes } objects")?;
        let mut left = max_bytes;
        (0..length)
            .map(|i| {
                let item = js_sys::Reflect::get(value, &JsValue::from(i))?;
                if !item.is_object() {
                    return Err(Arg(self.0, "each file").wrong("a { name, bytes } object", &item));
                }
                let name = Arg(self.0, "a file's name").name(&js_sys::Reflect::get(&item, &"name".into())?)?;
                let bytes =
                    Arg(self.0, "the files' bytes").bytes(&js_sys::Reflect::get(&item, &"bytes".into())?, left)?;
                left -= bytes.len() as u32;
                Ok((name, bytes))
            })
            .collect()
    }

    /// An optional boolean property `key` of an options object (`undefined`
    /// when the object or the property is absent).
    pub(super) fn flag(self, options: &JsValue, key: &str) -> Result<bool, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(false);
        }
        if !options.is_object() {
            return Err(self.wrong("an object", options));
        }
        let v = js_sys::Reflect::get(options, &JsValue::from_str(key))?;
        if v.is_undefined() {
            return Ok(false);
        }
        v.as_bool()
            .ok_or_else(|| Arg(self.0, "each option").wrong("a boolean", &v))
    }
}

/// A config value given as a number, written as a script would: whole
/// numbers without a fraction (`490`), others as Rust prints them (`0.01`).
fn number_text(n: f64) -> Option<String> {
    if !n.is_finite() {
        None
    } else if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        Some((n as i64).to_string())
    } else {
        Some(n.to_string())
    }
}
