//! Kafka's record compression (`CompressionType` and the streams of
//! `org.apache.kafka.common.compress`): a compressed v2 batch holds its
//! records, framed as in an uncompressed batch, as one stream of its codec
//! after the 61-byte header.
//!
//! Models the stream formats Kafka reads and writes: gzip (`GZIPInputStream`,
//! members may follow each other), snappy in snappy-java's framing
//! (`SnappyOutputStream`: a 16-byte header, then each block of at most
//! 32 KiB of input as a 4-byte length and a raw snappy block; a stream
//! without that header is one raw block), lz4 frames as
//! `Lz4BlockOutputStream` writes them (independent 64 KiB blocks, no
//! checksums), and zstd frames. Decoding is exact. Encoding uses pure-Rust
//! compressors (miniz_oxide at level 6 for gzip, Kafka's default; snap;
//! lz4_flex; ruzstd at its fastest level, about zstd's 1 where Kafka uses 3):
//! what they write decodes to the same records, but its bytes, and so the
//! batch's size, differ from what Kafka's compressors (zlib, snappy-java,
//! lz4-java at level 9, zstd-jni) would write. Only the cleaner encodes,
//! when it rewrites a compressed batch it keeps part of.
//!
//! Decompression is bounded ([`MAX_INFLATED_BYTES`] per batch), so that a
//! small hostile file cannot ask for unbounded memory.
//!
//! The codecs come with the `files` feature (on by default). The page is
//! built without it, to keep its first download small: it loads Kafka's
//! files support (the JavaScript API module, built with the feature) only
//! when a person imports, exports or dumps files, and hands that module's
//! codecs to [`provide_codecs`]. The same crates then run behind the same
//! functions, so a script gives the same bytes in the page as natively.
//! Until then every compressed stream is refused, and no compressed batch
//! can be stored (they come only from `import`, which is refused too).

#[cfg(feature = "files")]
use std::io::{Read, Write};
#[cfg(not(feature = "files"))]
use std::{cell::RefCell, rc::Rc};

/// The largest decompressed records section of one batch this reads: 64 MiB,
/// far above a batch Kafka accepts by default (`message.max.bytes`, 1 MiB
/// compressed) unless its records compress a hundredfold.
pub const MAX_INFLATED_BYTES: usize = 64 << 20;

/// Codec ids of attribute bits 0-2.
pub const NONE: u8 = 0;
pub const GZIP: u8 = 1;
pub const SNAPPY: u8 = 2;
pub const LZ4: u8 = 3;
pub const ZSTD: u8 = 4;

/// snappy-java's stream header: magic, then version 1 and compatible version 1.
#[cfg(feature = "files")]
const SNAPPY_MAGIC: &[u8; 8] = b"\x82SNAPPY\x00";
#[cfg(feature = "files")]
const SNAPPY_HEADER_LEN: usize = 16;
/// `SnappyOutputStream.DEFAULT_BLOCK_SIZE`.
#[cfg(feature = "files")]
const SNAPPY_BLOCK: usize = 32 * 1024;

/// Kafka's codecs supplied from outside the engine: the page's lazily
/// loaded files module. Its answers must be what [`decompress`] and
/// [`compress`] give with the `files` feature (it runs the same code).
pub trait Codecs {
    /// As [`decompress`], for a codec other than `NONE`.
    ///
    /// # Errors
    ///
    /// As [`decompress`].
    fn decompress(&self, codec: u8, data: &[u8], limit: usize) -> Result<Vec<u8>, String>;
    /// As [`compress`], for a codec other than `NONE`: `None` when it
    /// could not.
    fn compress(&self, codec: u8, records: &[u8]) -> Option<Vec<u8>>;
}

#[cfg(not(feature = "files"))]
thread_local! {
    // One per thread: the page's wasm has one thread, and a capability (not
    // a setting) belongs beside the functions that use it, not in every
    // broker that may meet a compressed batch.
    static PROVIDED: RefCell<Option<Rc<dyn Codecs>>> = const { RefCell::new(None) };
}

