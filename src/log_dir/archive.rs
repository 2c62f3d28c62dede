//! A log directory as one file: a POSIX tar archive (ustar, with pax
//! `path` records for long names), what the page downloads for an export and
//! reads back for an import (`tar -xf` on any system unpacks it as
//! `log.dirs`).
//!
//! Models the ustar format of POSIX.1-2001 `pax`: 512-byte headers and
//! data padded to 512 bytes, two zero blocks at the end. Written entries
//! are regular files only, mode 0644, owner 0, all with one modification
//! time (the session's clock), so the same session gives the same bytes.
//! Read back: regular files (types `0` and NUL), with names from a pax `x`
//! record's `path`, a GNU `L` long name, or the ustar prefix and name;
//! directories, links and other pax records are skipped.
//!
//! Simplified: no sparse files, no global pax records (`g`, skipped), and
//! no checks beyond the header checksum, sizes and bounds, which is all an
//! import needs: the segment files inside are checked on their own.

use std::fmt::Write as _;

const BLOCK: usize = 512;
/// The ustar `name` and `prefix` fields.
const NAME_LEN: usize = 100;
const PREFIX_LEN: usize = 155;

/// The most entries one archive may hold when read: a log directory of the
/// playground's largest session has far fewer files.
pub const MAX_ENTRIES: usize = 100_000;

/// `entries` (path, bytes) as a tar archive, each file with modification
/// time `mtime_s` (seconds since the epoch).
pub fn write<'a>(entries: impl IntoIterator<Item = (&'a str, &'a [u8])>, mtime_s: i64) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, data) in entries {
        let (prefix, name) = split_ustar(path).unwrap_or_else(|| {
            // Too long for ustar's fields: a pax record carries the path;
            // the header keeps a truncated name for old readers.
            let record = pax_record("path", path);
            header(&mut out, "", "././@PaxHeader", record.len() as u64, mtime_s, b'x');
            data_blocks(&mut out, record.as_bytes());
            ("", truncate(path, NAME_LEN))
        });
        header(&mut out, prefix, name, data.len() as u64, mtime_s, b'0');
        data_blocks(&mut out, data);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

/// Splits `path` into ustar's prefix and name, if it fits.
fn split_ustar(path: &str) -> Option<(&str, &str)> {
    if path.len() <= NAME_LEN {
        return Some(("", path));
    }
    // The prefix ends at a '/', which the split drops.
    path.match_indices('/')
        .map(|(i, _)| (&path[..i], &path[i + 1..]))
        .find(|(prefix, name)| prefix.len() <= PREFIX_LEN && name.len() <= NAME_LEN && !name.is_empty())
}

/// The longest prefix of `s` within `max` bytes, cut at a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A pax record, `"<len> <key>=<value>\n"`, whose length counts itself.
fn pax_record(key: &str, value: &str) -> String {
    let body = key.len() + value.len() + 3; // ' ', '=', '\n'
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    format!("{len} {key}={value}\n")
}

fn header(out: &mut Vec<u8>, prefix: &str, name: &str, size: u64, mtime_s: i64, kind: u8) {
    let mut h = [0u8; BLOCK];
    let mut field = |at: usize, len: usize, bytes: &[u8]| {
        h[at..at + bytes.len().min(len)].copy_from_slice(&bytes[..bytes.len().min(len)])
    };
    field(0, NAME_LEN, name.as_bytes());
    field(100, 8, b"0000644\0");
    field(108, 8, b"0000000\0");
    field(116, 8, b"0000000\0");
    field(124, 12, octal(size, 11).as_bytes());
    field(136, 12, octal(mtime_s.max(0) as u64, 11).as_bytes());
    field(148, 8, b"        ");
    field(156, 1, &[kind]);
    field(257, 6, b"ustar\0");
    field(263, 2, b"00");
    field(345, PREFIX_LEN, prefix.as_bytes());
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&h);
}

/// `n` in `digits` octal digits and a NUL (sizes to 8 GiB, times to 2242).
fn octal(n: u64, digits: usize) -> String {
    let mut s = String::new();
    let _ = write!(s, "{n:0digits$o}");
    s.push('\0');
    s
}

fn data_blocks(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(data);
    out.resize(out.len().next_multiple_of(BLOCK), 0);
}

/// A file read from an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The regular files of a tar archive, in their order, holding at most
/// `max_bytes` of file data in all.
///
/// # Errors
///
/// Why the archive cannot be read, naming the byte position: a header
/// whose checksum does not match (not a tar archive, or a corrupt one), a
/// file cut short, a size field that is not a number, more than
/// [`MAX_ENTRIES`] files or `max_bytes` of data, or a name that is not UTF-8.
pub fn read(archive: &[u8], max_bytes: u64) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    let mut held = 0u64;
    let mut pos = 0usize;
    // A name for the next file, from a pax record or a GNU long name.
    let mut long_name: Option<String> = None;
    while pos + BLOCK <= archive.len() {
        let h = &archive[pos..pos + BLOCK];
        if h.iter().all(|&b| b == 0) {
            // The end of the archive (two zero blocks; one is accepted).
            return Ok(entries);
        }
        check_sum(h).map_err(|e| format!("{e} at byte {pos}"))?;
        let size = parse_octal(&h[124..136]).ok_or_else(|| format!("a tar header with a bad size at byte {pos}"))?;
        let data_at = pos + BLOCK;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| data_at.checked_add(s))
            .filter(|&e| e <= archive.len())
            .ok_or_else(|| format!("the archive is cut short: a file of {size} bytes at byte {data_at}"))?;
        let data = &archive[data_at..end];
        let kind = h[156];
        match kind {
            b'0' | 0 => {
                let path = match long_name.take() {
                    Some(p) => p,
                    None => {
                        let name = text(&h[0..NAME_LEN], pos)?;
                        let prefix = text(&h[345..345 + PREFIX_LEN], pos)?;
                        if prefix.is_empty() {
                            name
                        } else {
                            format!("{prefix}/{name}")
                        }
                    }
                };
                if entries.len() == MAX_ENTRIES {
                    return Err(format!("the archive holds more than {MAX_ENTRIES} files"));
                }
                held = held.saturating_add(size);
                if held > max_bytes {
                    return Err(format!("the archive's files hold more than {max_bytes} bytes"));
                }
                entries.push(Entry {
                    path,
                    bytes: data.to_vec(),
                });
            }
            b'x' => {
                long_name = pax_path(data)
                    .map_err(|e| format!("{e} at byte {data_at}"))?
                    .or(long_name)
            }
            b'L' => long_name = Some(text(data, data_at)?),
            // Directories, links, global pax records and the rest.
            _ => {}
        }
        pos = data_at + (end - data_at).next_multiple_of(BLOCK);
    }
    if pos == archive.len() && !entries.is_empty() {
        // No end-of-archive blocks: accepted, as GNU tar accepts it.
        return Ok(entries);
    }
    Err(format!("not a tar archive, or cut short at byte {pos}"))
}

