//! The link checker's shared vocabulary: what a check can conclude, the rows
//! the editors' link page shows, and the pure helpers (where a link points,
//! replacing an address in a text) that the checker and the forms share.

use serde::{Deserialize, Serialize};

/// What the last check of a link found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkStatus {
    /// Not checked yet (new since the last run).
    Unchecked,
    /// Answered 2xx (possibly after temporary redirects).
    Ok,
    /// Moved for good (301/308) to an address that answers.
    Redirect,
    /// 4xx: gone, not found, refused.
    ClientError,
    /// 5xx.
    ServerError,
    /// No answer within the time-out.
    Timeout,
    /// No connection: DNS, TLS, refused or closed connection.
    Network,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 7] = [
        LinkStatus::Unchecked,
        LinkStatus::Ok,
        LinkStatus::Redirect,
        LinkStatus::ClientError,
        LinkStatus::ServerError,
        LinkStatus::Timeout,
        LinkStatus::Network,
    ];

    /// The key stored in the database and used in the filter's URL.
    pub fn key(self) -> &'static str {
        match self {
            LinkStatus::Unchecked => "unchecked",
            LinkStatus::Ok => "ok",
            LinkStatus::Redirect => "redirect",
            LinkStatus::ClientError => "client-error",
            LinkStatus::ServerError => "server-error",
            LinkStatus::Timeout => "timeout",
            LinkStatus::Network => "network",
        }
    }

    pub fn parse(key: &str) -> Option<LinkStatus> {
        LinkStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// In words, for editors.
    pub fn label(self) -> &'static str {
        match self {
            LinkStatus::Unchecked => "Ikke sjekket ennå",
            LinkStatus::Ok => "Virker",
            LinkStatus::Redirect => "Flyttet permanent",
            LinkStatus::ClientError => "Finnes ikke eller avvist (4xx)",
            LinkStatus::ServerError => "Feil hos nettstedet (5xx)",
            LinkStatus::Timeout => "Svarte ikke i tide",
            LinkStatus::Network => "DNS-, TLS- eller tilkoblingsfeil",
        }
    }

    /// Whether this check counts towards calling the link broken.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            LinkStatus::ClientError
                | LinkStatus::ServerError
                | LinkStatus::Timeout
                | LinkStatus::Network
        )
    }
}

/// Where a link is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkUse {
    /// The resource's or page's title.
    pub title: String,
    /// Its editor, e.g. `/redaktor/ressurser/slug`.
    pub editor_href: String,
    /// The link's text or label there.
    pub label: String,
    /// Whether "Bruk ny adresse" can update it (resources can).
    pub is_resource: bool,
}

/// One link as the editors' page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    pub id: i64,
    pub url: String,
    /// A [`LinkStatus`] key.
    pub status: String,
    pub http_code: Option<i64>,
    pub final_url: Option<String>,
    pub detail: String,
    pub broken: bool,
    pub first_failure_at: Option<String>,
    pub last_checked_at: Option<String>,
    pub uses: Vec<LinkUse>,
    /// References of open error reports from visitors that name this link.
    pub reports: Vec<String>,
}

impl LinkRow {
    pub fn status(&self) -> LinkStatus {
        LinkStatus::parse(&self.status).unwrap_or(LinkStatus::Unchecked)
    }
}

/// The counts at the top of the link page, the dashboard and the digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkSummary {
    pub total: i64,
    pub broken: i64,
    pub redirects: i64,
    /// When the last finished run ended, if any.
    pub last_run: Option<String>,
    /// Whether a run is under way now.
    pub running: bool,
}

/// What needs the editors: the top of the dashboard and the e-mail digest.
/// Counts and titles only: never what a visitor wrote, nor who they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    /// Feedback received in the period.
    pub new_feedback: i64,
    /// Open consultation rounds with answers in the period: (title, editor path, answers).
    pub answers: Vec<(String, String, i64)>,
    /// Broken links, and (title, editor path) of up to ten places using them.
    pub broken_links: i64,
    pub broken_in: Vec<(String, String)>,
    /// Published resources not reviewed in twelve months, and up to ten of them.
    pub due_review: i64,
    pub due_titles: Vec<(String, String)>,
}

