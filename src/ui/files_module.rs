//! Kafka's files support for the page, loaded on first use.
//!
//! The page's wasm is built without the `files` feature (Kafka's codecs were
//! about a tenth of it). When a person first imports, exports or dumps
//! files, this loads the JavaScript API module (`pkg/kcp.js` beside the
//! page, built with the feature) and then:
//!
//! - hands its codecs to the page's engine
//!   ([`crate::batch::compression::provide_codecs`]): the same Rust crates,
//!   so an imported compressed batch reads and cleans as natively;
//! - reads tar archives ([`FilesModule::read_archive`]);
//! - replays the session there for an export or a dump
//!   ([`FilesModule::session`]): the same script and files give the same
//!   broker in both modules, as they do natively.
//!
//! With `browser.rs`, the only part of the page that calls JavaScript. It
//! fails soft: every failure is a message for the person, never a panic.
//! The single-file build (`playground-standalone.html`) has no `pkg/`
//! beside it, and says so.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::batch::compression::{self, Codecs};
use crate::log_dir::import::ImportFile;
use crate::scenario::builtin::Builtin;
use crate::ui::session::files;

/// Where the module is, relative to the page.
const MODULE_PATH: &str = "pkg/kcp.js";

/// The loaded module: its namespace, initialised.
#[derive(Clone)]
pub struct FilesModule {
    ns: JsValue,
}

/// Someone waiting for the module.
type Answer = Box<dyn FnOnce(Result<FilesModule, String>)>;
type Waiting = Vec<Answer>;

enum Load {
    Idle,
    Loading(Waiting),
    Ready(FilesModule),
}

thread_local! {
    static LOAD: RefCell<Load> = const { RefCell::new(Load::Idle) };
}

/// Whether the module has loaded (so [`with_files_module`] answers at once).
pub fn is_loaded() -> bool {
    LOAD.with(|l| matches!(*l.borrow(), Load::Ready(_)))
}

/// Calls `done` with the module, loading it first if need be (once: later
/// calls wait for the same load). After a failure the next call tries again.
pub fn with_files_module(done: impl FnOnce(Result<FilesModule, String>) + 'static) {
    let mut done: Option<Answer> = Some(Box::new(done));
    let (ready, start) = LOAD.with(|l| {
        let mut l = l.borrow_mut();
        match &mut *l {
            Load::Ready(m) => (Some(m.clone()), false),
            Load::Loading(waiting) => {
                waiting.extend(done.take());
                (None, false)
            }
            Load::Idle => {
                *l = Load::Loading(done.take().into_iter().collect());
                (None, true)
            }
        }
    });
    // Outside the borrow: the load, and `done`, may well ask again.
    if start {
        start_load();
    }
    if let (Some(m), Some(done)) = (ready, done) {
        done(Ok(m));
    }
}

/// Loads the module; when it settles, answers everyone waiting.
fn start_load() {
    let finish = |result: Result<FilesModule, String>| {
        let waiting = LOAD.with(|l| {
            let mut l = l.borrow_mut();
            let waiting = match std::mem::replace(&mut *l, Load::Idle) {
                Load::Loading(w) => w,
                _ => Vec::new(),
            };
            if let Ok(m) = &result {
                *l = Load::Ready(m.clone());
            }
            waiting
        });
        for f in waiting {
            f(result.clone());
        }
    };
    let url = match module_url() {
        Ok(u) => u,
        Err(e) => return finish(Err(e)),
    };
    // `import()` from wasm: a function made by the Function constructor
    // runs it (a module URL made absolute, as such code has no base).
    let import = js_sys::Function::new_with_args(
        "u",
        "return import(u).then(async (m) => { await m.default(); return m; })",
    );
    let promise = match import.call1(&JsValue::NULL, &JsValue::from_str(&url)) {
        Ok(p) => p
            .dyn_into::<js_sys::Promise>()
            .map_err(|_| "import() gave no promise".to_string()),
        Err(e) => Err(describe(&e)),
    };
    let promise = match promise {
        Ok(p) => p,
        Err(e) => return finish(Err(unavailable(&url, &e))),
    };
    let finish = Rc::new(RefCell::new(Some(finish)));
    let ok = {
        let finish = finish.clone();
        Closure::once(move |ns: JsValue| {
            let m = FilesModule { ns };
            let result = m.provide_codecs().map(|()| m);
            if let Some(f) = finish.borrow_mut().take() {
                f(result);
            }
        })
    };
    let failed = {
        let url = url.clone();
        Closure::once(move |e: JsValue| {
            if let Some(f) = finish.borrow_mut().take() {
                f(Err(unavailable(&url, &describe(&e))));
            }
        })
    };
    let _ = promise.then2(&ok, &failed);
    ok.forget();
    failed.forget();
}

