//! The involvement guide (beslutningsverktøy): a few questions about what a
//! centre is planning, and a recommended degree of involvement with a
//! checklist. Pure logic shared by the server and the browser; the answers
//! live in the URL (`/veiviser?plan=kurs&nivaa=tjeneste…`) so a result can be
//! shared and reproduced.

use serde::{Deserialize, Serialize};

use crate::{
    domain::form::FieldError,
    query::{decode, encode},
};

/// One question: URL parameter, legend, whether several answers may be
/// ticked, and the choices as (key, label).
pub struct Question {
    pub key: &'static str,
    pub legend: &'static str,
    pub hint: Option<&'static str>,
    pub multiple: bool,
    pub choices: &'static [(&'static str, &'static str)],
}

pub const QUESTIONS: [Question; 6] = [
    Question {
        key: "plan",
        legend: "Hva planlegger dere?",
        hint: None,
        multiple: false,
        choices: &[
            ("kurs", "Et kurs, en fagdag eller en konferanse"),
            ("prosjekt", "Et utviklingsprosjekt"),
            ("forskning", "Et forskningsprosjekt"),
            ("undersokelse", "En undersøkelse eller kartlegging"),
            ("rutiner", "Rutiner for brukerinvolvering i en tjeneste"),
        ],
    },
    Question {
        key: "berorte",
        legend: "Hvem berøres?",
        hint: Some("Kryss av for alle som gjelder. Du kan også la være."),
        multiple: true,
        choices: &[
            ("brukere", "Brukere av tjenestene"),
            ("parorende", "Pårørende"),
            ("barn-unge", "Barn og unge"),
        ],
    },
    Question {
        key: "nivaa",
        legend: "På hvilket nivå skjer involveringen?",
        hint: None,
        multiple: false,
        choices: &[
            (
                "individ",
                "Individnivå: den enkeltes behandling eller tilbud",
            ),
            ("tjeneste", "Tjenestenivå: hvordan en tjeneste fungerer"),
            ("system", "Systemnivå: planlegging, utvikling og politikk"),
        ],
    },
    Question {
        key: "innflytelse",
        legend: "Hvor mye kan brukerne påvirke?",
        hint: None,
        multiple: false,
        choices: &[
            ("lite", "Lite: rammene og innholdet er i hovedsak bestemt"),
            ("noe", "Noe: vi vil ha råd før vi bestemmer"),
            ("mye", "Mye: brukerne kan forme innholdet underveis"),
            ("delt", "Vi kan dele beslutningene med brukerne"),
            ("styre", "Brukerne kan bestemme og lede arbeidet selv"),
        ],
    },
    Question {
        key: "tid",
        legend: "Hvor lang tid er det til arbeidet starter?",
        hint: None,
        multiple: false,
        choices: &[
            ("kort", "Under en måned"),
            ("middels", "En til tre måneder"),
            ("lang", "Mer enn tre måneder"),
        ],
    },
    Question {
        key: "honorar",
        legend: "Har dere penger til å betale brukerrepresentantene?",
        hint: Some("Honorar for tiden de bruker, og reiseutgifter."),
        multiple: false,
        choices: &[
            ("ja", "Ja, det er satt av penger"),
            ("delvis", "Noe, men ikke til deltakelse over tid"),
            ("nei", "Nei, ikke ennå"),
        ],
    },
];

/// The involvement ladder, least to most user power: (key, label). The keys
/// are the `grad` facet's; what each step means is a site text editors keep
/// (`veiviser.<key>`, see `texts.rs`).
pub const LADDER: [(&str, &str); 5] = [
    ("informere", "Informere"),
    ("konsultere", "Konsultere"),
    ("involvere", "Involvere"),
    ("samarbeide", "Samarbeide"),
    ("bemyndiggjore", "Bemyndiggjøre"),
];

/// The answers as read from the URL. Unknown keys and values are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideAnswers {
    /// (question key, chosen keys)
    pub chosen: Vec<(String, Vec<String>)>,
}

impl GuideAnswers {
    pub fn parse(raw: &str) -> Self {
        let raw = raw.strip_prefix('?').unwrap_or(raw);
        let mut answers = GuideAnswers::default();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            let Some(question) = QUESTIONS.iter().find(|q| q.key == k) else {
                continue;
            };
            if !question.choices.iter().any(|(c, _)| *c == v) {
                continue;
            }
            match answers.chosen.iter_mut().find(|(q, _)| *q == k) {
                Some((_, values)) if question.multiple => {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                Some(_) => {}
                None => answers.chosen.push((k, vec![v])),
            }
        }
        answers
    }

