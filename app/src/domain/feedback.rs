//! The "Gi tilbakemelding" flow as plain data: what the visitor has typed so
//! far, which step they are on, and the checks for each step. The server's
//! form handler (no JavaScript: every step a round trip carrying the state
//! in hidden fields) and the browser (no reloads) run the same code.

use serde::{Deserialize, Serialize};

use crate::domain::form::{field, is_valid_url, FieldError};

mod kinds;
mod words;
pub use kinds::{kind_label, status_label, FeedbackKind, FeedbackStatus};
pub use words::{message_label, review_rows, step_heading, step_summary};

/// For "innspill": what part of the site.
pub const TOPICS: [(&str, &str); 3] = [
    ("innhold", "Innholdet"),
    ("struktur", "Strukturen og navigasjonen"),
    ("design", "Utseendet og brukervennligheten"),
];

pub const STEPS: [&str; 4] = [
    "Hva gjelder det?",
    "Detaljer",
    "Kontaktinformasjon",
    "Se over og send",
];

pub const TITLE_MAX: usize = 200;
pub const MESSAGE_MAX: usize = 4_000;
pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 200;
pub const PAGE_MAX: usize = 300;

/// Everything typed so far. Every field travels with every step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDraft {
    /// 1–4; 0 is read as 1.
    pub step: u8,
    pub kind: String,
    /// forslag: the resource's title and link, level and audience keys.
    pub title: String,
    pub url: String,
    pub levels: Vec<String>,
    pub audiences: Vec<String>,
    /// innspill: which part of the site.
    pub topic: String,
    /// The page or resource the visitor came from (a local path).
    pub page: String,
    pub message: String,
    pub name: String,
    pub email: String,
    /// Explicit consent to be contacted.
    pub consent: bool,
    /// The honeypot: a field people never see, so never fill in.
    pub trap: String,
}

/// What the visitor pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowAction {
    Next,
    Back,
    /// Go to this step to change something (from the review).
    Edit(u8),
    Send,
}

impl FlowAction {
    pub fn parse(s: &str) -> FlowAction {
        match s {
            "tilbake" => FlowAction::Back,
            "send" => FlowAction::Send,
            s => match s.strip_prefix("endre-").and_then(|n| n.parse().ok()) {
                Some(step @ 1..=3) => FlowAction::Edit(step),
                _ => FlowAction::Next,
            },
        }
    }
}

/// A local path the visitor came from, or "" (never an outside address).
pub fn safe_page(page: &str) -> String {
    let page = page.trim();
    if page.starts_with('/')
        && !page.starts_with("//")
        && !page.contains('\\')
        && page.chars().count() <= PAGE_MAX
        && !page.chars().any(char::is_control)
    {
        page.to_string()
    } else {
        String::new()
    }
}

fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

impl FeedbackDraft {
    /// Reads the flow's form: the hidden fields carrying earlier steps and
    /// the visible fields of the current one (same names).
    pub fn from_pairs(pairs: &[(String, String)]) -> FeedbackDraft {
        let many = |name: &str| {
            let mut values: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            values.dedup();
            values
        };
        FeedbackDraft {
            step: field(pairs, "steg").trim().parse().unwrap_or(1),
            kind: field(pairs, "kind").trim().to_string(),
            title: field(pairs, "title"),
            url: field(pairs, "url").trim().to_string(),
            levels: many("level"),
            audiences: many("audience"),
            topic: field(pairs, "topic").trim().to_string(),
            page: safe_page(&field(pairs, "page")),
            message: field(pairs, "message").replace("\r\n", "\n"),
            name: field(pairs, "name"),
            email: field(pairs, "email").trim().to_string(),
            consent: field(pairs, "consent") == "ja",
            trap: field(pairs, "nettsted"),
        }
    }