fn module_url() -> Result<String, String> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or("the page has no address to load Kafka's files support from")?;
    web_sys::Url::new_with_base(MODULE_PATH, &base)
        .map(|u| u.href())
        .map_err(|e| describe(&e))
}

fn unavailable(url: &str, why: &str) -> String {
    let standalone = url.starts_with("file:") || url.starts_with("blob:") || url.starts_with("data:");
    let hint = if standalone {
        " The single-file playground does not include Kafka's files support: open the playground from a web \
         server (for example `trunk serve`, or the site)."
    } else {
        ""
    };
    format!("Kafka's files support could not be loaded from {url}: {why}.{hint}")
}

/// A thrown JavaScript value as text: an `Error`'s message, or its string.
fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// `target[name]` as a function.
fn function(target: &JsValue, name: &str) -> Result<js_sys::Function, String> {
    js_sys::Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("Kafka's files support has no {name}: the site's pkg/ is from another version"))
}

fn bytes(v: &JsValue) -> Result<Vec<u8>, String> {
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
        .ok_or_else(|| "Kafka's files support returned no bytes".to_string())
}

/// The module's codecs, behind the engine's [`Codecs`].
struct JsCodecs {
    compress: js_sys::Function,
    decompress: js_sys::Function,
}

impl Codecs for JsCodecs {
    fn decompress(&self, codec: u8, data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
        let out = self
            .decompress
            .call3(
                &JsValue::NULL,
                &JsValue::from(codec),
                &js_sys::Uint8Array::from(data),
                &JsValue::from_f64(limit as f64),
            )
            .map_err(|e| describe(&e))?;
        bytes(&out)
    }

    fn compress(&self, codec: u8, records: &[u8]) -> Option<Vec<u8>> {
        // A failure (which the module's Rust code never has) stores the
        // records uncompressed (`compress_into`).
        let out = self
            .compress
            .call2(
                &JsValue::NULL,
                &JsValue::from(codec),
                &js_sys::Uint8Array::from(records),
            )
            .ok()?;
        bytes(&out).ok()
    }
}

/// Files for one `import` line: its path, and each file's name and bytes.
pub type ImportFiles = (String, Vec<(String, Vec<u8>)>);

impl FilesModule {
    fn provide_codecs(&self) -> Result<(), String> {
        let codecs = JsCodecs {
            compress: function(&self.ns, "compressRecords")?,
            decompress: function(&self.ns, "decompressRecords")?,
        };
        compression::provide_codecs(Rc::new(codecs));
        Ok(())
    }

    /// The regular files of a tar archive, `(path, bytes)` each.
    ///
    /// # Errors
    ///
    /// The module's message (not a tar archive, cut short at byte N, ...).
    pub fn read_archive(&self, archive: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
        let out = function(&self.ns, "readArchive")?
            .call1(&JsValue::NULL, &js_sys::Uint8Array::from(archive))
            .map_err(|e| describe(&e))?;
        let list = out
            .dyn_into::<js_sys::Array>()
            .map_err(|_| "readArchive returned no list".to_string())?;
        list.iter()
            .map(|entry| {
                let path = js_sys::Reflect::get(&entry, &"path".into())
                    .ok()
                    .and_then(|p| p.as_string())
                    .ok_or("readArchive returned an entry without a path")?;
                let data = js_sys::Reflect::get(&entry, &"bytes".into()).map_err(|e| describe(&e))?;
                Ok((path, bytes(&data)?))
            })
            .collect()
    }