/// Gives the engine Kafka's codecs when it is built without them (the
/// page, once its files module has loaded); with the `files` feature the
/// engine has its own and ignores these.
pub fn provide_codecs(codecs: std::rc::Rc<dyn Codecs>) {
    #[cfg(not(feature = "files"))]
    PROVIDED.with(|p| *p.borrow_mut() = Some(codecs));
    #[cfg(feature = "files")]
    drop(codecs);
}

/// Whether compressed batches can be read and written: always with the
/// `files` feature, else once [`provide_codecs`] has run.
pub fn codecs_available() -> bool {
    #[cfg(feature = "files")]
    return true;
    #[cfg(not(feature = "files"))]
    PROVIDED.with(|p| p.borrow().is_some())
}

#[cfg(not(feature = "files"))]
fn provided() -> Option<Rc<dyn Codecs>> {
    PROVIDED.with(|p| p.borrow().clone())
}

/// Reads all of `reader`, failing beyond `limit` bytes.
#[cfg(feature = "files")]
fn read_bounded(reader: impl Read, limit: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let before = out.len();
    let mut r = reader.take((limit - before.min(limit)) as u64 + 1);
    r.read_to_end(out).map_err(|e| e.to_string())?;
    if out.len() > limit {
        return Err(too_big(limit));
    }
    Ok(())
}

fn too_big(limit: usize) -> String {
    format!("the records decompress to more than {limit} bytes")
}

/// The records section of a batch compressed with `codec`, decompressed.
///
/// # Errors
///
/// A codec id this does not know, a stream its codec cannot read, or more
/// than `limit` bytes once decompressed.
pub fn decompress(codec: u8, data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match codec {
        NONE => {
            if data.len() > limit {
                return Err(too_big(limit));
            }
            out.extend_from_slice(data);
        }
        #[cfg(not(feature = "files"))]
        GZIP | SNAPPY | LZ4 | ZSTD => {
            let Some(codecs) = provided() else {
                return Err(without_codecs(codec));
            };
            out = codecs.decompress(codec, data, limit)?;
            // Held to the bound whatever the provider does.
            if out.len() > limit {
                return Err(too_big(limit));
            }
        }
        #[cfg(feature = "files")]
        GZIP => read_bounded(flate2::read::MultiGzDecoder::new(data), limit, &mut out)?,
        #[cfg(feature = "files")]
        SNAPPY => unsnappy(data, limit, &mut out)?,
        #[cfg(feature = "files")]
        LZ4 => read_bounded(lz4_flex::frame::FrameDecoder::new(data), limit, &mut out)?,
        #[cfg(feature = "files")]
        ZSTD => {
            let mut rest = data;
            // One frame after another, as zstd's own decoder reads them.
            while !rest.is_empty() {
                let decoder = ruzstd::decoding::StreamingDecoder::new(&mut rest).map_err(|e| e.to_string())?;
                read_bounded(decoder, limit, &mut out)?;
            }
        }
        other => return Err(format!("Unknown compression type id: {other}")),
    }
    Ok(out)
}

/// Why a build without the `files` feature, and without codecs provided,
/// cannot read a compressed batch.
#[cfg(not(feature = "files"))]
fn without_codecs(codec: u8) -> String {
    let name = match codec {
        GZIP => "gzip",
        SNAPPY => "snappy",
        LZ4 => "lz4",
        _ => "zstd",
    };
    format!("compression type {name} needs the playground's files support, which is not loaded here")
}

