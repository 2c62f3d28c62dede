//! Kafka's files in the JavaScript API (feature `files`): a broker's log
//! directory out as a tar archive, `kafka-dump-log.sh` over it, files in for
//! `import` lines, and Kafka's codecs for the page.
//!
//! The page is built without the codecs and loads this module when a person
//! first imports, exports or dumps: it hands [`compress_records`] and
//! [`decompress_records`] to its engine, and runs its session here for the
//! export and the dump (the same script gives the same broker in both).

use wasm_bindgen::prelude::*;

use super::args::Arg;
use super::{plain_error, to_js, Playground};
use crate::batch::compression::{self, MAX_INFLATED_BYTES};
use crate::dump_log_segments::{self, DumpFiles, DumpOptions};
use crate::log_dir::{self, archive, import::ImportFile};

/// The most file bytes one call takes (an import's files, an archive, a
/// batch to decompress): 256 MiB, above the page's budget for a session.
pub const MAX_FILE_BYTES: u32 = 256 << 20;

/// The session's log directory, path by path.
fn exported(broker: &crate::log_manager::LogManager) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let _ = log_dir::export(broker, |path, bytes| {
        files.push((path.to_string(), bytes.to_vec()));
        Ok::<(), ()>(())
    });
    files
}

/// The exported files a dump reads, named by their paths in the archive.
struct Exported(Vec<(String, Vec<u8>)>);

impl DumpFiles for Exported {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.0
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| "No such file or directory".to_string())
    }

    fn absolute(&self, path: &str) -> String {
        path.to_string()
    }
}

#[wasm_bindgen]
impl Playground {
    /// Gives the broker the files an `import` line names (`path` as the line
    /// writes it): `files` is an array of `{ name, bytes }` with `bytes` a
    /// `Uint8Array`, e.g. a partition directory's files named
    /// `"t-0/00000000000000000000.log"`. Call it before [`Playground::run`]
    /// runs the line.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `path` is not a string or `files` not an
    /// array of such objects, a `RangeError` for more than 1024 files or
    /// more than [`MAX_FILE_BYTES`] bytes in all.
    #[wasm_bindgen(js_name = provideFiles)]
    pub fn provide_files(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Array<{ name: string, bytes: Uint8Array }>")] files: JsValue,
    ) -> Result<(), JsValue> {
        let path = Arg("provideFiles", "path").name(&path)?;
        let files = Arg("provideFiles", "files").files(&files, MAX_FILE_BYTES)?;
        let files = files
            .into_iter()
            .map(|(name, bytes)| ImportFile { name, bytes })
            .collect();
        self.broker.provide_import_files(&path, Ok(files));
        Ok(())
    }

    /// What a broker's `log.dirs` would hold for this session (as the CLI's
    /// `export FILE DIR` writes it), as one tar archive: `tar -xf` unpacks
    /// it. Every file has the clock's time as its modification time.
    #[wasm_bindgen(js_name = exportArchive)]
    pub fn export_archive(&self) -> js_sys::Uint8Array {
        let files = exported(&self.broker);
        let tar = archive::write(
            files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
            self.broker.now_ms().div_euclid(1000),
        );
        js_sys::Uint8Array::from(tar.as_slice())
    }

    /// The paths of the exported log directory's files, in order (what
    /// [`Playground::export_archive`] holds and
    /// [`Playground::dump_log_segments`] reads).
    ///
    /// # Errors
    ///
    /// Never, in practice (`cannot convert the result`).
    #[wasm_bindgen(js_name = exportPaths)]
    pub fn export_paths(&self) -> Result<JsValue, JsValue> {
        let paths: Vec<String> = exported(&self.broker).into_iter().map(|(p, _)| p).collect();
        to_js(&paths)
    }

    /// `kafka-dump-log.sh --files <files>` over this session's exported log
    /// directory: `files` are paths as [`Playground::export_paths`] gives them
    /// (`"t-0/00000000000000000000.log"`), `options` an object of booleans
    /// `printDataLog`, `deepIteration`, `indexSanityCheck`,
    /// `verifyIndexOnly`. Returns `{ stdout, stderr }`, the tool's text.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `files` is not an array of strings or an
    /// option not a boolean, a `RangeError` for more than 1024 files. A path
    /// that is not in the export is reported in the text, as the tool does.
    #[wasm_bindgen(js_name = dumpLogSegments)]
    pub fn dump_log_segments(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] files: JsValue,
        #[wasm_bindgen(
            unchecked_param_type = "{ printDataLog?: boolean, deepIteration?: boolean, indexSanityCheck?: boolean, verifyIndexOnly?: boolean }"
        )]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let paths = Arg("dumpLogSegments", "files").names(&files, "an array of file paths", "each file path")?;
        let arg = Arg("dumpLogSegments", "options");
        let opts = DumpOptions {
            print_data_log: arg.flag(&options, "printDataLog")?,
            deep_iteration: arg.flag(&options, "deepIteration")?,
            index_sanity_check: arg.flag(&options, "indexSanityCheck")?,
            verify_index_only: arg.flag(&options, "verifyIndexOnly")?,
            ..DumpOptions::default()
        };
        let list: Vec<&str> = paths.iter().map(String::as_str).collect();
        let out = dump_log_segments::dump(&list, opts, &Exported(exported(&self.broker)));
        #[derive(serde::Serialize)]
        struct Text {
            stdout: String,
            stderr: String,
        }
        to_js(&Text {
            stdout: out.stdout,
            stderr: out.stderr,
        })
    }
}

