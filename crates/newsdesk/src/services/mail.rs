//! Email: reply notifications readers opt into, with a one-click unsubscribe, and the
//! moderators' queue digest. Mail is written to the outbox in the database and sent over SMTP
//! by a background task, so a slow or failing mail server never holds up a comment and an
//! email survives a crash.

use crate::state::AppState;
use chrono::Utc;
use hmac::{Hmac, Mac};
use lettre::message::header::{HeaderName, HeaderValue as MailHeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use newsdesk_core::comment::{Comment, CommentStatus};
use newsdesk_core::{Article, Store};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// From `smtp://host:port` (plain, for a local relay), `smtp://host?tls=required`
    /// (STARTTLS) or `smtps://user:password@host` (TLS), with the sender's address.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp-url '{url}' is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("--mail-from '{from}' is not an address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        unsubscribe: Option<&str>,
    ) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("bad recipient {to}: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(None)
            .header(lettre::message::header::ContentType::TEXT_PLAIN);
        if let Some(url) = unsubscribe {
            builder = builder
                .raw_header(raw("List-Unsubscribe", &format!("<{url}>")))
                .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        }
        let message = builder
            .body(body.to_string())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

fn raw(name: &'static str, value: &str) -> MailHeaderValue {
    MailHeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string())
}

/// Sends what waits in the outbox, every second, from every node; claims keep nodes apart.
pub async fn send_outbox(store: Arc<dyn Store>, mailer: Arc<Mailer>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let batch = match store.claim_emails(Utc::now(), 50).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the outbox");
                continue;
            }
        };
        for email in batch {
            let outcome = mailer
                .send(
                    &email.recipient,
                    &email.subject,
                    &email.body,
                    email.unsubscribe_url.as_deref(),
                )
                .await;
            if let Err(e) = &outcome {
                tracing::warn!(id = email.id, error = %e, "an email could not be sent; it will be tried again");
            }
            if let Err(e) = store.finish_email(email.id, outcome, Utc::now()).await {
                tracing::warn!(error = %e, "cannot record an email as sent");
            }
        }
    }
}

/// Mails the moderators who asked for it when comments are waiting, at most every `every`.
pub async fn queue_digests(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = queue_digest(&state).await {
            tracing::warn!(error = %e, "cannot prepare the moderation digest");
        }
    }
}

async fn queue_digest(state: &AppState) -> Result<(), newsdesk_core::StoreError> {
    let to = state.store.queue_subscribers().await?;
    if to.is_empty() {
        return Ok(());
    }
    let Some((count, _)) = state.store.claim_queue_digest().await? else {
        return Ok(());
    };
    let noun = if count == 1 {
        "comment waits"
    } else {
        "comments wait"
    };
    let subject = format!("{}: {count} new {noun} for moderation", state.site_name());
    let body = format!(
        "{count} new {noun} for a decision.\n\nThe queue: {}\n",
        state.absolute(crate::services::links::MODERATION_HELD)
    );
    for recipient in to {
        state
            .store
            .enqueue_email(&recipient, &subject, &body, None, Utc::now())
            .await?;
    }
    Ok(())
}

fn unsubscribe_token(state: &AppState, email: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.readers.mail_key()).expect("any key length");
    mac.update(b"unsubscribe:");
    mac.update(email.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The one-click unsubscribe address for an email.
pub fn unsubscribe_url(state: &AppState, email: &str) -> String {
    let e = percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC);
    state.absolute(&format!(
        "/unsubscribe?email={e}&token={}",
        unsubscribe_token(state, email)
    ))
}

pub fn token_is_valid(state: &AppState, email: &str, token: &str) -> bool {
    crate::services::readers::same_secret(&unsubscribe_token(state, email), token)
}

/// After a reply is published: tells the writer of the comment it answers, if they asked to be
/// told, gave an address and have not opted out. Failures are logged, never shown to the
/// replier, whose comment is already stored.
pub async fn reply_posted(state: &AppState, article: &Article, reply: &Comment) {
    if let Err(e) = notify_parent(state, article, reply).await {
        tracing::warn!(error = %e, "cannot queue a reply notification");
    }
}

async fn notify_parent(
    state: &AppState,
    article: &Article,
    reply: &Comment,
) -> Result<(), newsdesk_core::StoreError> {
    if reply.status != CommentStatus::Published {
        return Ok(());
    }
    let Some(parent_id) = reply.parent_id else {
        return Ok(());
    };
    let Some(parent) = state.store.find_comment(parent_id).await? else {
        return Ok(());
    };
    let Some(email) = parent.email.as_deref().filter(|_| parent.notify_replies) else {
        return Ok(());
    };
    if parent.reader == reply.reader || state.store.opted_out(email).await? {
        return Ok(());
    }
    let link = state.absolute(&crate::services::links::comment_link(state, article, reply).await?);
    let unsubscribe = unsubscribe_url(state, email);
    let excerpt: String = reply.body.chars().take(500).collect();
    let subject = format!(
        "{} replied to your comment on “{}”",
        reply.name, article.headline
    );
    let body = format!(
        "Hello {},\n\n{} replied to your comment on “{}”:\n\n{}\n\nRead and answer it: {}\n\n\
         You get this email because you asked to hear about replies. To stop all reply emails, \
         open: {}\n",
        parent.name, reply.name, article.headline, excerpt, link, unsubscribe
    );
    state
        .store
        .enqueue_email(email, &subject, &body, Some(&unsubscribe), Utc::now())
        .await?;
    Ok(())
}