/// snappy-java's `SnappyInputStream`: its framing when the header is there
/// (again at the start of any chunk, for concatenated streams), else one
/// raw block.
#[cfg(feature = "files")]
fn unsnappy(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), String> {
    let mut decoder = snap::raw::Decoder::new();
    let mut raw_block = |block: &[u8], out: &mut Vec<u8>| -> Result<(), String> {
        let len = snap::raw::decompress_len(block).map_err(|e| e.to_string())?;
        if out.len().saturating_add(len) > limit {
            return Err(too_big(limit));
        }
        let start = out.len();
        out.resize(start + len, 0);
        decoder
            .decompress(block, &mut out[start..])
            .map_err(|e| e.to_string())?;
        Ok(())
    };
    if !data.starts_with(SNAPPY_MAGIC) {
        return raw_block(data, out);
    }
    let mut pos = 0;
    while pos < data.len() {
        if data[pos..].starts_with(SNAPPY_MAGIC) {
            if data.len() - pos < SNAPPY_HEADER_LEN {
                return Err("the snappy stream ends inside its header".into());
            }
            pos += SNAPPY_HEADER_LEN;
            continue;
        }
        let Some(len) = data.get(pos..pos + 4) else {
            return Err(format!("the snappy stream ends inside a chunk length at byte {pos}"));
        };
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        pos += 4;
        let Some(block) = data.get(pos..pos.saturating_add(len)) else {
            return Err(format!(
                "the snappy chunk of {len} bytes at byte {} is cut short",
                pos - 4
            ));
        };
        raw_block(block, out)?;
        pos += len;
    }
    Ok(())
}

/// `records` compressed with `codec` (see the module doc for how the bytes
/// differ from Kafka's), or `None` when they cannot be: an unknown codec
/// (which no stored batch can have once read), a build without the codecs
/// and none provided (where no stored batch is compressed), or a
/// compressor that failed (none of these do on a `Vec`). The caller then
/// stores the records uncompressed.
pub fn compress(codec: u8, records: &[u8]) -> Option<Vec<u8>> {
    match codec {
        NONE => Some(records.to_vec()),
        #[cfg(not(feature = "files"))]
        GZIP | SNAPPY | LZ4 | ZSTD => provided()?.compress(codec, records),
        #[cfg(feature = "files")]
        GZIP => {
            // Java's GZIPOutputStream header: no mtime, no name, OS 0.
            let mut e = flate2::GzBuilder::new()
                .operating_system(0)
                .write(Vec::new(), flate2::Compression::new(6));
            e.write_all(records).ok()?;
            e.finish().ok()
        }
        #[cfg(feature = "files")]
        SNAPPY => {
            let mut out = Vec::with_capacity(SNAPPY_HEADER_LEN + records.len() / 2);
            out.extend_from_slice(SNAPPY_MAGIC);
            out.extend_from_slice(&1i32.to_be_bytes());
            out.extend_from_slice(&1i32.to_be_bytes());
            let mut encoder = snap::raw::Encoder::new();
            for chunk in records.chunks(SNAPPY_BLOCK) {
                let block = encoder.compress_vec(chunk).ok()?;
                out.extend_from_slice(&(block.len() as u32).to_be_bytes());
                out.extend_from_slice(&block);
            }
            Some(out)
        }
        #[cfg(feature = "files")]
        LZ4 => {
            let info = lz4_flex::frame::FrameInfo::new()
                .block_size(lz4_flex::frame::BlockSize::Max64KB)
                .block_mode(lz4_flex::frame::BlockMode::Independent);
            let mut e = lz4_flex::frame::FrameEncoder::with_frame_info(info, Vec::new());
            e.write_all(records).ok()?;
            e.finish().ok()
        }
        #[cfg(feature = "files")]
        ZSTD => Some(ruzstd::encoding::compress_to_vec(
            records,
            ruzstd::encoding::CompressionLevel::Fastest,
        )),
        _ => None,
    }
}