/// `{ [key]: name, bytes }`, bytes as a `Uint8Array`.
fn named_bytes(key: &str, name: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &key.into(), &name.into())?;
    js_sys::Reflect::set(&o, &"bytes".into(), &js_sys::Uint8Array::from(bytes))?;
    Ok(o.into())
}

/// The regular files of a tar archive (such as
/// [`Playground::export_archive`] writes, or `tar -cf` of a broker's log
/// directory), as `[{ path, bytes }]`.
///
/// # Errors
///
/// Throws a `TypeError` when `archive` is not a `Uint8Array`, a `RangeError`
/// above [`MAX_FILE_BYTES`], or an `Error` naming the byte position when it
/// is not a tar archive or is cut short.
#[wasm_bindgen(js_name = readArchive)]
pub fn read_archive(#[wasm_bindgen(unchecked_param_type = "Uint8Array")] archive: JsValue) -> Result<JsValue, JsValue> {
    let bytes = Arg("readArchive", "archive").bytes(&archive, MAX_FILE_BYTES)?;
    let entries = archive::read(&bytes, u64::from(MAX_FILE_BYTES)).map_err(|e| plain_error(&e))?;
    let out = js_sys::Array::new();
    for e in entries {
        out.push(&named_bytes("path", &e.path, &e.bytes)?);
    }
    Ok(out.into())
}

/// The files a built-in scenario's `import` lines name (made by exporting
/// the built-in each names), as `[{ path, files: [{ name, bytes }] }]`, to
/// hand to [`Playground::provide_files`]; `[]` for a built-in without
/// imports.
///
/// # Errors
///
/// Throws a `TypeError` when `id` is not a string, or an `Error` when no
/// built-in has that id.
#[wasm_bindgen(js_name = builtinImportFiles)]
pub fn builtin_import_files(#[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<JsValue, JsValue> {
    let id = Arg("builtinImportFiles", "id").name(&id)?;
    let b = crate::scenario::builtin::find(&id).ok_or_else(|| plain_error(&format!("no built-in scenario {id}")))?;
    let out = js_sys::Array::new();
    for (path, files) in crate::scenario::builtin::import_files(b) {
        let list = js_sys::Array::new();
        for f in files {
            list.push(&named_bytes("name", &f.name, &f.bytes)?);
        }
        let entry = js_sys::Object::new();
        js_sys::Reflect::set(&entry, &"path".into(), &path.into())?;
        js_sys::Reflect::set(&entry, &"files".into(), &list)?;
        out.push(&entry);
    }
    Ok(out.into())
}

/// A record batch's records section compressed with Kafka's codec id
/// `codec` (1 gzip, 2 snappy, 3 lz4, 4 zstd), as the engine compresses
/// when the cleaner rewrites a compressed batch.
///
/// # Errors
///
/// Throws a `TypeError` for arguments of the wrong type, a `RangeError` for
/// a codec id outside 0-4 or more than [`MAX_FILE_BYTES`] bytes, or an
/// `Error` when the compressor fails (which it does not on memory).
#[wasm_bindgen(js_name = compressRecords)]
pub fn compress_records(
    #[wasm_bindgen(unchecked_param_type = "number")] codec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] records: JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    let codec = Arg("compressRecords", "codec").integer(&codec, 0, 4)? as u8;
    let records = Arg("compressRecords", "records").bytes(&records, MAX_FILE_BYTES)?;
    let packed = compression::compress(codec, &records)
        .ok_or_else(|| plain_error(&format!("the records could not be compressed with codec {codec}")))?;
    Ok(js_sys::Uint8Array::from(packed.as_slice()))
}

/// A records section compressed with `codec`, decompressed, reading at
/// most `limit` bytes (at most 64 MiB, the engine's bound per batch).
///
/// # Errors
///
/// Throws a `TypeError` for arguments of the wrong type, a `RangeError` for
/// out-of-range numbers, or an `Error` with the codec's complaint (a
/// corrupt stream, or more than `limit` bytes once decompressed).
#[wasm_bindgen(js_name = decompressRecords)]
pub fn decompress_records(
    #[wasm_bindgen(unchecked_param_type = "number")] codec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] data: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] limit: JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    let codec = Arg("decompressRecords", "codec").integer(&codec, 0, 255)? as u8;
    let data = Arg("decompressRecords", "data").bytes(&data, MAX_FILE_BYTES)?;
    let limit = Arg("decompressRecords", "limit").integer(&limit, 0, MAX_INFLATED_BYTES as i64)? as usize;
    let out = compression::decompress(codec, &data, limit).map_err(|e| plain_error(&e))?;
    Ok(js_sys::Uint8Array::from(out.as_slice()))
}
