//! Share links: a scenario script in a URL fragment.
//!
//! Two forms, as embeddable playgrounds use them: the readable
//! `#script=<percent-encoded text>` for short scripts, and the compressed,
//! versioned `#z=v1.<base64url(raw deflate(text))>` for long ones. Decoding
//! only ever yields text (the caller parses it as a scenario, which never
//! executes anything else), and it rejects malformed or oversized input with
//! a clear message before doing any work proportional to a bomb's size.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The longest script a link may carry once decoded (256 KiB).
pub const MAX_SCRIPT_BYTES: usize = 256 * 1024;
/// The longest fragment accepted (a browser keeps far longer URLs, but a
/// script this size is no longer a link).
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;
/// Scripts up to this length are shared in the readable form.
pub const READABLE_LIMIT: usize = 1500;

/// Why a fragment could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShareError {}

/// The fragment (without `#`) for a script: readable when short, else
/// compressed.
pub fn encode(script: &str) -> String {
    let readable = format!("script={}", percent_encode(script));
    if readable.len() <= READABLE_LIMIT {
        readable
    } else {
        encode_compressed(script)
    }
}

/// `z=v1.<base64url(raw deflate)>`, whatever the length.
pub fn encode_compressed(script: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(script.as_bytes(), 9);
    format!("z=v1.{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// Reads the script out of a fragment (with or without the leading `#`).
/// `Ok(None)`: the fragment carries no script (some other fragment).
///
/// # Errors
///
/// A [`ShareError`] saying why the link cannot be read, before any work
/// proportional to its size: a fragment over [`MAX_FRAGMENT_BYTES`] (`the
/// link is too long ...`), a script over [`MAX_SCRIPT_BYTES`] once decoded,
/// a `z=` form other than `v1` (`this link was made by another version of
/// the playground ...`), or damaged data (`the link is damaged: ...`: a bad
/// `%` escape, invalid base64url, data that does not inflate, or a script
/// that is not UTF-8).
pub fn decode(fragment: &str) -> Result<Option<String>, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_BYTES {
        return Err(ShareError(format!(
            "the link is too long ({} bytes; at most {MAX_FRAGMENT_BYTES})",
            fragment.len()
        )));
    }
    // Other parameters may follow: take the first script= or z= one.
    for part in fragment.split('&') {
        if let Some(text) = part.strip_prefix("script=") {
            let script = percent_decode(text)?;
            return check_size(script).map(Some);
        }
        if let Some(payload) = part.strip_prefix("z=") {
            return decode_compressed(payload).map(Some);
        }
    }
    Ok(None)
}

fn decode_compressed(payload: &str) -> Result<String, ShareError> {
    let Some(data) = payload.strip_prefix("v1.") else {
        let version = payload.split('.').next().unwrap_or("");
        return Err(ShareError(format!(
            "this link was made by another version of the playground (format '{version}'); this one reads v1"
        )));
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| ShareError("the link is damaged: its data is not valid base64url".into()))?;
    // Stop inflating past the limit: a deflate bomb costs at most this much.
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_SCRIPT_BYTES).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            ShareError(format!(
                "the script in the link is larger than {MAX_SCRIPT_BYTES} bytes"
            ))
        } else {
            ShareError("the link is damaged: its data does not decompress".into())
        }
    })?;
    let script =
        String::from_utf8(inflated).map_err(|_| ShareError("the link is damaged: the script is not UTF-8".into()))?;
    check_size(script)
}

fn check_size(script: String) -> Result<String, ShareError> {
    if script.len() > MAX_SCRIPT_BYTES {
        return Err(ShareError(format!(
            "the script in the link is larger than {MAX_SCRIPT_BYTES} bytes"
        )));
    }
    Ok(script)
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so the
/// fragment survives any page, any copy and paste.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space, as forms write it).
///
/// # Errors
///
/// A [`ShareError`]: `the link is damaged: bad escape at character N` for a
/// `%` not followed by two hex digits, or `the link is damaged: the script
/// is not UTF-8` when the decoded bytes are not UTF-8.
pub fn percent_decode(s: &str) -> Result<String, ShareError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let value = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(v) = value else {
                    return Err(ShareError(format!(
                        "the link is damaged: bad escape at character {}",
                        i + 1
                    )));
                };
                out.push(v);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| ShareError("the link is damaged: the script is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str =
        "topic t cleanup.policy=compact\nproduce t user-1:{\"name\": \"Zoë\", \"tags\": [1, 2]}\ntombstone t a&b=c#d\n";

    #[test]
    fn short_scripts_round_trip_in_the_readable_form() {
        let f = encode(SCRIPT);
        assert!(f.starts_with("script="));
        assert!(!f.contains(['\n', ' ', '#', '&']));
        assert_eq!(decode(&f).unwrap().as_deref(), Some(SCRIPT));
        assert_eq!(decode(&format!("#{f}")).unwrap().as_deref(), Some(SCRIPT));
    }

    #[test]
    fn long_scripts_round_trip_compressed_and_shorter() {
        let long: String = (0..400)
            .map(|i| format!("produce t key-{}:value number {i}\n", i % 7))
            .collect();
        let f = encode(&long);
        assert!(f.starts_with("z=v1."));
        assert!(f.len() < long.len() / 3, "{} vs {}", f.len(), long.len());
        assert_eq!(decode(&f).unwrap().as_deref(), Some(long.as_str()));
        assert_eq!(decode(&encode_compressed(SCRIPT)).unwrap().as_deref(), Some(SCRIPT));
    }

    #[test]
    fn browsers_form_encoding_is_read_too() {
        assert_eq!(
            decode("script=produce+t+a%3Ab").unwrap().as_deref(),
            Some("produce t a:b")
        );
        assert_eq!(decode("view=log&script=clean").unwrap().as_deref(), Some("clean"));
        assert_eq!(decode("section-2").unwrap(), None);
    }

    #[test]
    fn malformed_links_are_rejected_with_a_message() {
        for (bad, expected) in [
            ("script=%E2%28%A1", "not UTF-8"),
            ("script=%4", "bad escape"),
            ("script=%zz", "bad escape"),
            ("z=v1.!!!!", "not valid base64url"),
            ("z=v1.AAAA", "does not decompress"),
            ("z=v2.AAAA", "another version"),
            ("z=hello", "another version"),
        ] {
            let err = decode(bad).unwrap_err().to_string();
            assert!(err.contains(expected), "{bad}: {err}");
        }
    }

    #[test]
    fn oversized_and_bomb_links_are_refused() {
        let huge = "a".repeat(MAX_SCRIPT_BYTES + 1);
        let err = decode(&encode_compressed(&huge)).unwrap_err().to_string();
        assert!(err.contains("larger than"), "{err}");
        let long_fragment = format!("script={}", "a".repeat(MAX_FRAGMENT_BYTES));
        assert!(decode(&long_fragment).unwrap_err().to_string().contains("too long"));
        let readable = format!("script={}", "a".repeat(MAX_SCRIPT_BYTES + 1));
        assert!(decode(&readable).is_err());
    }
}
