//! The editors' e-mail digest: for each editor who opted in, every
//! `BLI_DIGEST_INTERVAL` (weekly by default), what needs them: new feedback,
//! answers to open consultation rounds, broken links, resources due for
//! review. Counts, titles and links into /redaktor only: never what a
//! visitor wrote or who they are. Nothing is sent when there is nothing to
//! report. Off unless `BLI_SMTP_URL` names a relay.

use std::time::Duration;

use app::{db::digest as store, domain::account::User, domain::links::Attention};
use lettre::{
    message::{
        header::{ContentTransferEncoding, ContentType},
        Body, Mailbox,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::SqlitePool;

/// Weekly.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(7 * 86_400);

/// How often the digest task looks for editors whose period is over.
const TICK: Duration = Duration::from_secs(3600);

/// Why the digest cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(
        "not a usable SMTP address ({0}); expected smtp://host:port or smtps://user:password@host"
    )]
    Url(String),
    #[error("not a usable sender address: {0}")]
    From(String),
    #[error("a user name and password over plain smtp:// would cross the network unencrypted; add ?tls=required or use smtps://")]
    Cleartext,
}

/// Whether `url` sends credentials to a relay off this machine without
/// TLS: `smtp://user:pass@host` without `?tls=required` (review 3, I-3).
/// `?tls=opportunistic` does not count: an attacker in the path can strip
/// the STARTTLS offer.
pub fn sends_credentials_in_clear(url: &str) -> bool {
    let Ok(parsed) = reqwest::Url::parse(url.trim()) else {
        return false;
    };
    let credentials = !parsed.username().is_empty() || parsed.password().is_some();
    let tls = parsed.scheme().eq_ignore_ascii_case("smtps")
        || parsed
            .query_pairs()
            .any(|(k, v)| k == "tls" && v.eq_ignore_ascii_case("required"));
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    credentials && !tls && !local
}

/// Sends the digest through one SMTP relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The site's public address, for the links in the e-mail.
    public_url: String,
    interval: Duration,
}

impl Mailer {
    /// `None` when no relay is configured (the digest is off).
    pub fn from_settings(
        background: &crate::Background,
        public_url: &str,
    ) -> Result<Option<Mailer>, MailError> {
        let Some(url) = background
            .smtp_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        else {
            return Ok(None);
        };
        if sends_credentials_in_clear(url) {
            return Err(MailError::Cleartext);
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let host = app::domain::links::host_of(public_url)
            .map(|h| h.split(':').next().unwrap_or("").to_string())
            .filter(|h| h.contains('.'))
            .unwrap_or_else(|| "localhost.localdomain".into());
        let from = format!("Bli involvert <ikke-svar@{host}>")
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::From(e.to_string()))?;
        Ok(Some(Mailer {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_string(),
            interval: background.digest_interval,
        }))
    }
}

/// Whether `address` can be an e-mail recipient (one mailbox, no display name).
pub fn plausible_address(address: &str) -> bool {
    address.len() <= 200
        && !address.contains(['<', '>', ',', ' '])
        && address.parse::<lettre::Address>().is_ok()
}

/// Saves the signed-in editor's choice; `true`: a new address, which gets
/// a confirmation e-mail before any digest (review 3, I-3).
pub async fn set_opt_in(
    pool: &SqlitePool,
    user: &User,
    address: Option<&str>,
) -> Result<bool, sqlx::Error> {
    store::set_opt_in(pool, user.id, address).await
}

/// The e-mail that asks to confirm a new address: (subject, body).
pub fn compose_confirmation(code: &str, public_url: &str) -> (String, String) {
    let body = format!(
        "Hei!\n\nNoen som er logget inn som redaktør på Bli involvert, har bedt om å få sammendraget fra redaktørsidene til denne adressen. Hvis det var deg, bekrefter du adressen ved å åpne denne lenken mens du er logget inn:\n{public_url}/redaktor/sammendrag/bekreft?kode={code}\n\nHvis det ikke var deg, kan du se bort fra denne e-posten. Du får ingenting mer fra oss.\n"
    );
    (
        "Bli involvert: bekreft adressen for sammendraget".to_string(),
        body,
    )
}

/// Sends one plain-text e-mail through the relay.
async fn deliver(
    mailer: &Mailer,
    account: i64,
    address: &str,
    subject: String,
    text: String,
) -> bool {
    let Ok(to) = address.parse::<Mailbox>() else {
        tracing::warn!(account, "digest: the stored address is not usable");
        return false;
    };
    // Quoted-printable: Norwegian letters travel through any relay.
    let text = Body::new_with_encoding(text, ContentTransferEncoding::QuotedPrintable)
        .unwrap_or_else(Body::new);
    let message = match Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(text)
    {
        Ok(message) => message,
        Err(err) => {
            tracing::error!(account, error = %err, "digest: building the e-mail failed");
            return false;
        }
    };
    match mailer.transport.send(message).await {
        Ok(_) => true,
        Err(err) => {
            tracing::error!(account, error = %err, "digest: the SMTP relay refused or failed");
            false
        }
    }
}