impl Attention {
    /// Nothing to tell anyone.
    pub fn is_empty(&self) -> bool {
        self.new_feedback == 0
            && self.answers.is_empty()
            && self.broken_links == 0
            && self.due_review == 0
    }
}

/// The editors' link page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinksOverview {
    pub summary: LinkSummary,
    pub broken: Vec<LinkRow>,
    pub redirects: Vec<LinkRow>,
    pub rest: Vec<LinkRow>,
    /// Links matching the filter beyond those listed.
    pub more: i64,
}

/// How the checker behaves. The server fills it from its settings; tests
/// shorten the time-outs and the minimum gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSettings {
    /// Sent with every request: names the site and its public address.
    pub user_agent: String,
    /// The site's own `host[:port]`: its links are not checked.
    pub own_host: Option<String>,
    /// How long one request may take, connecting included.
    pub timeout: std::time::Duration,
    /// Requests under way at once, over all hosts.
    pub concurrency: usize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// A pause after each request to a host before the next one to it.
    pub per_host_pause: std::time::Duration,
    /// A link is broken once its failures span at least this long.
    pub min_broken_gap: std::time::Duration,
    /// Days the history of checks is kept.
    pub history_days: u32,
    /// Hosts the checker may request although they are internal or on
    /// another port than 80/443 (`host` or `host:port`; the operator's
    /// `BLI_LINK_CHECK_ALLOW`). Empty: only public addresses, ports 80 and
    /// 443 (security review 3, N1).
    pub allow: Vec<String>,
}

impl CheckSettings {
    /// The defaults for a site served at `public_url`.
    pub fn for_site(public_url: &str) -> CheckSettings {
        CheckSettings {
            user_agent: format!(
                "bli-involvert-lenkesjekk/{} (lenkesjekk for {public_url}; +{public_url}/om-nettstedet)",
                env!("CARGO_PKG_VERSION")
            ),
            own_host: host_of(public_url),
            timeout: std::time::Duration::from_secs(15),
            concurrency: 6,
            max_redirects: 10,
            per_host_pause: std::time::Duration::from_millis(250),
            min_broken_gap: std::time::Duration::from_secs(6 * 3600),
            history_days: 180,
            allow: Vec::new(),
        }
    }
}

/// How many links of "the rest" the page lists at once.
pub const REST_LIMIT: i64 = 300;

/// `host[:port]` of an absolute http(s) URL, lower-cased; `None` for
/// anything the checker does not request (mailto:, relative paths, …).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| {
            let lower = url.get(..8)?.to_ascii_lowercase();
            if lower.starts_with("https://") {
                url.get(8..)
            } else if lower.starts_with("http://") {
                url.get(7..)
            } else {
                None
            }
        })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or("");
    if authority.is_empty() || authority.chars().any(|c| c.is_whitespace()) {
        return None;
    }
    Some(authority.to_ascii_lowercase())
}

/// "Bruk ny adresse" waiting for the editor's confirmation: the exact
/// address that will be saved, shown before anything is changed (review 3,
/// N8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAddressToConfirm {
    pub id: i64,
    pub old: String,
    pub new: String,
    /// Resources and pages that use the old address.
    pub uses: usize,
}

/// The top of the dashboard: what needs the editors, and the signed-in
/// editor's own digest choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionView {
    /// Feedback and answers counted over the last seven days.
    pub attention: Attention,
    pub links: LinkSummary,
    /// Where this editor gets the digest, if they opted in.
    pub digest_email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_checkable_links() {
        assert_eq!(
            host_of("https://Lovdata.no/dokument?x=1").as_deref(),
            Some("lovdata.no")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/a").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_of("HTTPS://a.no").as_deref(), Some("a.no"));
        assert_eq!(host_of("https://user@a.no/").as_deref(), Some("a.no"));
        assert_eq!(host_of("mailto:post@a.no"), None);
        assert_eq!(host_of("/ressurser/x"), None);
        assert_eq!(host_of("https:///x"), None);
    }

    #[test]
    fn status_keys_round_trip() {
        for s in LinkStatus::ALL {
            assert_eq!(LinkStatus::parse(s.key()), Some(s));
        }
        assert!(LinkStatus::Timeout.is_failure());
        assert!(!LinkStatus::Redirect.is_failure());
    }
}
