//! One render at a time per page address, shared by every reader waiting for it. While a busy
//! story's conversation changes many times a second, its cached page is dropped as often, and
//! without this each of the readers who then ask would render it at once.
//!
//! A reader may use a render unless pages were dropped between its start and their arrival
//! (the page cache's `generation` moved): a comment is acknowledged only after its story's
//! pages are dropped, so such a render holds every comment acknowledged before they asked.
//! Readers arriving while a render runs take it, unless a write came in between; then they
//! take the next. (Readers once took only a render that began after they arrived: under 500
//! comments a second each waited for the render running and the one after it, and the page
//! was rendered back to back, far more often than it changed.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Past this many addresses, those no reader is waiting on are forgotten. (When each kept its
/// last page, reads spread over a large archive held some 200 MB of old pages here at 10,000;
/// now a page stays only while readers wait for it, see `waited_on`.)
const MAX_FLIGHTS: usize = 256;

/// The last render of one address: the page cache's generation when it started, and the
/// page it made.
pub(super) type Flight<P> = tokio::sync::Mutex<Option<(u64, Arc<P>)>>;

pub struct RenderFlights<P> {
    by_key: Mutex<HashMap<String, Arc<Flight<P>>>>,
}

impl<P> Default for RenderFlights<P> {
    fn default() -> Self {
        RenderFlights {
            by_key: Mutex::new(HashMap::new()),
        }
    }
}

impl<P> RenderFlights<P> {
    /// The address's flight, to lock while rendering it or waiting for a render.
    pub(super) fn of(&self, key: &str) -> Arc<Flight<P>> {
        let mut flights = self.by_key.lock().unwrap_or_else(|e| e.into_inner());
        if flights.len() >= MAX_FLIGHTS {
            flights.retain(|_, f| Arc::strong_count(f) > 1);
        }
        flights.entry(key.to_string()).or_default().clone()
    }
}

/// Whether readers other than the one holding `flight` wait on it. A finished render is kept
/// for them only: a reader who comes later finds it in the page cache if it is still current,
/// so kept longer it would only hold an old page outside the page cache's budget. (In a one-hour
/// soak each story's last page stayed here, growing with its thread.)
pub(super) fn waited_on<P>(flight: &Arc<Flight<P>>) -> bool {
    // One count is the map's, one the holder's.
    Arc::strong_count(flight) > 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_addresses_are_forgotten_when_there_are_too_many() {
        let flights = RenderFlights::<()>::default();
        let held = flights.of("/held");
        for i in 0..MAX_FLIGHTS {
            flights.of(&format!("/p{i}"));
        }
        let kept = flights.by_key.lock().unwrap().len();
        assert!(kept < 10, "{kept}");
        assert!(Arc::ptr_eq(&held, &flights.of("/held")));
    }

    #[test]
    fn a_render_is_kept_only_while_another_reader_waits_for_it() {
        let flights = RenderFlights::<()>::default();
        let mine = flights.of("/story");
        assert!(!waited_on(&mine), "no one else asked");
        let waiting = flights.of("/story");
        assert!(waited_on(&mine));
        drop(waiting);
        assert!(!waited_on(&mine));
    }
}
