//! Telling a CDN or Varnish which pages a change touched: the surrogate keys each write names
//! are batched and sent to an optional purge hook (a generic JSON POST, Fastly's, Cloudflare's
//! or Varnish's form), retried with backoff, never holding up the write that named them.

use crate::services::page_keys::{Keys, SITE};
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::sync::mpsc;

/// The shape of the purge request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PurgeFormat {
    /// `POST {"keys": [...]}` with the token as a bearer token.
    Generic,
    /// `POST` with `Surrogate-Key: a b c` and `Fastly-Key` (Fastly's purge by key).
    Fastly,
    /// `POST {"tags": [...]}` with the token as a bearer token (Cloudflare's purge by tag).
    Cloudflare,
    /// `PURGE` with `xkey-purge: a b c` (Varnish with the xkey module).
    Varnish,
}

impl PurgeFormat {
    /// The most keys one request may carry.
    fn batch(self) -> usize {
        match self {
            PurgeFormat::Cloudflare => 30,
            PurgeFormat::Fastly => 256,
            PurgeFormat::Generic | PurgeFormat::Varnish => 200,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PurgeHook {
    pub url: String,
    pub format: PurgeFormat,
    pub token: Option<String>,
}

/// Writes waiting to be sent past this are folded into one purge of the whole site.
const QUEUE: usize = 10_000;
/// Keys waiting past this many are sent as one purge of the whole site.
const MAX_PENDING: usize = 5_000;
/// Keys named within this time go in one request.
const GATHER: Duration = Duration::from_millis(20);
/// The least time between two rounds of purges, however fast readers write: a busy
/// conversation is purged at most a few times a second, within the CDNs' rate limits.
const MIN_INTERVAL: Duration = Duration::from_millis(250);
/// Each purge is sent again after this: a page fetched through the cache in the moment
/// between the write and another node hearing of it (it polls four times a second) is
/// dropped too.
const AGAIN_AFTER: Duration = Duration::from_millis(500);
const ATTEMPTS: u32 = 8;
const FIRST_WAIT: Duration = Duration::from_millis(250);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Where writes drop their keys; without a hook it does nothing.
#[derive(Clone, Default)]
pub struct Purger {
    queue: Option<mpsc::Sender<Vec<String>>>,
}

impl Purger {
    /// The purger, and the task that sends its purges (to spawn beside the server).
    pub fn start(
        hook: Option<PurgeHook>,
    ) -> (Purger, Option<impl std::future::Future<Output = ()>>) {
        let Some(hook) = hook else {
            return (Purger::default(), None);
        };
        let (tx, rx) = mpsc::channel(QUEUE);
        (Purger { queue: Some(tx) }, Some(send_all(hook, rx)))
    }

    /// Queues the keys a change touched; a full queue purges the whole site instead.
    pub fn purge(&self, keys: &Keys) {
        let Some(queue) = &self.queue else { return };
        if keys.as_slice().is_empty() {
            return;
        }
        if queue.try_send(keys.as_slice().to_vec()).is_err() {
            tracing::warn!("the purge queue is full: purging the whole site");
            let _ = queue.try_send(vec![SITE.to_string()]);
        }
    }

    /// Whether purges go anywhere: without a hook, work done only to name pages is skipped.
    pub fn is_active(&self) -> bool {
        self.queue.is_some()
    }

    /// Queues a purge of every page (a layout, setting or site-wide change).
    pub fn purge_site(&self) {
        let mut keys = Keys::new();
        keys.add_plain(SITE);
        self.purge(&keys);
    }
}

/// Sends the queued keys in rounds, one round at a time: each round's keys gathered and
/// deduplicated, sent, and sent again a moment later.
async fn send_all(hook: PurgeHook, mut rx: mpsc::Receiver<Vec<String>>) {
    let client = match reqwest::Client::builder().timeout(REQUEST_TIMEOUT).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot make the purge hook's client; purges are off");
            return;
        }
    };
    let mut pending: BTreeSet<String> = BTreeSet::new();
    // Rounds to send again, with when.
    let mut again: Vec<(tokio::time::Instant, Vec<String>)> = Vec::new();
    let mut open = true;
    while open || !again.is_empty() {
        let next_again = again.iter().map(|(at, _)| *at).min();
        tokio::select! {
            got = rx.recv(), if open => match got {
                Some(keys) => pending.extend(keys),
                None => open = false,
            },
            _ = tokio::time::sleep_until(next_again.unwrap_or_else(tokio::time::Instant::now)), if next_again.is_some() => {}
        }
        let deadline = tokio::time::Instant::now() + GATHER;
        while open {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(more)) => pending.extend(more),
                Ok(None) => open = false,
                Err(_) => break,
            }
        }
        let now = tokio::time::Instant::now();
        let mut repeat = BTreeSet::new();
        again.retain(|(at, keys)| {
            if *at <= now {
                repeat.extend(keys.iter().cloned());
            }
            *at > now
        });
        let fresh: Vec<String> = round(std::mem::take(&mut pending));
        let mut keys: BTreeSet<String> = repeat;
        keys.extend(fresh.iter().cloned());
        let keys = round(keys);
        for chunk in keys.chunks(hook.format.batch()) {
            send_with_retries(&client, &hook, chunk).await;
        }
        if !fresh.is_empty() {
            again.push((tokio::time::Instant::now() + AGAIN_AFTER, fresh));
        }
        tokio::time::sleep(MIN_INTERVAL).await;
    }
}

/// The keys of one round: the whole site instead when it is among them or they are too many.
fn round(keys: BTreeSet<String>) -> Vec<String> {
    if keys.contains(SITE) || keys.len() > MAX_PENDING {
        vec![SITE.to_string()]
    } else {
        keys.into_iter().collect()
    }
}

async fn send_with_retries(client: &reqwest::Client, hook: &PurgeHook, keys: &[String]) {
    let mut wait = FIRST_WAIT;
    for attempt in 1..=ATTEMPTS {
        match request(client, hook, keys).send().await {
            Ok(r) if r.status().is_success() => {
                tracing::debug!(keys = keys.len(), "purged");
                return;
            }
            Ok(r) => {
                tracing::warn!(status = %r.status(), attempt, "the purge hook refused a purge")
            }
            Err(e) => tracing::warn!(error = %e, attempt, "the purge hook did not answer"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(30));
    }
    tracing::error!(keys = %keys.join(" "), "gave up purging these keys");
}

fn request(client: &reqwest::Client, hook: &PurgeHook, keys: &[String]) -> reqwest::RequestBuilder {
    let json_list = |name: &str| {
        client
            .post(&hook.url)
            .json(&serde_json::json!({ name: keys }))
    };
    let (r, token_header) = match hook.format {
        PurgeFormat::Generic => (json_list("keys"), None),
        PurgeFormat::Cloudflare => (json_list("tags"), None),
        PurgeFormat::Fastly => (
            client
                .post(&hook.url)
                .header("Surrogate-Key", keys.join(" ")),
            Some("Fastly-Key"),
        ),
        PurgeFormat::Varnish => {
            let method = reqwest::Method::from_bytes(b"PURGE").unwrap_or(reqwest::Method::POST);
            let r = client
                .request(method, &hook.url)
                .header("xkey-purge", keys.join(" "));
            (r, None)
        }
    };
    match (hook.token.as_deref(), token_header) {
        (Some(t), Some(name)) => r.header(name, t),
        (Some(t), None) => r.bearer_auth(t),
        (None, _) => r,
    }
}
