//! The command line: every option a flag and a `NEWSDESK_…` variable.

use crate::config::ServeConfig;
pub use crate::import_cli::{ExportCommand, ImportCommand};
use crate::startup::{shutdown_signal, Application};
pub use crate::store_args::StoreArgs;
use crate::storyfile;
use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use newsdesk_core::screen::CommentMode;
use newsdesk_core::store::prelude::*;
use newsdesk_core::{newsroom, Role};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "A news publishing platform with the reader debate built in."
)]
pub struct Cli {
    /// A TOML file of settings (addr, data, database, demo, base_url, site_name, max_body_bytes,
    /// log_format); the environment and flags override it.
    #[arg(long, env = "NEWSDESK_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// How logs are written to standard error.
    #[arg(long, env = "NEWSDESK_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site, the API and the newsroom.
    Serve(Box<ServeArgs>),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(crate::token_cli::TokenCommand),
    /// Manage newsroom accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import content.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export content.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Copy a running site: its SQLite database (consistent, while it keeps writing) and its
    /// media files, checked by SQLite. With PostgreSQL, pg_dump copies the database.
    Backup {
        /// An empty or new folder for the copy.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Put a backup back into an empty data folder.
    Restore {
        /// The folder `newsdesk backup` wrote.
        #[arg(long)]
        from: PathBuf,
        /// The data folder to restore into; it must hold no site yet.
        #[arg(long, env = "NEWSDESK_DATA")]
        data: PathBuf,
    },
    /// Rebuild this node's search index (DATA/search) from the live stories, with a progress
    /// bar. A running server keeps its index in step by itself; stop it before this.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "NEWSDESK_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Fill an empty site with demo stories.
    #[arg(long, env = "NEWSDESK_DEMO")]
    pub demo: bool,
    /// The address readers use, such as https://news.example; links in feeds and share buttons use it.
    #[arg(long, env = "NEWSDESK_BASE_URL")]
    pub base_url: Option<String>,
    /// The site's name in the masthead.
    #[arg(long, env = "NEWSDESK_SITE_NAME", default_value = "The Avel Courier")]
    pub site_name: String,
    /// The largest request body accepted, in bytes (pictures have their own limit).
    #[arg(long, env = "NEWSDESK_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// The largest picture upload, in bytes: a phone's photo (up to 20 MB) fits the default.
    #[arg(long, env = "NEWSDESK_MAX_PICTURE_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub max_picture_bytes: usize,
    /// The most pixels a picture may have, in megapixels.
    #[arg(long, env = "NEWSDESK_MAX_PICTURE_MEGAPIXELS", default_value_t = 60)]
    pub max_picture_megapixels: u64,
    #[command(flatten)]
    pub debate: DebateArgs,
    /// Where to send purges of changed pages: a CDN's purge API or Varnish. Each page names
    /// what it shows in `Surrogate-Key` and `Cache-Tag`; each change sends the keys it touched.
    #[arg(long, env = "NEWSDESK_PURGE_URL")]
    pub purge_url: Option<String>,
    /// The purge request's form: generic (JSON {"keys": [...]}), fastly, cloudflare or varnish.
    #[arg(
        long,
        env = "NEWSDESK_PURGE_FORMAT",
        value_enum,
        default_value = "generic"
    )]
    pub purge_format: crate::services::purge::PurgeFormat,
    /// The bearer token Prometheus sends to read `/metrics`; without it there is no `/metrics`.
    #[arg(long, env = "NEWSDESK_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The purge API's token (Fastly-Key, or a bearer token for the others).
    #[arg(long, env = "NEWSDESK_PURGE_TOKEN", hide_env_values = true)]
    pub purge_token: Option<String>,
}