    /// The fields that carry the state through a step that does not show them.
    pub fn hidden_pairs(&self, except_step: u8) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |k: &str, v: &str| out.push((k.to_string(), v.to_string()));
        if except_step != 1 {
            push("kind", &self.kind);
        }
        if except_step != 2 {
            push("title", &self.title);
            push("url", &self.url);
            push("topic", &self.topic);
            push("message", &self.message);
            for l in &self.levels {
                push("level", l);
            }
            for a in &self.audiences {
                push("audience", a);
            }
        }
        if except_step != 3 {
            push("name", &self.name);
            push("email", &self.email);
            if self.consent {
                push("consent", "ja");
            }
        }
        // The error report shows the page as a field on its own step.
        if !(except_step == 2 && FeedbackKind::parse(&self.kind) == Some(FeedbackKind::Error)) {
            push("page", &self.page);
        }
        out
    }

    pub fn step(&self) -> u8 {
        self.step.clamp(1, 4)
    }

    pub fn kind_label(&self) -> &'static str {
        FeedbackKind::parse(&self.kind).map_or("", FeedbackKind::label)
    }

    /// Problems with one step's fields. `levels` and `audiences` are the
    /// keys the details step may offer.
    pub fn check_step(&self, step: u8, levels: &[String], audiences: &[String]) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let len = |s: &str| s.chars().count();
        match step {
            1 if FeedbackKind::parse(&self.kind).is_none() => {
                errors.push(FieldError::new(
                    "kind",
                    "Velg hva tilbakemeldingen gjelder.",
                ));
            }
            2 => {
                if FeedbackKind::parse(&self.kind) == Some(FeedbackKind::Suggestion) {
                    if self.title.trim().is_empty() {
                        errors.push(FieldError::new("title", "Skriv hva ressursen heter."));
                    } else if len(&self.title) > TITLE_MAX {
                        errors.push(FieldError::new(
                            "title",
                            format!("Navnet kan ha høyst {TITLE_MAX} tegn."),
                        ));
                    }
                    if !self.url.is_empty() && !is_valid_url(&self.url) {
                        errors.push(FieldError::new("url", "Skriv en hel nettadresse som begynner med https://, eller la feltet stå tomt."));
                    }
                    if self.levels.iter().any(|l| !levels.contains(l)) {
                        errors.push(FieldError::new("level", "Velg blant nivåene på listen."));
                    }
                    if self.audiences.iter().any(|a| !audiences.contains(a)) {
                        errors.push(FieldError::new(
                            "audience",
                            "Velg blant målgruppene på listen.",
                        ));
                    }
                } else if self.message.trim().is_empty() {
                    let text = match FeedbackKind::parse(&self.kind) {
                        Some(FeedbackKind::Error) => "Beskriv hva som er feil eller mangler.",
                        Some(FeedbackKind::Input) => "Skriv innspillet ditt.",
                        _ => "Skriv hva du vil si til oss.",
                    };
                    errors.push(FieldError::new("message", text));
                }
                if FeedbackKind::parse(&self.kind) == Some(FeedbackKind::Input)
                    && !self.topic.is_empty()
                    && !TOPICS.iter().any(|(k, _)| *k == self.topic)
                {
                    errors.push(FieldError::new("topic", "Velg blant valgene på listen."));
                }
                if len(&self.message) > MESSAGE_MAX {
                    errors.push(FieldError::new(
                        "message",
                        format!(
                            "Teksten kan ha høyst {MESSAGE_MAX} tegn. Nå er den {} tegn.",
                            len(&self.message)
                        ),
                    ));
                }
            }
            3 => {
                if len(&self.name) > NAME_MAX {
                    errors.push(FieldError::new(
                        "name",
                        format!("Navnet kan ha høyst {NAME_MAX} tegn."),
                    ));
                }
                if !self.email.is_empty()
                    && (len(&self.email) > EMAIL_MAX || !is_plausible_email(&self.email))
                {
                    errors.push(FieldError::new(
                        "email",
                        "Skriv en e-postadresse som navn@eksempel.no, eller la feltet stå tomt.",
                    ));
                }
                if self.consent && self.email.is_empty() {
                    errors.push(FieldError::new("email", "Skriv e-postadressen vi kan kontakte deg på, eller fjern haken for kontakt."));
                }
                if !self.consent && !self.email.is_empty() {
                    errors.push(FieldError::new(
                        "consent",
                        "Kryss av hvis vi kan kontakte deg, eller ta bort e-postadressen. Uten samtykke lagrer vi den ikke.",
                    ));
                }
            }
            _ => {}
        }
        errors
    }

    /// What is stored of a finished draft: only the fields the chosen kind
    /// asks for (a JSON client can send them all, at any length), lists
    /// without repeats, the page only when it is a local path.
    pub fn for_storage(&self) -> FeedbackDraft {
        let suggestion = FeedbackKind::parse(&self.kind) == Some(FeedbackKind::Suggestion);
        let unique = |values: &[String]| {
            let mut out: Vec<String> = Vec::new();
            for v in values {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            out
        };
        FeedbackDraft {
            step: self.step,
            kind: self.kind.clone(),
            title: if suggestion {
                self.title.clone()
            } else {
                String::new()
            },
            url: if suggestion {
                self.url.clone()
            } else {
                String::new()
            },
            levels: if suggestion {
                unique(&self.levels)
            } else {
                Vec::new()
            },
            audiences: if suggestion {
                unique(&self.audiences)
            } else {
                Vec::new()
            },
            topic: if FeedbackKind::parse(&self.kind) == Some(FeedbackKind::Input) {
                self.topic.clone()
            } else {
                String::new()
            },
            page: safe_page(&self.page),
            message: self.message.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            consent: self.consent,
            trap: String::new(),
        }
    }

    /// Every step's problems, for the final send.
    pub fn check_all(&self, levels: &[String], audiences: &[String]) -> Vec<FieldError> {
        (1..=3)
            .flat_map(|s| self.check_step(s, levels, audiences))
            .collect()
    }

    /// Moves through the flow. Going forward checks the step being left and
    /// stays on it if something is wrong; going back never loses input.
    /// `Send` only checks (the caller stores and shows the receipt).
    pub fn apply(
        mut self,
        action: FlowAction,
        levels: &[String],
        audiences: &[String],
    ) -> (FeedbackDraft, Vec<FieldError>) {
        let step = self.step();
        match action {
            FlowAction::Back => {
                self.step = step.saturating_sub(1).max(1);
                (self, Vec::new())
            }
            FlowAction::Edit(to) => {
                self.step = to.clamp(1, 3);
                (self, Vec::new())
            }
            FlowAction::Next => {
                let errors = self.check_step(step, levels, audiences);
                if errors.is_empty() {
                    self.step = (step + 1).min(4);
                }
                self.step = self.step.max(1);
                (self, errors)
            }
            FlowAction::Send => {
                let errors = self.check_all(levels, audiences);
                if let Some(first) = errors.first() {
                    // Show the first step with a problem.
                    self.step = (1..=3)
                        .find(|s| !self.check_step(*s, levels, audiences).is_empty())
                        .unwrap_or(step);
                    let _ = first;
                }
                (self, errors)
            }
        }
    }
}

