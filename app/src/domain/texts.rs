//! The site's own short texts that editors keep in the app: the entry
//! paths' headings and introductions, the guidance under each step and
//! level, and the guide's explanation of each step on the ladder, its
//! reasons and its checklist.
//!
//! The set of texts is fixed here, because the pages that show them are;
//! their wording lives in the database (`site_text`), seeded from
//! `content/texts.toml` when missing and edited at `/redaktor/tekster`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::form::FieldError;

/// One editable text: its key, the group it is listed under in the
/// editors' form, what it is, and how long it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDef {
    pub key: &'static str,
    pub group: &'static str,
    pub label: &'static str,
    pub max: usize,
}

const fn text(key: &'static str, group: &'static str, label: &'static str, max: usize) -> TextDef {
    TextDef {
        key,
        group,
        label,
        max,
    }
}

const CENTRE: &str = "Inngangen «Når du skal involvere brukere i ditt kompetansesenter»";
const SERVICES: &str = "Inngangen «Når kompetansesenteret skal hjelpe tjenestene»";
const GUIDE: &str = "Veiviseren: hva hvert trinn betyr";
const GUIDE_REASONS: &str = "Veiviseren: begrunnelser";
const GUIDE_CHECKLIST: &str = "Veiviseren: sjekkliste";

/// The public pages that show these texts (paths beginning so): the entry
/// paths and the guide. A save forgets only those from the page cache;
/// `server/tests/it/content_pages.rs` renders every public page and fails
/// when a text shows anywhere else.
pub const SHOWN_ON: [&str; 2] = ["/inngang/", "/veiviser"];

/// Every text the site shows from `site_text`, in the order of the form.
pub const SITE_TEXTS: &[TextDef] = &[
    text("inngang.kompetansesenter.tittel", CENTRE, "Overskrift", 120),
    text("inngang.kompetansesenter.ingress", CENTRE, "Ingress", 600),
    text(
        "inngang.kompetansesenter.beskrivelse",
        CENTRE,
        "Beskrivelse for søkemotorer",
        300,
    ),
    text(
        "inngang.kompetansesenter.informere",
        CENTRE,
        "Trinn 1: Informere",
        600,
    ),
    text(
        "inngang.kompetansesenter.konsultere",
        CENTRE,
        "Trinn 2: Konsultere",
        600,
    ),
    text(
        "inngang.kompetansesenter.involvere",
        CENTRE,
        "Trinn 3: Involvere",
        600,
    ),
    text(
        "inngang.kompetansesenter.samarbeide",
        CENTRE,
        "Trinn 4: Samarbeide",
        600,
    ),
    text(
        "inngang.kompetansesenter.bemyndiggjore",
        CENTRE,
        "Trinn 5: Bemyndiggjøre",
        600,
    ),
    text(
        "inngang.kompetansesenter.strukturere",
        CENTRE,
        "Strukturere arbeidet",
        600,
    ),
    text("inngang.tjenestene.tittel", SERVICES, "Overskrift", 120),
    text("inngang.tjenestene.ingress", SERVICES, "Ingress", 600),
    text(
        "inngang.tjenestene.beskrivelse",
        SERVICES,
        "Beskrivelse for søkemotorer",
        300,
    ),
    text("inngang.tjenestene.individ", SERVICES, "Individnivå", 600),
    text("inngang.tjenestene.tjeneste", SERVICES, "Tjenestenivå", 600),
    text("inngang.tjenestene.system", SERVICES, "Systemnivå", 600),
    text("veiviser.informere", GUIDE, "Informere", 300),
    text("veiviser.konsultere", GUIDE, "Konsultere", 300),
    text("veiviser.involvere", GUIDE, "Involvere", 300),
    text("veiviser.samarbeide", GUIDE, "Samarbeide", 300),
    text("veiviser.bemyndiggjore", GUIDE, "Bemyndiggjøre", 300),
    text(
        "veiviser.grunn.individ",
        GUIDE_REASONS,
        "Involveringen skjer på individnivå (minst «Involvere»)",
        400,
    ),
    text(
        "veiviser.grunn.forskning",
        GUIDE_REASONS,
        "Et forskningsprosjekt (minst «Involvere»)",
        400,
    ),
    text(
        "veiviser.grunn.rutiner",
        GUIDE_REASONS,
        "Rutiner for brukerinvolvering (minst «Involvere»)",
        400,
    ),
    text(
        "veiviser.grunn.honorar",
        GUIDE_REASONS,
        "Ingen penger til honorar (høyst «Involvere»)",
        400,
    ),
    text(
        "veiviser.grunn.tid",
        GUIDE_REASONS,
        "Under en måned til oppstart (høyst «Involvere»)",
        400,
    ),
    text(
        "veiviser.sjekk.mandat",
        GUIDE_CHECKLIST,
        "Mandat (alltid med)",
        300,
    ),
    text(
        "veiviser.sjekk.rolle",
        GUIDE_CHECKLIST,
        "Rollebeskrivelse (alltid med)",
        300,
    ),
    text(
        "veiviser.sjekk.honorar-avtalt",
        GUIDE_CHECKLIST,
        "Honorar, når det er satt av penger",
        300,
    ),
    text(
        "veiviser.sjekk.honorar-avklar",
        GUIDE_CHECKLIST,
        "Honorar, når det ikke er satt av nok penger",
        300,
    ),
    text(
        "veiviser.sjekk.forbered",
        GUIDE_CHECKLIST,
        "Forberede deltakerne (alltid med)",
        300,
    ),
    text(
        "veiviser.sjekk.beslutning",
        GUIDE_CHECKLIST,
        "Hvordan beslutninger tas (fra «Samarbeide» og opp)",
        300,
    ),
    text(
        "veiviser.sjekk.kurs",
        GUIDE_CHECKLIST,
        "Et kurs, en fagdag eller en konferanse",
        300,
    ),
    text(
        "veiviser.sjekk.prosjekt",
        GUIDE_CHECKLIST,
        "Et utviklingsprosjekt",
        300,
    ),
    text(
        "veiviser.sjekk.forskning",
        GUIDE_CHECKLIST,
        "Et forskningsprosjekt",
        300,
    ),
    text(
        "veiviser.sjekk.undersokelse",
        GUIDE_CHECKLIST,
        "En undersøkelse eller kartlegging",
        300,
    ),
    text(
        "veiviser.sjekk.rutiner",
        GUIDE_CHECKLIST,
        "Rutiner for brukerinvolvering i en tjeneste",
        300,
    ),
    text(
        "veiviser.sjekk.barn-unge",
        GUIDE_CHECKLIST,
        "Når barn og unge berøres",
        300,
    ),
    text(
        "veiviser.sjekk.parorende",
        GUIDE_CHECKLIST,
        "Når pårørende berøres",
        300,
    ),
    text(
        "veiviser.sjekk.tilbakemelding",
        GUIDE_CHECKLIST,
        "Tilbakemelding til deltakerne (alltid med)",
        300,
    ),
];

