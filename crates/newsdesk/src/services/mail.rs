//! Email: reply notifications readers opt into and confirm (double opt-in), with a one-click
//! unsubscribe that works for ever, and the moderators' queue digest. Mail is written to the
//! outbox in the database and sent over SMTP by a background task, so a slow or failing mail
//! server never holds up a comment and an email survives a crash.

use crate::state::AppState;
use chrono::Utc;
use hmac::{Hmac, Mac};
use lettre::message::header::{HeaderName, HeaderValue as MailHeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use newsdesk_core::comment::{Comment, CommentStatus};
use newsdesk_core::{Article, ReaderId, Store};
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

/// Reply emails one address gets a day at most, however many replies come.
pub const REPLY_EMAILS_PER_DAY: i64 = 20;

/// What a link in an email does with its address.
#[derive(Debug, Clone, Copy)]
pub enum LinkPurpose {
    Unsubscribe,
    Confirm,
}

/// A link's signature: its purpose, the address, and for a confirmation the reader whose
/// comments it is about.
fn link_token(state: &AppState, purpose: LinkPurpose, email: &str, reader: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(state.readers.mail_key()).expect("any key length");
    match purpose {
        LinkPurpose::Unsubscribe => mac.update(b"unsubscribe:"),
        LinkPurpose::Confirm => {
            mac.update(b"confirm:");
            mac.update(reader.as_bytes());
            mac.update(b"|");
        }
    }
    mac.update(email.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn unsubscribe_token(state: &AppState, email: &str) -> String {
    link_token(state, LinkPurpose::Unsubscribe, email, "")
}

/// The link that confirms reply emails for an address about one reader's comments.
pub fn confirm_url(state: &AppState, email: &str, reader: &ReaderId) -> String {
    let e = percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC);
    state.absolute(&format!(
        "/replies/confirm?email={e}&reader={}&token={}",
        reader.0,
        link_token(state, LinkPurpose::Confirm, email, &reader.0)
    ))
}

/// Whether a link's token was made by this site for this address (and reader) and purpose.
pub fn link_is_valid(
    state: &AppState,
    purpose: LinkPurpose,
    email: &str,
    reader: &str,
    token: &str,
) -> bool {
    crate::services::readers::same_secret(&link_token(state, purpose, email, reader), token)
}

/// The one-click unsubscribe address for an email.
pub fn unsubscribe_url(state: &AppState, email: &str) -> String {
    let e = percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC);
    state.absolute(&format!(
        "/unsubscribe?email={e}&token={}",
        unsubscribe_token(state, email)
    ))
}

/// After a comment is stored: asks its address, the first time it is given for replies, to
/// confirm them (one email, ever: a stranger typing someone's address gets them one email at
/// most), and tells the writer of the comment a reply answers, if they asked, confirmed and
/// have not opted out. Failures are logged, never shown to the writer, whose comment is
/// already stored.
pub async fn comment_posted(state: &AppState, article: &Article, comment: &Comment) {
    if let Err(e) = ask_to_confirm(state, comment).await {
        tracing::warn!(error = %e, "cannot queue a confirmation of reply emails");
    }
    if let Err(e) = notify_parent(state, article, comment).await {
        tracing::warn!(error = %e, "cannot queue a reply notification");
    }
}

async fn ask_to_confirm(
    state: &AppState,
    comment: &Comment,
) -> Result<(), newsdesk_core::StoreError> {
    // Spam does not get to send anyone an email.
    let asked = comment.notify_replies && comment.status != CommentStatus::Spam;
    let Some(email) = comment.email.as_deref().filter(|_| asked) else {
        return Ok(());
    };
    let now = Utc::now();
    if state.store.opted_out(email).await?
        || !state
            .store
            .ask_reply_emails(email, &comment.reader, now)
            .await?
    {
        return Ok(());
    }
    let site = state.site_name();
    let subject = format!("Confirm reply emails from {site}");
    let body = format!(
        "Hello,\n\nSomeone, probably you, wrote a comment on {site} and asked to be told by email \
         when readers reply to it. To get those emails, confirm this address by opening:\n\n{}\n\n\
         If it was not you, do nothing: this is the only email we send unless the address is \
         confirmed.\n",
        confirm_url(state, email, &comment.reader)
    );
    state
        .store
        .enqueue_email(email, &subject, &body, None, now)
        .await?;
    Ok(())
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
    // Confirmed, not opted out, and within the day's count: the store takes one.
    if parent.reader == reply.reader
        || !state
            .store
            .take_reply_email(email, &parent.reader, Utc::now(), REPLY_EMAILS_PER_DAY)
            .await?
    {
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