    pub fn get(&self, question: &str) -> Option<&str> {
        self.all(question).first().map(String::as_str)
    }

    pub fn all(&self, question: &str) -> &[String] {
        self.chosen
            .iter()
            .find(|(q, _)| q == question)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    pub fn is_chosen(&self, question: &str, choice: &str) -> bool {
        self.all(question).iter().any(|c| c == choice)
    }

    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty()
    }

    /// The answers as a query string in question order, so the same answers
    /// always give the same URL.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        for question in &QUESTIONS {
            for (choice, _) in question.choices {
                if self.is_chosen(question.key, choice) {
                    parts.push(format!("{}={}", question.key, encode(choice)));
                }
            }
        }
        parts.join("&")
    }

    /// A message by each question that needs an answer before there can be
    /// a recommendation ("Hvem berøres?" is optional).
    pub fn missing(&self) -> Vec<FieldError> {
        QUESTIONS
            .iter()
            .filter(|q| !q.multiple && self.get(q.key).is_none())
            .map(|q| FieldError::new(q.key, "Velg ett svar her for å få en anbefaling."))
            .collect()
    }
}

/// One thing to do, optionally with the resource that explains how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub text: String,
    /// A resource slug; the server drops it if the resource is not published.
    pub resource: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Index into `LADDER`.
    pub degree: usize,
    /// The step the answers about influence pointed to, when time or money
    /// held the recommendation below it.
    pub aim: Option<usize>,
    /// Why the recommendation is what it is, one sentence each.
    pub reasons: Vec<String>,
    pub checklist: Vec<ChecklistItem>,
}

impl Recommendation {
    pub fn key(&self) -> &'static str {
        LADDER[self.degree].0
    }
    pub fn label(&self) -> &'static str {
        LADDER[self.degree].1
    }
}

/// The recommendation for complete answers; `None` while a required answer
/// is missing.
///
/// The reasons and checklist are site texts editors keep (`veiviser.grunn.*`
/// and `veiviser.sjekk.*`, see `texts.rs`); `text` looks one up by key. A
/// text that is empty or missing gives no bullet.
pub fn recommend(answers: &GuideAnswers, text: &dyn Fn(&str) -> String) -> Option<Recommendation> {
    if !answers.missing().is_empty() {
        return None;
    }
    let plan = answers.get("plan")?;
    let level = answers.get("nivaa")?;
    let time = answers.get("tid")?;
    let pay = answers.get("honorar")?;
    let wanted = match answers.get("innflytelse")? {
        "lite" => 0,
        "noe" => 1,
        "mye" => 2,
        "delt" => 3,
        _ => 4,
    };
    let mut reasons = vec![format!(
        "Ut fra hvor mye brukerne kan påvirke, passer trinnet «{}».",
        LADDER[wanted].1
    )];
    let mut reason = |key: &str| {
        let text = text(&format!("veiviser.grunn.{key}"));
        if !text.trim().is_empty() {
            reasons.push(text.trim().to_string());
        }
    };
    let mut degree = wanted;
    // Floors first: some work should never be done with less than involvement.
    for (applies, key) in [
        (level == "individ", "individ"),
        (plan == "forskning", "forskning"),
        (plan == "rutiner", "rutiner"),
    ] {
        if applies && degree < 2 {
            degree = 2;
            reason(key);
        }
    }
    // Then ceilings: sharing power takes time and paid, prepared representatives.
    let before_caps = degree;
    for (applies, key) in [(pay == "nei", "honorar"), (time == "kort", "tid")] {
        if applies && degree > 2 {
            degree = 2;
            reason(key);
        }
    }
    let aim = (degree < before_caps).then_some(before_caps);

    let mut items: Vec<(&str, Option<&str>)> = vec![
        ("mandat", Some("mandat-rollebeskrivelser-og-moteplaner")),
        ("rolle", Some("mandat-rollebeskrivelser-og-moteplaner")),
        (
            if pay == "ja" {
                "honorar-avtalt"
            } else {
                "honorar-avklar"
            },
            Some("honorar-og-forberedelse-av-brukerrepresentanter"),
        ),
        (
            "forbered",
            Some("honorar-og-forberedelse-av-brukerrepresentanter"),
        ),
    ];
    if degree >= 3 {
        items.push(("beslutning", None));
    }
    items.push(match plan {
        "kurs" => ("kurs", Some("organisasjoner-i-innlegg-kurs-og-fagdager")),
        "forskning" => ("forskning", Some("brukerinvolvering-i-forskning")),
        "undersokelse" => ("undersokelse", Some("ta-pulsen-pa-ung-i-rogaland")),
        "rutiner" => (
            "rutiner",
            Some("rutiner-for-brukerinvolvering-i-tjenestene"),
        ),
        _ => ("prosjekt", Some("brukerinvolvering-i-tjenesteutvikling")),
    });
    if answers.is_chosen("berorte", "barn-unge") {
        items.push(("barn-unge", Some("involvere-barn-og-unge")));
    }
    if answers.is_chosen("berorte", "parorende") {
        items.push(("parorende", Some("nasjonal-parorendeveileder")));
    }
    items.push(("tilbakemelding", Some("tilbakemelding-til-deltakerne")));
    let checklist = items
        .into_iter()
        .filter_map(|(key, resource)| {
            let text = text(&format!("veiviser.sjekk.{key}"));
            (!text.trim().is_empty()).then(|| ChecklistItem {
                text: text.trim().to_string(),
                resource: resource.map(str::to_string),
            })
        })
        .collect();
    Some(Recommendation {
        degree,
        aim,
        reasons,
        checklist,
    })
}

