//! Consultation rounds (innspillsrunder): what an editor submits for a round,
//! and what a visitor submits as answers, with the checks for both.

use serde::{Deserialize, Serialize};

use crate::domain::{
    form::{field, FieldError, FormState},
    is_valid_slug,
    resource::ResourceStatus,
    slugify,
};

pub const QUESTIONS_MAX: usize = 12;
pub const QUESTION_MAX: usize = 500;
pub const ANSWER_MAX: usize = 4_000;

/// Whether the page at `path` (no query) shows consultation rounds: the
/// list (`/innspill`) and each round's page. What a round's save forgets
/// from the page cache (its slug may change, so every round's page goes).
pub fn shows_rounds(path: &str) -> bool {
    path == "/innspill" || path.starts_with("/innspill/")
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInput {
    pub slug: String,
    pub title: String,
    pub intro: String,
    /// ISO date: the last day answers are taken.
    pub closes_on: String,
    /// `draft` or `published`.
    pub status: String,
    /// One question per line in the form.
    pub questions: Vec<String>,
    /// The version the form was opened at (an existing round): a save
    /// from an older one is refused (review 3, N5).
    #[serde(default)]
    pub version: Option<i64>,
}

impl RoundInput {
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        let mut input = RoundInput {
            slug: field(pairs, "slug").trim().to_lowercase(),
            title: field(pairs, "title").trim().to_string(),
            intro: field(pairs, "intro").trim().replace("\r\n", "\n"),
            closes_on: field(pairs, "closes_on").trim().to_string(),
            status: field(pairs, "status"),
            questions: field(pairs, "questions")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            version: field(pairs, "version").trim().parse().ok(),
        };
        if input.slug.is_empty() {
            input.slug = slugify(&input.title);
        }
        input
    }

    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.title.is_empty() {
            errors.push(FieldError::new("title", "Skriv en tittel."));
        } else if self.title.chars().count() > crate::domain::resource::TITLE_MAX {
            errors.push(FieldError::new(
                "title",
                format!(
                    "Tittelen kan ha høyst {} tegn.",
                    crate::domain::resource::TITLE_MAX
                ),
            ));
        }
        if !is_valid_slug(&self.slug) {
            errors.push(FieldError::new(
                "slug",
                "Adressen kan bare ha små bokstaver a–z, tall og enkle bindestreker.",
            ));
        }
        if self.intro.chars().count() > crate::domain::resource::BODY_MAX {
            errors.push(FieldError::new("intro", "Innledningen er for lang."));
        }
        if !crate::domain::form::is_iso_date(&self.closes_on) {
            errors.push(FieldError::new(
                "closes_on",
                "Skriv siste svardag som ÅÅÅÅ-MM-DD, for eksempel 2027-03-01.",
            ));
        }
        if ResourceStatus::parse(&self.status).is_none() {
            errors.push(FieldError::new("status", "Velg utkast eller publisert."));
        }
        if self.questions.is_empty() {
            errors.push(FieldError::new(
                "questions",
                "Skriv minst ett spørsmål, ett per linje.",
            ));
        } else if self.questions.len() > QUESTIONS_MAX {
            errors.push(FieldError::new(
                "questions",
                format!("Høyst {QUESTIONS_MAX} spørsmål."),
            ));
        } else if self
            .questions
            .iter()
            .any(|q| q.chars().count() > QUESTION_MAX)
        {
            errors.push(FieldError::new(
                "questions",
                format!("Hvert spørsmål kan ha høyst {QUESTION_MAX} tegn."),
            ));
        }
        errors
    }
}

/// A visitor's answers: (question id, answer); empty answers are skipped.
pub fn answers_from_form(pairs: &[(String, String)]) -> Vec<(i64, String)> {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let id = k.strip_prefix("q")?.parse().ok()?;
            let answer = v.trim().replace("\r\n", "\n");
            (!answer.is_empty()).then_some((id, answer))
        })
        .collect()
}

pub fn check_answers(answers: &[(i64, String)]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if answers.is_empty() {
        errors.push(FieldError::new(
            "answers",
            "Svar på minst ett av spørsmålene.",
        ));
    }
    for (id, answer) in answers {
        if answer.chars().count() > ANSWER_MAX {
            errors.push(FieldError::new(
                format!("q{id}"),
                format!("Svaret kan ha høyst {ANSWER_MAX} tegn."),
            ));
        }
    }
    errors
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRow {
    pub slug: String,
    pub title: String,
    pub closes_on: String,
    pub status: ResourceStatus,
    /// Still taking answers (closing date today or later).
    pub open: bool,
    pub responses: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub intro: String,
    /// The introduction rendered (sanitised Markdown).
    pub intro_html: String,
    pub closes_on: String,
    pub status: ResourceStatus,
    pub open: bool,
    /// (id, text)
    pub questions: Vec<(i64, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionAnswers {
    pub question: String,
    /// (when, answer)
    pub answers: Vec<(String, String)>,
}

/// A visitor's answers as posted: (question id, answer).
pub type Answers = Vec<(i64, String)>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundPage {
    pub round: Round,
    /// The answers as they came back from the form handler, with problems.
    pub echo: Option<FormState<Answers>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundEditor {
    pub id: Option<i64>,
    pub form: FormState<RoundInput>,
    pub answers: Vec<QuestionAnswers>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_needs_a_title_a_date_and_questions() {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let round = RoundInput::from_form(&pairs(&[
            ("title", "Utfordringer på systemnivå"),
            ("closes_on", "2027-02-30"),
            ("status", "published"),
            ("questions", "Hva virker?\r\n\r\n  Hva mangler?  "),
        ]));
        assert_eq!(round.slug, "utfordringer-pa-systemniva");
        assert_eq!(round.questions, ["Hva virker?", "Hva mangler?"]);
        assert_eq!(
            round
                .check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["closes_on"]
        );
        let empty =
            RoundInput::from_form(&pairs(&[("status", "draft"), ("closes_on", "2027-01-01")]));
        assert_eq!(
            empty
                .check()
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>(),
            ["title", "slug", "questions"]
        );
    }

    #[test]
    fn answers_skip_the_empty_ones() {
        let pairs = vec![
            ("q3".to_string(), " Mer tid ".to_string()),
            ("q4".to_string(), "  ".to_string()),
            ("annet".to_string(), "x".to_string()),
        ];
        let answers = answers_from_form(&pairs);
        assert_eq!(answers, vec![(3, "Mer tid".to_string())]);
        assert!(check_answers(&answers).is_empty());
        assert_eq!(check_answers(&[])[0].field, "answers");
    }
}
