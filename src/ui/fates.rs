//! What became of each record of a partition across one cleaning: kept
//! (copied into the cleaned segments, as Kafka's `Cleaner.cleanInto` does
//! for the latest record of each key and for tombstones still within
//! `delete.retention.ms`) or removed (a run of offsets that now holds no
//! record). The cleaner panel's before/after view draws this list.
//!
//! Pure data from the [`CleanCompare`] the session keeps, so it is tested
//! natively; only the first few hundred records of the "before" log are
//! followed, so a log of any size stays cheap to draw.

use std::collections::HashSet;

use super::log_window::{preview, Cell, Region};
use super::session::CleanCompare;

/// Distinct keys named per removed run at most.
const KEYS_PER_RUN: usize = 6;

/// A kept record of the "before" log, or a run of removed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Drawn as it is after the cleaning (region and delete horizon).
    Kept(Cell),
    Removed {
        from: i64,
        to: i64,
        count: u64,
        /// The first few distinct keys removed (`null` for a null key).
        keys: Vec<String>,
    },
}

/// The fates of the first records of the "before" log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fates {
    pub items: Vec<Fate>,
    /// Records of the "before" log they cover.
    pub shown: u64,
}

/// What became of the first `max` records of the cleaned partition.
pub fn fates(c: &CleanCompare, max: usize) -> Fates {
    let kept: HashSet<i64> = c.after.records().map(|(_, r)| r.offset).collect();
    let mut items: Vec<Fate> = Vec::new();
    for (b, r) in c.before.records().take(max) {
        if kept.contains(&r.offset) {
            // The horizon the cleaning stamped, on the batch it was copied into.
            let after_horizon = c
                .after
                .segment_index_for(r.offset)
                .and_then(|i| c.after.segments()[i].batches_from(r.offset).first())
                .and_then(|ab| ab.delete_horizon_ms());
            let region = if r.offset < c.first_dirty_after {
                Region::Clean
            } else {
                Region::Uncleanable
            };
            items.push(Fate::Kept(Cell {
                delete_horizon_ms: after_horizon,
                ..Cell::of(b, &r, region, 60, 60)
            }));
        } else {
            let k = r.key.map(|k| preview(k, 24).text).unwrap_or_else(|| "null".into());
            match items.last_mut() {
                Some(Fate::Removed { to, count, keys, .. }) => {
                    *to = r.offset;
                    *count += 1;
                    if keys.len() < KEYS_PER_RUN && !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                _ => items.push(Fate::Removed {
                    from: r.offset,
                    to: r.offset,
                    count: 1,
                    keys: vec![k],
                }),
            }
        }
    }
    let shown = items
        .iter()
        .map(|f| if let Fate::Removed { count, .. } = f { *count } else { 1 })
        .sum();
    Fates { items, shown }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::session::Session;

    fn cleaned(script: &str) -> std::rc::Rc<CleanCompare> {
        let mut s = Session::default();
        assert_eq!(s.load(script), Ok(()));
        s.last_clean.unwrap_or_else(|| panic!("a cleaning"))
    }

    fn kept(f: &Fates) -> Vec<i64> {
        f.items
            .iter()
            .filter_map(|f| if let Fate::Kept(c) = f { Some(c.offset) } else { None })
            .collect()
    }

    #[test]
    fn superseded_records_become_removed_runs() {
        let c = cleaned("topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\nproduce t a:3\nproduce t b:1\nproduce t a:4\nroll t\nproduce t c:1\nclean t/0");
        let f = fates(&c, 300);
        assert_eq!(
            f.items.first(),
            Some(&Fate::Removed {
                from: 0,
                to: 2,
                count: 3,
                keys: vec!["a".into()]
            })
        );
        assert_eq!(kept(&f), vec![3, 4, 5]);
        assert_eq!(f.shown, 6);
        let regions: Vec<Region> = f
            .items
            .iter()
            .filter_map(|f| if let Fate::Kept(c) = f { Some(c.region) } else { None })
            .collect();
        assert_eq!(regions, vec![Region::Clean, Region::Clean, Region::Uncleanable]);
    }

    #[test]
    fn kept_tombstones_carry_the_stamped_horizon() {
        let c =
            cleaned("topic t cleanup.policy=compact\nproduce t a:1\ntombstone t a\nproduce t b:1\nroll t\nclean t/0");
        let f = fates(&c, 300);
        let tomb = f.items.iter().find_map(|f| match f {
            Fate::Kept(c) if c.value.is_none() => Some(c.clone()),
            _ => None,
        });
        let tomb = tomb.unwrap_or_else(|| panic!("the tombstone is kept: {:?}", f.items));
        assert_eq!(tomb.offset, 1);
        assert!(tomb.delete_horizon_ms.is_some());
    }

    #[test]
    fn only_the_first_records_are_followed() {
        let c = cleaned(
            "topic t cleanup.policy=compact segment.bytes=4096\ngenerate t count=500 keys=5\nroll t\nclean t/0",
        );
        let f = fates(&c, 100);
        assert_eq!(f.shown, 100);
    }
}