/// Sends a confirmation e-mail to every new address that has had none.
async fn send_confirmations(pool: &SqlitePool, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let mut sent = 0;
    for (account, address) in store::awaiting_confirmation(pool).await? {
        let code = app::auth::new_token();
        store::confirmation_code(pool, account, Some(&app::auth::sha256_hex(&code))).await?;
        let (subject, text) = compose_confirmation(&code, &mailer.public_url);
        if deliver(mailer, account, &address, subject, text).await {
            sent += 1;
        } else {
            // The next tick tries again.
            store::confirmation_code(pool, account, None).await?;
        }
    }
    Ok(sent)
}

/// The e-mail for `attention`: (subject, plain text body).
pub fn compose(attention: &Attention, public_url: &str) -> (String, String) {
    let link = |path: &str| format!("{public_url}{path}");
    let mut body = String::from(
        "Hei!\n\nDette er sammendraget fra redaktørsidene til Bli involvert: det som venter på en redaktør.\n",
    );
    let mut things = 0;
    if attention.new_feedback > 0 {
        things += 1;
        body.push_str(&format!(
            "\nNye tilbakemeldinger: {}\n{}\n",
            attention.new_feedback,
            link("/redaktor/tilbakemeldinger")
        ));
    }
    if !attention.answers.is_empty() {
        things += 1;
        body.push_str("\nNye svar i åpne innspillsrunder:\n");
        for (title, path, count) in &attention.answers {
            body.push_str(&format!("- {title}: {count}\n  {}\n", link(path)));
        }
    }
    if attention.broken_links > 0 {
        things += 1;
        body.push_str(&format!(
            "\nLenker som ikke virker: {}\n{}\n",
            attention.broken_links,
            link("/redaktor/lenker")
        ));
        for (title, path) in &attention.broken_in {
            body.push_str(&format!("- {title}\n  {}\n", link(path)));
        }
    }
    if attention.due_review > 0 {
        things += 1;
        body.push_str(&format!(
            "\nRessurser som ikke er kontrollert på over 12 måneder: {}\n{}\n",
            attention.due_review,
            link("/redaktor")
        ));
        for (title, path) in &attention.due_titles {
            body.push_str(&format!("- {title}\n  {}\n", link(path)));
        }
    }
    body.push_str(&format!(
        "\nDu får denne e-posten fordi du har bedt om sammendraget. Du kan slå det av på {}\n",
        link("/redaktor")
    ));
    let subject = format!(
        "Bli involvert: {things} {} venter på redaktørene",
        if things == 1 { "sak" } else { "saker" }
    );
    (subject, body)
}

/// What one round of the digest did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    /// Editors whose period ended with nothing to report.
    pub quiet: usize,
    pub failed: usize,
    /// Confirmation e-mails for new addresses.
    pub confirmations: usize,
}

/// Sends the digest to every editor whose period is over.
pub async fn send_due(pool: &SqlitePool, mailer: &Mailer) -> Result<Sent, sqlx::Error> {
    let mut sent = Sent {
        confirmations: send_confirmations(pool, mailer).await?,
        ..Sent::default()
    };
    for (account, address, since) in store::due(pool, mailer.interval.as_secs() as i64).await? {
        let attention = store::attention(pool, &since).await?;
        if attention.is_empty() {
            store::period_done(pool, account).await?;
            sent.quiet += 1;
            continue;
        }
        let (subject, text) = compose(&attention, &mailer.public_url);
        if deliver(mailer, account, &address, subject, text).await {
            store::period_done(pool, account).await?;
            sent.sent += 1;
        } else {
            // The period stays open: the next tick tries again.
            sent.failed += 1;
        }
    }
    Ok(sent)
}

/// [`send_due`] every hour, until the task is aborted.
pub async fn every(pool: SqlitePool, mailer: Mailer) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tick.tick().await;
        match send_due(&pool, &mailer).await {
            Ok(s) if s.sent + s.failed > 0 => {
                tracing::info!(sent = s.sent, failed = s.failed, "editors' digest")
            }
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "editors' digest failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_single_mailboxes() {
        assert!(plausible_address("kari@example.no"));
        assert!(!plausible_address("Kari <kari@example.no>"));
        assert!(!plausible_address("a@b.no, c@d.no"));
        assert!(!plausible_address("ikke en adresse"));
        assert!(!plausible_address(""));
    }

    #[test]
    fn the_e_mail_holds_counts_titles_and_links_only() {
        let attention = Attention {
            new_feedback: 3,
            answers: vec![("Runde".into(), "/redaktor/innspill/runde".into(), 2)],
            broken_links: 1,
            broken_in: vec![("Veileder".into(), "/redaktor/ressurser/veileder".into())],
            due_review: 0,
            due_titles: vec![],
        };
        let (subject, body) = compose(&attention, "https://bli-involvert.no");
        assert_eq!(subject, "Bli involvert: 3 saker venter på redaktørene");
        assert!(body.contains(
            "Nye tilbakemeldinger: 3\nhttps://bli-involvert.no/redaktor/tilbakemeldinger"
        ));
        assert!(body.contains("- Runde: 2\n  https://bli-involvert.no/redaktor/innspill/runde"));
        assert!(body.contains("Lenker som ikke virker: 1"));
        assert!(!body.contains("kontrollert på over"));
    }
}