/// The settings of the reader debate.
#[derive(Debug, Args)]
pub struct DebateArgs {
    /// Comments, votes and flags one address or one reader may post a minute; 0 turns the limit off.
    #[arg(long, env = "NEWSDESK_COMMENTS_PER_MINUTE", default_value_t = 5)]
    pub comments_per_minute: u32,
    /// Reports of comments one address (an IPv6 /64) may make an hour; 0 turns the limit off.
    #[arg(long, env = "NEWSDESK_REPORTS_PER_HOUR", default_value_t = 10)]
    pub reports_per_hour: u32,
    /// New reader cookies one address (an IPv6 /64) may be given an hour (votes and poll
    /// answers count cookies); 0 turns the limit off.
    #[arg(long, env = "NEWSDESK_NEW_READERS_PER_HOUR", default_value_t = 30)]
    pub new_readers_per_hour: u32,
    /// The longest comment, in characters.
    #[arg(long, env = "NEWSDESK_COMMENT_MAX_CHARS", default_value_t = 5000)]
    pub comment_max_chars: usize,
    /// Minutes a reader may edit or delete their own comment.
    #[arg(long, env = "NEWSDESK_COMMENT_EDIT_MINUTES", default_value_t = 15)]
    pub comment_edit_minutes: i64,
    /// open (published at once unless held by a rule), premoderated, or closed.
    #[arg(long, env = "NEWSDESK_COMMENT_MODE", default_value = "open", value_parser = parse_mode)]
    pub comment_mode: CommentMode,
    /// Close a story's comments this many days after publication; 0 keeps them open.
    #[arg(long, env = "NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS", default_value_t = 30)]
    pub comments_close_after_days: i64,
    /// Comments with more links than this are held for a moderator.
    #[arg(long, env = "NEWSDESK_COMMENT_MAX_LINKS", default_value_t = 2)]
    pub comment_max_links: usize,
    /// Comma-separated words that file a comment as spam.
    #[arg(
        long,
        env = "NEWSDESK_BANNED_WORDS",
        value_delimiter = ',',
        default_value = ""
    )]
    pub banned_words: Vec<String>,
    /// Comma-separated words that hold a comment for a moderator.
    #[arg(
        long,
        env = "NEWSDESK_SUSPECT_WORDS",
        value_delimiter = ',',
        default_value = ""
    )]
    pub suspect_words: Vec<String>,
    /// Reader reports that hide a comment until a moderator decides; 0 never hides.
    #[arg(long, env = "NEWSDESK_FLAGS_TO_HIDE", default_value_t = 3)]
    pub flags_to_hide: i64,
    /// Seconds a comment form must be on screen before it is accepted (against bots).
    #[arg(long, env = "NEWSDESK_COMMENT_MIN_SECONDS", default_value_t = 3)]
    pub comment_min_seconds: u64,
    /// Top-level comments on one page of a thread.
    #[arg(long, env = "NEWSDESK_COMMENTS_PER_PAGE", default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=200))]
    pub comments_per_page: i64,
    /// Trust the last X-Forwarded-For entry as the client's address, and X-Forwarded-Proto as
    /// the scheme (only behind your own proxy).
    #[arg(long, env = "NEWSDESK_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Seconds a client has to send a request's head; a kept-alive connection idle this long
    /// is closed.
    #[arg(long, env = "NEWSDESK_HEADER_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub header_timeout_seconds: u64,
    /// Connections one address (an IPv6 /64) may hold open at once; 0: no cap. Not applied
    /// with --trust-proxy.
    #[arg(long, env = "NEWSDESK_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
    pub connections_per_address: usize,
    /// The mail server: smtp://host:port (plain, a local relay), smtp://user:pass@host?tls=required
    /// (STARTTLS) or smtps://user:pass@host (TLS). Without it, emails wait in the outbox.
    #[arg(long, env = "NEWSDESK_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of reply emails and digests.
    #[arg(
        long,
        env = "NEWSDESK_MAIL_FROM",
        default_value = "newsdesk <newsdesk@localhost>"
    )]
    pub mail_from: String,
    /// Minutes between moderation queue digests to moderators who asked for them; 0 turns them off.
    #[arg(long, env = "NEWSDESK_QUEUE_EMAIL_MINUTES", default_value_t = 60)]
    pub queue_email_minutes: u64,
}