    /// The files built-in `id`'s `import` lines name (its sample
    /// partitions, exported in the module), `(path, [(name, bytes)])` each.
    ///
    /// # Errors
    ///
    /// The module's message (no such built-in: a version mismatch).
    pub fn builtin_import_files(&self, id: &str) -> Result<Vec<ImportFiles>, String> {
        let out = function(&self.ns, "builtinImportFiles")?
            .call1(&JsValue::NULL, &JsValue::from_str(id))
            .map_err(|e| describe(&e))?;
        let list = out
            .dyn_into::<js_sys::Array>()
            .map_err(|_| "builtinImportFiles returned no list".to_string())?;
        let text = |o: &JsValue, k: &str| {
            js_sys::Reflect::get(o, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
                .ok_or_else(|| format!("builtinImportFiles returned an entry without {k}"))
        };
        list.iter()
            .map(|entry| {
                let files = js_sys::Reflect::get(&entry, &"files".into())
                    .ok()
                    .and_then(|f| f.dyn_into::<js_sys::Array>().ok())
                    .ok_or("builtinImportFiles returned an entry without files")?;
                let files = files
                    .iter()
                    .map(|f| {
                        let data = js_sys::Reflect::get(&f, &"bytes".into()).map_err(|e| describe(&e))?;
                        Ok((text(&f, "name")?, bytes(&data)?))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok((text(&entry, "path")?, files))
            })
            .collect()
    }

    /// The session replayed in the module: `script` run on a new broker
    /// after `files` were provided for its `import` lines.
    ///
    /// # Errors
    ///
    /// The module's message when the script does not parse (it parsed in
    /// the page, so only a version mismatch gives one).
    pub fn session(&self, script: &str, files: &[ImportFiles]) -> Result<FilesSession, String> {
        let class = js_sys::Reflect::get(&self.ns, &"Playground".into())
            .ok()
            .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
            .ok_or("Kafka's files support has no Playground")?;
        let playground = js_sys::Reflect::construct(&class, &js_sys::Array::new()).map_err(|e| describe(&e))?;
        let session = FilesSession { playground };
        for (path, list) in files {
            let arr = js_sys::Array::new();
            for (name, data) in list {
                let o = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &"name".into(), &JsValue::from_str(name));
                let _ = js_sys::Reflect::set(&o, &"bytes".into(), &js_sys::Uint8Array::from(data.as_slice()));
                arr.push(&o);
            }
            session.call("provideFiles", &[JsValue::from_str(path), arr.into()])?;
        }
        session.call("run", &[JsValue::from_str(script)])?;
        Ok(session)
    }
}

/// A broker in the files module (a JS API `Playground`), freed when dropped.
pub struct FilesSession {
    playground: JsValue,
}

impl FilesSession {
    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f = function(&self.playground, name)?;
        let arr: js_sys::Array = args.iter().collect();
        f.apply(&self.playground, &arr).map_err(|e| describe(&e))
    }

    /// The log directory as a tar archive (`Playground.exportArchive`).
    ///
    /// # Errors
    ///
    /// Only on a version mismatch between the page and its `pkg/`.
    pub fn export_archive(&self) -> Result<Vec<u8>, String> {
        bytes(&self.call("exportArchive", &[])?)
    }

    /// The log directory's paths, in order (`Playground.exportPaths`).
    ///
    /// # Errors
    ///
    /// Only on a version mismatch between the page and its `pkg/`.
    pub fn export_paths(&self) -> Result<Vec<String>, String> {
        let list = self
            .call("exportPaths", &[])?
            .dyn_into::<js_sys::Array>()
            .map_err(|_| "exportPaths returned no list".to_string())?;
        Ok(list.iter().filter_map(|p| p.as_string()).collect())
    }

    /// `kafka-dump-log.sh --files <paths>` with `options` (`printDataLog`,
    /// `deepIteration`, `indexSanityCheck`, `verifyIndexOnly`): its stdout
    /// and stderr.
    ///
    /// # Errors
    ///
    /// Only on a version mismatch between the page and its `pkg/`.
    pub fn dump(&self, paths: &[String], options: &[(&str, bool)]) -> Result<(String, String), String> {
        let list: js_sys::Array = paths.iter().map(|p| JsValue::from_str(p)).collect();
        let opts = js_sys::Object::new();
        for (k, v) in options {
            let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_bool(*v));
        }
        let out = self.call("dumpLogSegments", &[list.into(), opts.into()])?;
        let text = |k: &str| {
            js_sys::Reflect::get(&out, &JsValue::from_str(k))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        Ok((text("stdout"), text("stderr")))
    }
}

impl Drop for FilesSession {
    fn drop(&mut self) {
        let _ = self.call("free", &[]);
    }
}

/// Makes sure the page holds the files built-in `b`'s `import` lines name
/// (its sample partitions, made in the files module by exporting the
/// built-in each names: the same bytes as the CLI's `export`), then calls
/// `done`. Files the person already picked under such a path are kept, not
/// replaced: a session that used them must replay as it ran.
pub fn provide_builtin_files(b: &'static Builtin, done: impl FnOnce(Result<(), String>) + 'static) {
    if b.imports.iter().all(|(path, _)| files::has(path)) {
        return done(Ok(()));
    }
    with_files_module(move |m| {
        done(m.and_then(|m| {
            for (path, list) in m.builtin_import_files(b.id)? {
                if !files::has(&path) {
                    let list = list
                        .into_iter()
                        .map(|(name, bytes)| ImportFile { name, bytes })
                        .collect();
                    files::put(&path, list);
                }
            }
            Ok(())
        }));
    });
}