#[cfg(all(test, feature = "files"))]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        (0..100_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect()
    }

    #[test]
    fn every_codec_reads_back_what_it_wrote() {
        let data = sample();
        for codec in [GZIP, SNAPPY, LZ4, ZSTD] {
            let packed = compress(codec, &data).unwrap();
            assert!(packed.len() < data.len(), "codec {codec}");
            assert_eq!(
                decompress(codec, &packed, MAX_INFLATED_BYTES).unwrap(),
                data,
                "codec {codec}"
            );
            assert_eq!(
                decompress(codec, &compress(codec, &[]).unwrap(), 10).unwrap(),
                Vec::<u8>::new()
            );
        }
    }

    #[test]
    fn gzip_has_javas_header_and_snappy_its_framing() {
        let gz = compress(GZIP, b"abc").unwrap();
        assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0]);
        let sn = compress(SNAPPY, &sample()).unwrap();
        assert_eq!(&sn[..16], b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01");
        // A raw block (no framing) is read too.
        let raw = snap::raw::Encoder::new().compress_vec(b"hello").unwrap();
        assert_eq!(decompress(SNAPPY, &raw, 100).unwrap(), b"hello");
        let lz = compress(LZ4, b"abc").unwrap();
        // LZ4 frame magic, FLG 0x60 (v1, independent blocks), BD 0x40 (64 KiB).
        assert_eq!(&lz[..6], &[0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
    }

    #[test]
    fn bombs_and_garbage_are_errors_not_panics() {
        let data = sample();
        for codec in [GZIP, SNAPPY, LZ4, ZSTD] {
            let packed = compress(codec, &data).unwrap();
            assert!(decompress(codec, &packed, 1000)
                .unwrap_err()
                .contains("more than 1000 bytes"));
            for cut in [0, 1, 5, 17, packed.len() / 2, packed.len() - 1] {
                let _ = decompress(codec, &packed[..cut], MAX_INFLATED_BYTES);
            }
            let mut flipped = packed.clone();
            for i in (0..flipped.len()).step_by(7) {
                flipped[i] ^= 0x5a;
            }
            let _ = decompress(codec, &flipped, MAX_INFLATED_BYTES);
        }
        assert!(decompress(7, b"", 10)
            .unwrap_err()
            .contains("Unknown compression type id: 7"));
    }
}

#[cfg(all(test, not(feature = "files")))]
mod without_files {
    use super::*;

    #[test]
    fn every_codec_is_refused_and_nothing_is_compressed() {
        for (codec, name) in [(GZIP, "gzip"), (SNAPPY, "snappy"), (LZ4, "lz4"), (ZSTD, "zstd")] {
            assert_eq!(
                decompress(codec, b"\x1f\x8b", MAX_INFLATED_BYTES).unwrap_err(),
                format!("compression type {name} needs the playground's files support, which is not loaded here")
            );
            assert_eq!(compress(codec, b"abc"), None);
        }
        assert_eq!(decompress(NONE, b"abc", 3).unwrap(), b"abc");
    }

    #[test]
    fn a_batch_that_cannot_be_compressed_is_stored_as_it_is() {
        // No codecs here: the batch keeps its bytes and its codec bits (0),
        // never a gzip flag over raw records.
        let plain: Vec<u8> = (0..90u8).collect();
        let mut buf = Vec::new();
        crate::batch::builder::compress_into(&mut buf, &plain, GZIP);
        assert_eq!(buf, plain);
    }

    /// A stand-in codec: "compresses" by reversing the bytes.
    struct Reversed;
    impl Codecs for Reversed {
        fn decompress(&self, _: u8, data: &[u8], _: usize) -> Result<Vec<u8>, String> {
            Ok(data.iter().rev().copied().collect())
        }
        fn compress(&self, _: u8, records: &[u8]) -> Option<Vec<u8>> {
            Some(records.iter().rev().copied().collect())
        }
    }

    #[test]
    fn provided_codecs_are_used_and_held_to_the_bound() {
        // On a thread of its own, so that the test above never sees it.
        std::thread::spawn(|| {
            assert!(!codecs_available());
            provide_codecs(Rc::new(Reversed));
            assert!(codecs_available());
            assert_eq!(compress(GZIP, b"abc").unwrap(), b"cba");
            assert_eq!(decompress(ZSTD, b"cba", 3).unwrap(), b"abc");
            assert!(decompress(ZSTD, b"cba", 2).unwrap_err().contains("more than 2 bytes"));
            assert_eq!(compress(NONE, b"abc").unwrap(), b"abc");
        })
        .join()
        .unwrap();
    }
}