/// The method (`metode` facet) that fits what is planned, for the shortlist.
pub fn method_for(plan: &str) -> Option<&'static str> {
    match plan {
        "kurs" => Some("fagdager"),
        "prosjekt" => Some("tjenesteutvikling"),
        "forskning" => Some("forskning"),
        "undersokelse" => Some("brukerundersokelser"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "plan=kurs&nivaa=tjeneste&innflytelse=noe&tid=middels&honorar=ja";

    /// Every text is its key, so the tests can tell which text was used.
    fn key(key: &str) -> String {
        key.to_string()
    }

    fn guide(raw: &str) -> Recommendation {
        recommend(&GuideAnswers::parse(raw), &key).unwrap()
    }

    #[test]
    fn answers_round_trip_through_the_url_in_question_order() {
        let answers = GuideAnswers::parse("honorar=ja&berorte=parorende&plan=kurs&berorte=brukere&nivaa=system&innflytelse=mye&tid=lang");
        assert_eq!(
            answers.to_query_string(),
            "plan=kurs&berorte=brukere&berorte=parorende&nivaa=system&innflytelse=mye&tid=lang&honorar=ja"
        );
        assert_eq!(
            GuideAnswers::parse(&answers.to_query_string()),
            GuideAnswers::parse(&answers.to_query_string())
        );
    }

    #[test]
    fn unknown_values_and_repeated_single_answers_are_dropped() {
        let answers =
            GuideAnswers::parse("plan=kurs&plan=forskning&nivaa=alt&x=1&innflytelse=%3Cscript%3E");
        assert_eq!(answers.get("plan"), Some("kurs"));
        assert_eq!(answers.get("nivaa"), None);
        assert_eq!(answers.get("innflytelse"), None);
        let missing: Vec<_> = answers.missing().into_iter().map(|e| e.field).collect();
        assert_eq!(missing, ["nivaa", "innflytelse", "tid", "honorar"]);
        assert!(recommend(&answers, &key).is_none());
    }

    #[test]
    fn influence_sets_the_step() {
        let step = |influence: &str| {
            guide(&FULL.replace("innflytelse=noe", &format!("innflytelse={influence}"))).key()
        };
        assert_eq!(step("lite"), "informere");
        assert_eq!(step("noe"), "konsultere");
        assert_eq!(step("mye"), "involvere");
        assert_eq!(step("delt"), "samarbeide");
        assert_eq!(step("styre"), "bemyndiggjore");
    }

    #[test]
    fn the_individual_level_and_research_never_get_less_than_involvement() {
        let individual = guide(
            &FULL
                .replace("nivaa=tjeneste", "nivaa=individ")
                .replace("innflytelse=noe", "innflytelse=lite"),
        );
        assert_eq!(individual.key(), "involvere");
        assert_eq!(individual.reasons[1], "veiviser.grunn.individ");
        let research = guide(&FULL.replace("plan=kurs", "plan=forskning"));
        assert_eq!(research.key(), "involvere");
        assert_eq!(research.reasons[1], "veiviser.grunn.forskning");
        assert!(research
            .checklist
            .iter()
            .any(|i| i.resource.as_deref() == Some("brukerinvolvering-i-forskning")));
    }

    #[test]
    fn no_money_or_little_time_holds_shared_power_back_and_says_so() {
        let answers = FULL.replace("innflytelse=noe", "innflytelse=styre");
        let paid = guide(&answers);
        assert_eq!((paid.key(), paid.aim), ("bemyndiggjore", None));
        assert_eq!(paid.reasons.len(), 1);
        let unpaid = guide(&answers.replace("honorar=ja", "honorar=nei"));
        assert_eq!((unpaid.key(), unpaid.aim), ("involvere", Some(4)));
        assert_eq!(unpaid.reasons[1..], ["veiviser.grunn.honorar"]);
        let rushed = guide(&answers.replace("tid=middels", "tid=kort"));
        assert_eq!(rushed.key(), "involvere");
        assert_eq!(rushed.reasons[1..], ["veiviser.grunn.tid"]);
    }

    #[test]
    fn the_checklist_always_has_the_essentials_and_fits_who_is_affected() {
        let keys = |r: &Recommendation| {
            r.checklist
                .iter()
                .map(|i| i.text.trim_start_matches("veiviser.sjekk.").to_string())
                .collect::<Vec<_>>()
        };
        let plain = guide(FULL);
        assert_eq!(
            keys(&plain),
            [
                "mandat",
                "rolle",
                "honorar-avtalt",
                "forbered",
                "kurs",
                "tilbakemelding"
            ]
        );
        assert_eq!(
            plain.checklist[4].resource.as_deref(),
            Some("organisasjoner-i-innlegg-kurs-og-fagdager")
        );
        let young = guide(&format!(
            "{}&berorte=barn-unge&berorte=parorende",
            FULL.replace("innflytelse=noe", "innflytelse=delt")
                .replace("honorar=ja", "honorar=delvis")
        ));
        assert_eq!(
            keys(&young),
            [
                "mandat",
                "rolle",
                "honorar-avklar",
                "forbered",
                "beslutning",
                "kurs",
                "barn-unge",
                "parorende",
                "tilbakemelding"
            ]
        );
    }

    #[test]
    fn an_empty_or_missing_text_gives_no_bullet() {
        let answers = GuideAnswers::parse(
            &FULL
                .replace("nivaa=tjeneste", "nivaa=individ")
                .replace("innflytelse=noe", "innflytelse=lite"),
        );
        let rec = recommend(&answers, &|k: &str| match k {
            "veiviser.grunn.individ" | "veiviser.sjekk.mandat" => "  ".to_string(),
            "veiviser.sjekk.rolle" => String::new(),
            _ => format!(" {k} "),
        })
        .unwrap();
        assert_eq!(rec.key(), "involvere", "the floor holds without its text");
        assert_eq!(rec.reasons.len(), 1);
        assert!(rec
            .checklist
            .iter()
            .all(|i| !i.text.is_empty() && i.text == i.text.trim()));
        assert_eq!(rec.checklist[0].text, "veiviser.sjekk.honorar-avtalt");
    }

    #[test]
    fn every_text_the_guide_asks_for_is_a_site_text() {
        let asked = std::cell::RefCell::new(std::collections::BTreeSet::new());
        let lookup = |k: &str| {
            asked.borrow_mut().insert(k.to_string());
            k.to_string()
        };
        let mut raws = vec![String::new()];
        for question in &QUESTIONS {
            let mut next = Vec::new();
            for raw in &raws {
                for (choice, _) in question.choices {
                    next.push(format!("{raw}&{}={choice}", question.key));
                }
                if question.multiple {
                    next.push(format!("{raw}&berorte=barn-unge&berorte=parorende"));
                }
            }
            raws = next;
        }
        for raw in &raws {
            recommend(&GuideAnswers::parse(raw), &lookup).unwrap();
        }
        let asked = asked.into_inner();
        assert_eq!(asked.len(), 19, "{asked:?}");
        for key in &asked {
            assert!(
                crate::domain::texts::definition(key).is_some(),
                "{key} is not in SITE_TEXTS"
            );
        }
    }
}
