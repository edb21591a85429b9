//! Turns a burst of file events into one rebuild.
//!
//! Editors save in several steps (write a temporary file, rename it over
//! the original, touch the folder) and `git checkout` changes hundreds of
//! files at once. The [`Debouncer`] gathers changes until the file system
//! has been quiet for a short while (or a burst has lasted too long) and
//! then releases them together, each path once. When the last change ended
//! a save (the file closed after writing, or moved into place) the quiet
//! it waits for is shorter: nothing more of that save is coming, only the
//! rest of a burst already under way. It holds no clock: callers pass the
//! time in, so the logic is tested without sleeping.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::classify::Change;

/// Gathers changes and says when to rebuild.
#[derive(Debug)]
pub struct Debouncer {
    quiet: Duration,
    quiet_after_save: Duration,
    longest: Duration,
    pending: BTreeSet<Change>,
    first: Option<Instant>,
    /// When the last change was seen, and whether it ended a save.
    last: Option<(Instant, bool)>,
}

impl Debouncer {
    /// Releases changes after `quiet` without events (`quiet_after_save`
    /// when the last one ended a save), or `longest` after the first event
    /// of a burst that never goes quiet.
    pub fn new(quiet: Duration, quiet_after_save: Duration, longest: Duration) -> Self {
        Self {
            quiet,
            quiet_after_save,
            longest,
            pending: BTreeSet::new(),
            first: None,
            last: None,
        }
    }

    /// Records a change seen at `now`; `ends_a_save` when the file was
    /// closed after writing, moved into place or removed.
    pub fn push(&mut self, change: Change, ends_a_save: bool, now: Instant) {
        self.pending.insert(change);
        self.first.get_or_insert(now);
        self.last = Some((now, ends_a_save));
    }

    /// How long to wait from `now` before [`Debouncer::take`] may release
    /// something; `None` when nothing is pending.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        let (first, (last, ended_a_save)) = (self.first?, self.last?);
        let quiet = if ended_a_save {
            self.quiet_after_save
        } else {
            self.quiet
        };
        let due = (last + quiet).min(first + self.longest);
        Some(due.saturating_duration_since(now))
    }

    /// The gathered changes, if it is time to rebuild.
    pub fn take(&mut self, now: Instant) -> Option<Vec<Change>> {
        if self.wait(now)? > Duration::ZERO {
            return None;
        }
        self.first = None;
        self.last = None;
        Some(std::mem::take(&mut self.pending).into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(path: &str) -> Change {
        Change::Content(path.to_string())
    }

    /// Quiet after 30 ms, or 3 ms after a finished save; never later than
    /// `longest` after a burst began.
    fn debouncer(longest: Duration) -> Debouncer {
        Debouncer::new(Duration::from_millis(30), Duration::from_millis(3), longest)
    }

    #[test]
    fn a_burst_is_released_once_after_it_goes_quiet() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let mut debouncer = debouncer(Duration::from_millis(500));
        assert_eq!(debouncer.wait(start), None);
        debouncer.push(content("content/a.md"), false, ms(0));
        debouncer.push(content("content/.a.md.tmp"), false, ms(5));
        debouncer.push(content("content/a.md"), false, ms(10));
        assert_eq!(debouncer.take(ms(20)), None, "still busy");
        assert_eq!(debouncer.wait(ms(20)), Some(Duration::from_millis(20)));
        let released = debouncer.take(ms(40)).unwrap();
        assert_eq!(released, [content("content/.a.md.tmp"), content("content/a.md")]);
        assert_eq!(debouncer.take(ms(100)), None, "nothing left");
    }

    #[test]
    fn a_burst_that_never_ends_is_released_at_the_longest_wait() {
        let start = Instant::now();
        let mut debouncer = debouncer(Duration::from_millis(100));
        let mut released = Vec::new();
        for n in 0..2000u64 {
            let now = start + Duration::from_millis(n / 10);
            debouncer.push(content(&format!("content/e{n}.md")), n % 2 == 1, now);
            if let Some(batch) = debouncer.take(now) {
                released.push(batch.len());
            }
        }
        if let Some(batch) = debouncer.take(start + Duration::from_secs(10)) {
            released.push(batch.len());
        }
        assert_eq!(released.iter().sum::<usize>(), 2000, "every change is released");
        assert_eq!(
            released.len(),
            2,
            "2,000 changes over 200 ms make two rebuilds: {released:?}"
        );
    }

    #[test]
    fn a_finished_save_waits_only_for_the_rest_of_its_burst() {
        let start = Instant::now();
        let ms = |n| start + Duration::from_millis(n);
        let mut debouncer = debouncer(Duration::from_millis(500));
        // Written, then closed: the save is over.
        debouncer.push(content("content/a.md"), false, ms(0));
        debouncer.push(content("content/a.md"), true, ms(1));
        assert_eq!(debouncer.wait(ms(1)), Some(Duration::from_millis(3)));
        // Another file of the same burst, still being written: the long
        // quiet again.
        debouncer.push(content("content/b.md"), false, ms(2));
        assert_eq!(debouncer.take(ms(10)), None, "b.md may have more to come");
        debouncer.push(content("content/b.md"), true, ms(12));
        assert_eq!(debouncer.take(ms(14)), None, "the rest of the burst may follow");
        let released = debouncer.take(ms(15)).unwrap();
        assert_eq!(released, [content("content/a.md"), content("content/b.md")]);
    }
}