fn parse_mode(s: &str) -> Result<CommentMode, String> {
    CommentMode::parse(s)
        .ok_or_else(|| format!("'{s}' is not a mode: use open, premoderated or closed"))
}

impl DebateArgs {
    fn apply(self, config: &mut ServeConfig) {
        let d = &mut config.discussion;
        d.max_chars = self.comment_max_chars;
        d.edit_window = chrono::Duration::minutes(self.comment_edit_minutes);
        d.close_after = (self.comments_close_after_days > 0)
            .then(|| chrono::Duration::days(self.comments_close_after_days));
        d.flags_to_hide = self.flags_to_hide;
        d.screen.mode = self.comment_mode;
        d.screen.max_links = self.comment_max_links;
        let words = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        };
        d.screen.banned_words = words(self.banned_words);
        d.screen.suspect_words = words(self.suspect_words);
        config.comments_per_minute = self.comments_per_minute;
        config.reports_per_hour = self.reports_per_hour;
        config.new_readers_per_hour = self.new_readers_per_hour;
        config.comment_min_seconds = self.comment_min_seconds;
        config.comments_per_page = self.comments_per_page;
        config.trust_proxy = self.trust_proxy;
        config.header_timeout = std::time::Duration::from_secs(self.header_timeout_seconds);
        config.connections_per_address = self.connections_per_address;
        config.smtp_url = self.smtp_url;
        config.mail_from = self.mail_from;
        config.queue_email_every = std::time::Duration::from_secs(self.queue_email_minutes * 60);
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Make an account; its password is read from the first line of standard input.
    Create {
        /// reader, contributor, author, editor, moderator or admin.
        #[arg(long, env = "NEWSDESK_USER_ROLE")]
        role: Role,
        /// The address the user logs in with.
        #[arg(long, env = "NEWSDESK_USER_EMAIL")]
        email: String,
        /// Send this moderator the moderation queue by email.
        #[arg(long)]
        queue_emails: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    crate::telemetry::init(matches!(cli.log_format, LogFormat::Json));
    match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Token(command) => crate::token_cli::run(command).await,
        Command::User(UserCommand::Create {
            role,
            email,
            queue_emails,
            store,
        }) => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let store = store.open().await?;
            let result =
                crate::services::staff::create_user(&store, &email, password, role, queue_emails)
                    .await;
            store.close().await;
            let user = result?;
            println!(
                "Created {} account {} ({}).",
                user.role, user.email, user.id
            );
            Ok(())
        }
        Command::Import(ImportCommand::Stories { dir, store }) => {
            import_stories(&dir, &store).await
        }
        Command::Import(ImportCommand::Wordpress {
            file,
            uploads,
            dry_run,
            staff,
            max_picture_megapixels,
            store,
        }) => {
            let options = crate::wordpress::Options {
                file,
                uploads,
                dry_run,
                staff,
                max_pixels: max_picture_megapixels.saturating_mul(1_000_000),
            };
            crate::import_cli::wordpress(&options, &store).await
        }
        Command::Import(ImportCommand::Disqus {
            file,
            dry_run,
            store,
        }) => {
            let options = crate::disqus::Options { file, dry_run };
            crate::import_cli::disqus(&options, &store).await
        }
        Command::Export(ExportCommand::Stories { dir, store }) => {
            export_stories(&dir, &store).await
        }
        Command::Export(ExportCommand::Wordpress {
            file,
            base_url,
            site_name,
            store,
        }) => crate::import_cli::export_wordpress(&file, &base_url, &site_name, &store).await,
        Command::Reindex { store } => reindex(&store).await,
        Command::Backup { to, store } => crate::backup_cli::backup(&to, &store).await,
        Command::Restore { from, data } => crate::backup_cli::restore(&from, &data).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = ServeConfig::new(args.addr, args.store.data);
    config.database_url = args.store.database;
    config.demo = args.demo;
    config.base_url = args.base_url;
    config.site_name = args.site_name;
    config.max_body_bytes = args.max_body_bytes;
    config.pictures.max_bytes = args.max_picture_bytes;
    config.pictures.max_pixels = args.max_picture_megapixels.saturating_mul(1_000_000);
    args.debate.apply(&mut config);
    config.metrics_token = args.metrics_token.filter(|t| !t.is_empty());
    config.purge = args.purge_url.map(|url| crate::services::purge::PurgeHook {
        url,
        format: args.purge_format,
        token: args.purge_token,
    });
    let argv: Vec<String> = std::env::args().collect();
    config.pinned_settings = crate::services::settings::SettingKey::ALL
        .into_iter()
        .filter(|k| k.given_at_start(&argv))
        .collect();
    let app = Application::build(config).await?;
    app.run_until(shutdown_signal()).await
}

