//! A node's picture work: one picture decoded or resized at a time (two cores are shared with
//! every reader), which pictures are being made now, and which failed here.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

pub struct PictureWork {
    turn: Arc<Semaphore>,
    in_hand: Mutex<HashSet<String>>,
    failed: Mutex<HashSet<String>>,
}

impl Default for PictureWork {
    fn default() -> Self {
        PictureWork {
            turn: Arc::new(Semaphore::new(1)),
            in_hand: Mutex::default(),
            failed: Mutex::default(),
        }
    }
}

impl PictureWork {
    /// The one turn to decode or resize. The blocking work holds it, so a client that goes
    /// away mid-upload does not free it while its picture is still being decoded.
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.turn.clone().acquire_owned().await
    }

    /// Notes that a picture's variants are being made: the sweep leaves it alone.
    pub fn take_in_hand(&self, name: &str) {
        if let Ok(mut h) = self.in_hand.lock() {
            h.insert(name.to_string());
        }
    }

    pub fn let_go(&self, name: &str) {
        if let Ok(mut h) = self.in_hand.lock() {
            h.remove(name);
        }
    }

    pub fn is_in_hand(&self, name: &str) -> bool {
        self.in_hand.lock().is_ok_and(|h| h.contains(name))
    }

    /// Notes that a picture's variants failed here: not tried again until the node restarts,
    /// so one broken picture cannot take every sweep's turn.
    pub fn failed(&self, name: &str) {
        if let Ok(mut f) = self.failed.lock() {
            f.insert(name.to_string());
        }
    }

    pub fn has_failed(&self, name: &str) -> bool {
        self.failed.lock().is_ok_and(|f| f.contains(name))
    }
}