fn check_sum(h: &[u8]) -> Result<(), String> {
    let stored = parse_octal(&h[148..156]).ok_or("not a tar archive (no header checksum)")?;
    let sum: u64 = h
        .iter()
        .enumerate()
        .map(|(i, &b)| u64::from(if (148..156).contains(&i) { b' ' } else { b }))
        .sum();
    if sum == stored {
        Ok(())
    } else {
        Err("not a tar archive, or a corrupt one (a header's checksum does not match)".to_string())
    }
}

/// An octal field: digits, optionally led by spaces and ended by NUL or space.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(|&b| b != 0 && b != b' ')
        .collect();
    if digits.is_empty() || digits.len() > 21 {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        (b'0'..=b'7').contains(&d).then(|| n * 8 + u64::from(d - b'0'))
    })
}

/// A NUL-terminated text field.
fn text(field: &[u8], pos: usize) -> Result<String, String> {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8(field[..end].to_vec()).map_err(|_| format!("a file name that is not UTF-8 at byte {pos}"))
}

/// The `path` of a pax extended header, if it has one.
fn pax_path(data: &[u8]) -> Result<Option<String>, String> {
    let mut rest = data;
    let mut path = None;
    while !rest.is_empty() && rest[0] != 0 {
        let space = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or("a pax record without a length")?;
        let len: usize = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|&l| l > space + 1 && l <= rest.len())
            .ok_or("a pax record with a bad length")?;
        let record = &rest[space + 1..len - 1];
        if let Some(value) = record.strip_prefix(b"path=") {
            path = Some(String::from_utf8(value.to_vec()).map_err(|_| "a pax path that is not UTF-8")?);
        }
        rest = &rest[len..];
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("t-0/00000000000000000000.log".into(), vec![7u8; 1000]),
            ("t-0/00000000000000000000.index".into(), Vec::new()),
            ("cleaner-offset-checkpoint".into(), b"0\n1\nt 0 5\n".to_vec()),
            // A topic name near Kafka's 249-character limit needs pax.
            (
                format!("{}-0/00000000000000000042.timeindex", "x".repeat(249)),
                vec![1, 2, 3],
            ),
            // A path that fits ustar only with its prefix.
            (format!("{}-1/00000000000000000000.log", "y".repeat(120)), vec![9; 512]),
        ]
    }

    fn archive() -> Vec<u8> {
        let f = files();
        write(f.iter().map(|(p, b)| (p.as_str(), b.as_slice())), 1_704_067_200)
    }

    #[test]
    fn what_is_written_reads_back_in_order() {
        let a = archive();
        assert_eq!(a.len() % BLOCK, 0);
        let back = read(&a, u64::MAX).unwrap();
        let want: Vec<Entry> = files().into_iter().map(|(path, bytes)| Entry { path, bytes }).collect();
        assert_eq!(back, want);
        // The same session gives the same bytes.
        assert_eq!(a, archive());
    }

    #[test]
    fn headers_are_ustar_with_valid_checksums() {
        let a = archive();
        assert_eq!(&a[257..263], b"ustar\0");
        assert_eq!(&a[0..28], b"t-0/00000000000000000000.log");
        assert_eq!(&a[124..136], b"00000001750\0");
        check_sum(&a[..BLOCK]).unwrap();
        assert_eq!(pax_record("path", "ab"), "11 path=ab\n");
        // Where the length gains a digit: 99 bytes without it, so 102 with.
        let r = pax_record("path", &"a".repeat(92));
        assert_eq!((r.len(), &r[..4]), (102, "102 "));
    }

    #[test]
    fn bad_archives_are_refused_with_the_byte_position() {
        let a = archive();
        assert!(read(b"hello", u64::MAX).unwrap_err().contains("not a tar archive"));
        assert!(read(&[1u8; 1024], u64::MAX).unwrap_err().contains("at byte 0"));
        let mut flipped = a.clone();
        flipped[1536 + 1] ^= 1; // the second header (after 1000 bytes of data)
        assert!(
            read(&flipped, u64::MAX).unwrap_err().contains("at byte 1536"),
            "{:?}",
            read(&flipped, u64::MAX)
        );
        let cut = &a[..BLOCK + 100];
        assert_eq!(
            read(cut, u64::MAX).unwrap_err(),
            "the archive is cut short: a file of 1000 bytes at byte 512"
        );
        assert!(read(&a, 1500).unwrap_err().contains("more than 1500 bytes"));
        for n in (0..a.len()).step_by(97) {
            let _ = read(&a[..n], u64::MAX);
        }
    }
}