/// What the feedback island's "Send" gets back from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sent {
    /// Stored (now, or by an earlier try with the same key): the receipt's
    /// reference.
    Stored(String),
    /// Not stored: the sentence for the top of the form, and the fields to
    /// fix, if a field was the reason.
    Refused {
        message: String,
        errors: Vec<FieldError>,
    },
}

/// A submission key as the island makes them (a UUID): letters, digits and
/// hyphens, 8 to 64 of them.
pub fn is_submission_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The flow's state as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackFlow {
    pub draft: FeedbackDraft,
    pub errors: Vec<FieldError>,
    /// (key, label) of the levels and audiences a suggestion may name.
    pub levels: Vec<(String, String)>,
    pub audiences: Vec<(String, String)>,
    /// Set when a message should head the form (a refused submission).
    pub message: Option<String>,
    pub retention_days: u32,
    /// The flow came back from a step the visitor sent (not a fresh start):
    /// the step's heading then takes focus.
    pub answered: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn keys() -> (Vec<String>, Vec<String>) {
        (
            vec!["individ".into(), "tjeneste".into(), "system".into()],
            vec!["parorende".into()],
        )
    }

    #[test]
    fn each_step_checks_its_own_fields() {
        let (l, a) = keys();
        let draft = FeedbackDraft::from_pairs(&pairs(&[("steg", "1")]));
        let (draft, errors) = draft.apply(FlowAction::Next, &l, &a);
        assert_eq!((draft.step, errors[0].field.as_str()), (1, "kind"));

        let draft = FeedbackDraft {
            kind: "forslag".into(),
            ..draft
        };
        let (draft, errors) = draft.apply(FlowAction::Next, &l, &a);
        assert_eq!((draft.step, errors.len()), (2, 0));

        let draft = FeedbackDraft {
            url: "lenke.no".into(),
            levels: vec!["himmel".into()],
            ..draft
        };
        let (draft, errors) = draft.apply(FlowAction::Next, &l, &a);
        assert_eq!(draft.step, 2);
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["title", "url", "level"]
        );

        let draft = FeedbackDraft {
            kind: "feil".into(),
            url: String::new(),
            levels: vec![],
            ..draft
        };
        let (_, errors) = draft.clone().apply(FlowAction::Next, &l, &a);
        assert_eq!(errors[0].message, "Beskriv hva som er feil eller mangler.");

        let contact = FeedbackDraft {
            step: 3,
            email: "kari@eksempel.no".into(),
            ..draft.clone()
        };
        assert_eq!(
            contact.check_step(3, &l, &a)[0].field,
            "consent",
            "an address without consent is not kept"
        );
        let contact = FeedbackDraft {
            email: "ikke en adresse".into(),
            consent: true,
            ..contact
        };
        assert_eq!(contact.check_step(3, &l, &a)[0].field, "email");
    }

    #[test]
    fn the_state_survives_the_round_trip_through_hidden_fields() {
        let draft = FeedbackDraft {
            step: 3,
            kind: "forslag".into(),
            title: "Brukerråd i praksis".into(),
            url: "https://eksempel.no/".into(),
            levels: vec!["tjeneste".into(), "system".into()],
            audiences: vec!["parorende".into()],
            message: "Linje én\nlinje to".into(),
            page: "/ressurser/erfaringsbasert-kvalitetssikring".into(),
            name: "Kari".into(),
            email: "kari@eksempel.no".into(),
            consent: true,
            ..Default::default()
        };
        // Each step shows its own fields; the rest ride along hidden.
        for step in 1..=4u8 {
            let mut form = draft.hidden_pairs(step);
            form.push(("steg".into(), draft.step.to_string()));
            let visible = draft
                .hidden_pairs(0)
                .into_iter()
                .filter(|p| !form.contains(p))
                .collect::<Vec<_>>();
            form.extend(visible);
            assert_eq!(FeedbackDraft::from_pairs(&form), draft, "step {step}");
        }
    }

    #[test]
    fn back_and_edit_never_lose_input_and_send_points_at_the_first_problem() {
        let (l, a) = keys();
        let draft = FeedbackDraft {
            step: 4,
            kind: "innspill".into(),
            message: "Bra side".into(),
            ..Default::default()
        };
        let (back, errors) = draft.clone().apply(FlowAction::Back, &l, &a);
        assert_eq!(
            (back.step, back.message.as_str(), errors.len()),
            (3, "Bra side", 0)
        );
        let (edit, _) = draft.clone().apply(FlowAction::Edit(1), &l, &a);
        assert_eq!((edit.step, edit.kind.as_str()), (1, "innspill"));
        let broken = FeedbackDraft {
            message: String::new(),
            ..draft
        };
        let (sent, errors) = broken.apply(FlowAction::Send, &l, &a);
        assert_eq!((sent.step, errors[0].field.as_str()), (2, "message"));
    }

    #[test]
    fn only_local_pages_are_remembered() {
        assert_eq!(
            safe_page("/ressurser/erfaringsbasert-kvalitetssikring"),
            "/ressurser/erfaringsbasert-kvalitetssikring"
        );
        assert_eq!(safe_page("https://evil.example/"), "");
        assert_eq!(safe_page("//evil.example/"), "");
        assert_eq!(FlowAction::parse("endre-2"), FlowAction::Edit(2));
        assert_eq!(FlowAction::parse("endre-9"), FlowAction::Next);
    }
}