pub fn definition(key: &str) -> Option<&'static TextDef> {
    SITE_TEXTS.iter().find(|d| d.key == key)
}

/// The texts by key, as the pages read them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts(pub BTreeMap<String, String>);

impl Texts {
    /// The text for `key` ("" if it was never seeded; the form shows that).
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_default()
    }
}

/// The form's field name for a text (keys have dots; names had better not).
pub fn field_name(key: &str) -> String {
    format!("tekst.{key}")
}

/// The form's hidden field holding a fingerprint of a text as the form
/// showed it: a save is refused if the stored text has changed since.
pub fn opened_name(key: &str) -> String {
    format!("apnet.{key}")
}

/// A fingerprint of a text (FNV-1a, 64 bits, hex): enough to tell whether
/// a stored text changed since a form showed it.
pub fn fingerprint(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The fingerprints of every text, by key.
pub fn fingerprints(texts: &Texts) -> BTreeMap<String, String> {
    SITE_TEXTS
        .iter()
        .map(|d| (d.key.to_string(), fingerprint(&texts.get(d.key))))
        .collect()
}

/// The fingerprints the form was opened with, by key.
pub fn opened_from_form(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    SITE_TEXTS
        .iter()
        .filter_map(|d| {
            let name = opened_name(d.key);
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (d.key.to_string(), v.trim().to_string()))
        })
        .collect()
}

/// What an editor submitted: every text of the form, trimmed.
pub fn from_form(pairs: &[(String, String)]) -> Texts {
    Texts(
        SITE_TEXTS
            .iter()
            .filter_map(|d| {
                let name = field_name(d.key);
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (d.key.to_string(), v.trim().replace("\r\n", "\n")))
            })
            .collect(),
    )
}

/// Every text is required and has a length limit; errors name the form field.
pub fn check(texts: &Texts) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for def in SITE_TEXTS {
        let Some(value) = texts.0.get(def.key) else {
            continue;
        };
        let len = value.chars().count();
        if len == 0 {
            errors.push(FieldError::new(
                field_name(def.key),
                "Teksten kan ikke være tom.",
            ));
        } else if len > def.max {
            errors.push(FieldError::new(
                field_name(def.key),
                format!(
                    "Teksten kan ha høyst {} tegn. Nå er den {len} tegn.",
                    def.max
                ),
            ));
        }
    }
    errors
}

/// The texts form's fields: the texts, and fingerprints of the texts the
/// form was opened with, by key (a save from an older form is refused).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextsInput {
    pub texts: Texts,
    #[serde(default)]
    pub opened: BTreeMap<String, String>,
}

pub type TextsEditor = super::form::FormState<TextsInput>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_read_and_checked_by_field() {
        let pairs = vec![
            (
                field_name("veiviser.informere"),
                "  Brukerne får vite hva som skjer.  ".to_string(),
            ),
            (field_name("veiviser.konsultere"), String::new()),
            (field_name("veiviser.involvere"), "x".repeat(301)),
            ("tekst.finnes-ikke".to_string(), "ignorert".to_string()),
        ];
        let texts = from_form(&pairs);
        assert_eq!(
            texts.get("veiviser.informere"),
            "Brukerne får vite hva som skjer."
        );
        assert_eq!(texts.0.len(), 3, "unknown keys are dropped");
        let fields: Vec<String> = check(&texts).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                field_name("veiviser.konsultere"),
                field_name("veiviser.involvere")
            ]
        );
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = SITE_TEXTS.iter().map(|d| d.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), SITE_TEXTS.len());
    }
}
