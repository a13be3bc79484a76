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

fn item(text: &str, resource: Option<&str>) -> ChecklistItem {
    ChecklistItem {
        text: text.to_string(),
        resource: resource.map(str::to_string),
    }
}

/// The recommendation for complete answers; `None` while a required answer is missing.
pub fn recommend(answers: &GuideAnswers) -> Option<Recommendation> {
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
    let mut degree = wanted;
    // Floors first: some work should never be done with less than involvement.
    let floor = |degree: &mut usize, reasons: &mut Vec<String>, min: usize, why: &str| {
        if *degree < min {
            *degree = min;
            reasons.push(why.to_string());
        }
    };
    if level == "individ" {
        floor(&mut degree, &mut reasons, 2, "På individnivå har brukeren en lovfestet rett til å medvirke i egen behandling (pasient- og brukerrettighetsloven § 3-1), så minst «Involvere».");
    }
    if plan == "forskning" {
        floor(&mut degree, &mut reasons, 2, "Forskning om brukernes situasjon bør ha brukere med gjennom hele prosessen, og mange finansiører krever det. Derfor minst «Involvere».");
    }
    if plan == "rutiner" {
        floor(&mut degree, &mut reasons, 2, "Rutiner for brukerinvolvering bør lages sammen med dem de gjelder. Derfor minst «Involvere».");
    }
    // Then ceilings: sharing power takes time and paid, prepared representatives.
    let before_caps = degree;
    if degree > 2 && pay == "nei" {
        degree = 2;
        reasons.push("Å dele beslutninger krever at brukerrepresentantene får honorar for tiden de bruker. Uten penger avsatt er «Involvere» det realistiske nivået. Søk midler hvis dere vil lenger.".into());
    }
    if degree > 2 && time == "kort" {
        degree = 2;
        reasons.push("Med under en måned til oppstart er det lite tid til å bygge et likeverdig samarbeid. Begynn med å involvere, og planlegg neste runde tidligere.".into());
    }
    let aim = (degree < before_caps).then_some(before_caps);

    let mut checklist = vec![
        item("Skriv et mandat: hva brukerne skal bidra med, hva de kan påvirke, og hva som allerede er bestemt.", Some("mandat-rollebeskrivelser-og-moteplaner")),
        item("Lag en rollebeskrivelse for brukerrepresentantene, og avklar hvem de representerer.", Some("mandat-rollebeskrivelser-og-moteplaner")),
        match pay {
            "ja" => item("Avtal honorar og dekning av reiseutgifter skriftlig før dere inviterer.", Some("honorar-og-forberedelse-av-brukerrepresentanter")),
            _ => item("Avklar honorar før dere inviterer. Ingen bør gjøre gratis arbeid som de ansatte rundt bordet får lønn for.", Some("honorar-og-forberedelse-av-brukerrepresentanter")),
        },
        item("Forbered deltakerne: send sakspapirer i god tid, og gi dem en fast kontaktperson.", Some("honorar-og-forberedelse-av-brukerrepresentanter")),
    ];
    if degree >= 3 {
        checklist.push(item(
            "Avtal hvordan beslutninger tas, og hvem som har siste ord når dere er uenige.",
            None,
        ));
    }
    match plan {
        "kurs" => checklist.push(item("La brukere eller en brukerorganisasjon holde en del av programmet, ikke bare fortelle sin historie.", Some("organisasjoner-i-innlegg-kurs-og-fagdager"))),
        "forskning" => checklist.push(item("Ta med brukermedvirkningen i prosjektbeskrivelsen og i budsjettet.", Some("brukerinvolvering-i-forskning"))),
        "undersokelse" => checklist.push(item("La brukere være med å tolke resultatene, og del dem med dem som svarte.", Some("ta-pulsen-pa-ung-i-rogaland"))),
        "rutiner" => checklist.push(item("Skriv rutinen ned, med hvem som har ansvaret og hvordan den følges opp.", Some("rutiner-for-brukerinvolvering-i-tjenestene"))),
        _ => checklist.push(item("Sett av tid i prosjektplanen til å ta inn og bruke brukernes innspill.", Some("brukerinvolvering-i-tjenesteutvikling"))),
    }
    if answers.is_chosen("berorte", "barn-unge") {
        checklist.push(item(
            "Tilpass for barn og unge: tidspunkt, språk og samtykke fra foresatte der det trengs.",
            Some("involvere-barn-og-unge"),
        ));
    }
    if answers.is_chosen("berorte", "parorende") {
        checklist.push(item(
            "Gi pårørende en egen stemme, ikke som erstatning for brukerne.",
            Some("nasjonal-parorendeveileder"),
        ));
    }
    checklist.push(item(
        "Gi tilbakemelding til deltakerne etterpå: hva ble brukt, hva ble ikke brukt, og hvorfor.",
        Some("tilbakemelding-til-deltakerne"),
    ));
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
        assert!(recommend(&answers).is_none());
    }

    #[test]
    fn influence_sets_the_step() {
        let step = |influence: &str| {
            recommend(&GuideAnswers::parse(
                &FULL.replace("innflytelse=noe", &format!("innflytelse={influence}")),
            ))
            .unwrap()
            .key()
        };
        assert_eq!(step("lite"), "informere");
        assert_eq!(step("noe"), "konsultere");
        assert_eq!(step("mye"), "involvere");
        assert_eq!(step("delt"), "samarbeide");
        assert_eq!(step("styre"), "bemyndiggjore");
    }

    #[test]
    fn the_individual_level_and_research_never_get_less_than_involvement() {
        let individual = recommend(&GuideAnswers::parse(
            &FULL
                .replace("nivaa=tjeneste", "nivaa=individ")
                .replace("innflytelse=noe", "innflytelse=lite"),
        ))
        .unwrap();
        assert_eq!(individual.key(), "involvere");
        assert!(individual.reasons.iter().any(|r| r.contains("§ 3-1")));
        let research = recommend(&GuideAnswers::parse(
            &FULL.replace("plan=kurs", "plan=forskning"),
        ))
        .unwrap();
        assert_eq!(research.key(), "involvere");
        assert!(research
            .checklist
            .iter()
            .any(|i| i.resource.as_deref() == Some("brukerinvolvering-i-forskning")));
    }

    #[test]
    fn no_money_or_little_time_holds_shared_power_back_and_says_so() {
        let answers = FULL.replace("innflytelse=noe", "innflytelse=styre");
        let paid = recommend(&GuideAnswers::parse(&answers)).unwrap();
        assert_eq!((paid.key(), paid.aim), ("bemyndiggjore", None));
        let unpaid = recommend(&GuideAnswers::parse(
            &answers.replace("honorar=ja", "honorar=nei"),
        ))
        .unwrap();
        assert_eq!((unpaid.key(), unpaid.aim), ("involvere", Some(4)));
        assert!(unpaid.reasons.iter().any(|r| r.contains("honorar")));
        let rushed = recommend(&GuideAnswers::parse(
            &answers.replace("tid=middels", "tid=kort"),
        ))
        .unwrap();
        assert_eq!(rushed.key(), "involvere");
    }

    #[test]
    fn the_checklist_always_has_the_essentials_and_fits_who_is_affected() {
        let plain = recommend(&GuideAnswers::parse(FULL)).unwrap();
        let texts = |r: &Recommendation| {
            r.checklist
                .iter()
                .map(|i| i.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        };
        for must in [
            "mandat",
            "rollebeskrivelse",
            "honorar",
            "Forbered",
            "tilbakemelding til deltakerne",
        ] {
            assert!(texts(&plain).contains(must), "missing {must}");
        }
        assert!(!texts(&plain).contains("barn og unge"));
        let young = recommend(&GuideAnswers::parse(&format!(
            "{FULL}&berorte=barn-unge&berorte=parorende"
        )))
        .unwrap();
        assert!(texts(&young).contains("barn og unge"));
        assert!(texts(&young).contains("pårørende"));
    }
}
