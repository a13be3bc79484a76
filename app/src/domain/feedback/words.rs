//! The flow's words as the page shows them, shared by the server's render
//! and the feedback island: step headings, the problem summary, the
//! details step's label by kind, and the review step's rows.

use super::{FeedbackDraft, FeedbackKind, STEPS, TOPICS};

/// "Steg 2 av 4: Detaljer": a step's heading.
pub fn step_heading(step: u8) -> String {
    format!("Steg {step} av 4: {}", STEPS[step.clamp(1, 4) as usize - 1])
}

/// "Rett opp 2 felter før du går videre.": the line above a step with problems.
pub fn step_summary(problems: usize) -> String {
    format!(
        "Rett opp {problems} {} før du går videre.",
        if problems == 1 { "felt" } else { "felter" }
    )
}

/// The label of the details step's text, by what the feedback is about.
pub fn message_label(kind: &str) -> &'static str {
    match FeedbackKind::parse(kind) {
        Some(FeedbackKind::Suggestion) => "Hvorfor er den nyttig? (valgfritt)",
        Some(FeedbackKind::Error) => "Hva er feil, eller hva mangler?",
        Some(FeedbackKind::Input) => "Innspillet ditt",
        _ => "Hva vil du si til oss?",
    }
}

/// The review step's rows: (the step that changes it, label, value).
pub fn review_rows(
    d: &FeedbackDraft,
    levels: &[(String, String)],
    audiences: &[(String, String)],
) -> Vec<(u8, &'static str, String)> {
    let names = |keys: &[String], options: &[(String, String)]| {
        let list: Vec<String> = keys
            .iter()
            .filter_map(|k| {
                options
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, l)| l.clone())
            })
            .collect();
        if list.is_empty() {
            "–".to_string()
        } else {
            list.join(", ")
        }
    };
    let or_dash = |s: &str| {
        if s.trim().is_empty() {
            "–".to_string()
        } else {
            s.to_string()
        }
    };
    let mut rows: Vec<(u8, &'static str, String)> =
        vec![(1, "Gjelder", d.kind_label().to_string())];
    match FeedbackKind::parse(&d.kind) {
        Some(FeedbackKind::Suggestion) => {
            rows.push((2, "Ressurs", or_dash(&d.title)));
            rows.push((2, "Lenke", or_dash(&d.url)));
            rows.push((2, "Nivå", names(&d.levels, levels)));
            rows.push((2, "Målgruppe", names(&d.audiences, audiences)));
        }
        Some(FeedbackKind::Error) => rows.push((2, "Side", or_dash(&d.page))),
        Some(FeedbackKind::Input) => rows.push((
            2,
            "Tema",
            TOPICS
                .iter()
                .find(|(k, _)| *k == d.topic)
                .map(|(_, l)| l.to_string())
                .unwrap_or_else(|| "–".into()),
        )),
        _ => {}
    }
    rows.push((2, "Tekst", or_dash(&d.message)));
    rows.push((
        3,
        "Navn",
        if d.name.trim().is_empty() {
            "Anonym".into()
        } else {
            d.name.clone()
        },
    ));
    rows.push((
        3,
        "E-post",
        if d.consent {
            or_dash(&d.email)
        } else {
            "Vi kontakter deg ikke".into()
        },
    ));
    rows
}
