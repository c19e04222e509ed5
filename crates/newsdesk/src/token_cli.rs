//! `newsdesk token create | list | revoke`: API tokens from the server's own command line.

use crate::services::audit::{record_in, Who};
use crate::services::tokens::{issue, TokenRequest};
use crate::store_args::StoreArgs;
use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_core::audit::AuditAction;
use newsdesk_core::store::prelude::*;
use newsdesk_core::Role;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token; the token is the last line printed.
    Create {
        /// reader, contributor, author, editor, moderator or admin.
        #[arg(long, env = "NEWSDESK_TOKEN_ROLE")]
        role: Role,
        /// A note on who or what uses the token.
        #[arg(long, env = "NEWSDESK_TOKEN_LABEL", default_value = "")]
        label: String,
        /// The newsroom member it belongs to (their role must cover --role); without it the
        /// token is a system's.
        #[arg(long)]
        email: Option<String>,
        /// Days until it stops working; without it, it works until revoked.
        #[arg(long)]
        expires_days: Option<u32>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List every token: id, role, owner, when made, last used, expiry and state.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by its id (from `newsdesk token list`); it stops working at once on
    /// every node.
    Revoke {
        id: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn run(command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            role,
            label,
            email,
            expires_days,
            store,
        } => {
            let store = store.open().await?;
            let owner = match email.as_deref() {
                Some(e) => {
                    let (user, _) = store
                        .find_user_by_email(e)
                        .await?
                        .with_context(|| format!("--email: no active account is {e}"))?;
                    Some((user.id, user.role))
                }
                None => None,
            };
            let expires = expires_days.map(|d| Utc::now() + chrono::Duration::days(i64::from(d)));
            let made = issue(
                &store,
                TokenRequest {
                    role,
                    label: &label,
                    owner,
                    expires,
                },
            )
            .await;
            let (token, id) = match made {
                Ok(t) => t,
                Err(e) => {
                    store.close().await;
                    anyhow::bail!("--role: {e}");
                }
            };
            record_in(
                &store,
                &Who::cli(),
                AuditAction::TokenCreated,
                &format!("token:{id}"),
                &format!("{role} token “{label}”"),
            )
            .await;
            store.close().await;
            let article = if matches!(role, Role::Admin | Role::Author | Role::Editor) {
                "an"
            } else {
                "a"
            };
            println!("Created {article} {role} token (id {id}). It is shown only this once; keep it secret.");
            println!("{token}");
            Ok(())
        }
        TokenCommand::List { store } => {
            let store = store.open().await?;
            let tokens = store.tokens(None).await;
            store.close().await;
            let now = Utc::now();
            let day = |t: Option<chrono::DateTime<Utc>>| {
                t.map_or("-".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
            };
            println!(
                "{:>5}  {:<11}  {:<28}  {:<16}  {:<16}  {:<16}  {:<8}  label",
                "id", "role", "owner", "made", "last used", "expires", "state"
            );
            for t in tokens? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else if !t.live(now) {
                    "expired"
                } else {
                    "live"
                };
                println!(
                    "{:>5}  {:<11}  {:<28}  {:<16}  {:<16}  {:<16}  {:<8}  {}",
                    t.id,
                    t.role.as_str(),
                    t.owner_email.as_deref().unwrap_or("(system)"),
                    day(Some(t.created_at)),
                    day(t.last_used_at),
                    day(t.expires_at),
                    state,
                    t.label
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id, store } => {
            let store = store.open().await?;
            let revoked = store.revoke_token(id, None, Utc::now()).await;
            if matches!(revoked, Ok(true)) {
                record_in(
                    &store,
                    &Who::cli(),
                    AuditAction::TokenRevoked,
                    &format!("token:{id}"),
                    "",
                )
                .await;
            }
            store.close().await;
            anyhow::ensure!(
                revoked?,
                "no live token has the id {id} (see `newsdesk token list`)"
            );
            println!("Revoked token {id}; it is refused from now on, on every node.");
            Ok(())
        }
    }
}