async fn reindex(store_args: &StoreArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let search = crate::services::search::index::Search::open_exclusive(&store_args.data)?;
    let store = store_args.open().await?;
    let live = match store.live_stamps(chrono::Utc::now()).await {
        Ok(live) => live,
        Err(e) => {
            store.close().await;
            return Err(e.into());
        }
    };
    let bar = indicatif::ProgressBar::new(live.len() as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} stories, {per_sec}, {eta} left",
        )?
        .progress_chars("=> "),
    );
    let result = search
        .sync(&store, &live, true, |done, _| bar.set_position(done))
        .await;
    store.close().await;
    result?;
    bar.finish();
    search.close().await?;
    println!(
        "Indexed {} stories for search in {:.1} s.",
        live.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn import_stories(dir: &std::path::Path, store_args: &StoreArgs) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let parsed = storyfile::read_dir(dir, now).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow::anyhow!(
            "nothing was imported; {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })?;
    let store = store_args.open().await?;
    let (paths, fields): (Vec<PathBuf>, Vec<_>) = parsed.into_iter().unzip();
    let result = newsroom::import_batch(&store, "import", fields, now).await;
    store.close().await;
    let count = result.map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .flat_map(|(i, errors)| {
                let path = paths.get(*i).cloned().unwrap_or_default();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                errors.0.iter().flat_map(move |(field, msgs)| {
                    let path = path.clone();
                    let text = text.clone();
                    msgs.iter().map(move |m| match line_of_promo(&text, m) {
                        Some(line) => format!("{}:{line}: {field}: {m}", path.display()),
                        None => format!("{}: {field}: {m}", path.display()),
                    })
                })
            })
            .collect();
        anyhow::anyhow!(
            "nothing was imported; {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        )
    })?;
    copy_media(&dir.join("media"), &store_args.data.join("media"))?;
    let noun = if count == 1 { "story" } else { "stories" };
    println!("Imported {count} {noun} from {}.", dir.display());
    Ok(())
}

/// The line of a file where the promo a message names stands.
fn line_of_promo(text: &str, message: &str) -> Option<usize> {
    let start = message.find("[[")?;
    let end = start + message[start..].find("]]")? + 2;
    let promo = &message[start..end];
    text.lines().position(|l| l.contains(promo)).map(|i| i + 1)
}

/// Copies pictures between a site's media folder and an export's, keeping files already there.
fn copy_media(from: &std::path::Path, to: &std::path::Path) -> anyhow::Result<usize> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(0);
    };
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut copied = 0;
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        let target = to.join(name);
        if path.is_file() && !name.to_string_lossy().starts_with('.') && !target.exists() {
            std::fs::copy(&path, &target)
                .with_context(|| format!("cannot copy {}", path.display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}

async fn export_stories(dir: &std::path::Path, store_args: &StoreArgs) -> anyhow::Result<()> {
    let store = store_args.open().await?;
    let articles = store.all_articles().await?;
    store.close().await;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for a in &articles {
        let path = dir.join(format!("{}.md", a.slug));
        std::fs::write(&path, storyfile::write(a))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    copy_media(&store_args.data.join("media"), &dir.join("media"))?;
    println!("Exported {} stories to {}.", articles.len(), dir.display());
    Ok(())
}
