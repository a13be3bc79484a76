//! What a form handler tells the page it sends the editor back to: the
//! `?melding=` code of a redirect after a write, as one enum. The handler
//! writes [`Notice::code`], the page reads [`Notice::parse`] and shows
//! [`Notice::text`]; a code only one side knows cannot be written.

/// A message for the top of an editor page after a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Saved,
    /// A form on the kit that saved nothing because nothing changed.
    Unchanged,
    TextsUnchanged,
    SynonymsUnchanged,
    Published,
    Unpublished,
    Restored,
    ResourceDeleted,
    DraftFromSuggestion,
    OrganisationSaved,
    OrganisationDeleted,
    ValueAdded,
    ValueRenamed,
    ValueMoved,
    ValueRetired,
    ValueReinstated,
    AccountCreated,
    AccountChanged,
    FactorReset,
    FactorOff,
    CheckStarted,
    CheckRunning,
    NewAddress,
    AddressUnused,
    DigestOn,
    DigestOff,
    FileUploaded,
    FileExists,
    FileDeleted,
    DownloadsSaved,
    /// Problems (shown as an alert):
    Conflict,
    Incomplete,
    Gone,
    Technical,
    Storage,
    EmailInvalid,
    FactorRequired,
    AddressRefused,
    AddressChanged,
    DigestConfirm,
    DigestConfirmed,
    DigestLinkInvalid,
    ValueConflict,
    FileInUse,
    DownloadGone,
}

impl Notice {
    pub const ALL: [Notice; 45] = [
        Notice::Saved,
        Notice::Unchanged,
        Notice::TextsUnchanged,
        Notice::SynonymsUnchanged,
        Notice::Published,
        Notice::Unpublished,
        Notice::Restored,
        Notice::ResourceDeleted,
        Notice::DraftFromSuggestion,
        Notice::OrganisationSaved,
        Notice::OrganisationDeleted,
        Notice::ValueAdded,
        Notice::ValueRenamed,
        Notice::ValueMoved,
        Notice::ValueRetired,
        Notice::ValueReinstated,
        Notice::AccountCreated,
        Notice::AccountChanged,
        Notice::FactorReset,
        Notice::FactorOff,
        Notice::CheckStarted,
        Notice::CheckRunning,
        Notice::NewAddress,
        Notice::AddressUnused,
        Notice::DigestOn,
        Notice::DigestOff,
        Notice::Conflict,
        Notice::Incomplete,
        Notice::Gone,
        Notice::Technical,
        Notice::Storage,
        Notice::EmailInvalid,
        Notice::FactorRequired,
        Notice::AddressRefused,
        Notice::AddressChanged,
        Notice::DigestConfirm,
        Notice::DigestConfirmed,
        Notice::DigestLinkInvalid,
        Notice::ValueConflict,
        Notice::FileUploaded,
        Notice::FileExists,
        Notice::FileDeleted,
        Notice::FileInUse,
        Notice::DownloadsSaved,
        Notice::DownloadGone,
    ];

    /// The code in the URL (`?melding=lagret`): short, Norwegian, stable.
    pub fn code(self) -> &'static str {
        match self {
            Notice::Saved => "lagret",
            Notice::Unchanged => "ingen-endring",
            Notice::TextsUnchanged => "uendret",
            Notice::SynonymsUnchanged => "synonymer-uendret",
            Notice::Published => "publisert",
            Notice::Unpublished => "avpublisert",
            Notice::Restored => "gjenopprettet",
            Notice::ResourceDeleted => "slettet",
            Notice::DraftFromSuggestion => "utkast-fra-forslag",
            Notice::OrganisationSaved => "org-lagret",
            Notice::OrganisationDeleted => "org-slettet",
            Notice::ValueAdded => "verdi-lagt-til",
            Notice::ValueRenamed => "verdi-endret",
            Notice::ValueMoved => "verdi-flyttet",
            Notice::ValueRetired => "verdi-trukket",
            Notice::ValueReinstated => "verdi-gjeninnsatt",
            Notice::AccountCreated => "konto-opprettet",
            Notice::AccountChanged => "konto-endret",
            Notice::FactorReset => "totp-nullstilt",
            Notice::FactorOff => "totp-av",
            Notice::FactorRequired => "totp-admin",
            Notice::AddressRefused => "ny-adresse-avvist",
            Notice::AddressChanged => "ny-adresse-endret",
            Notice::DigestConfirm => "sammendrag-bekreft",
            Notice::DigestConfirmed => "sammendrag-bekreftet",
            Notice::DigestLinkInvalid => "sammendrag-ugyldig",
            Notice::ValueConflict => "verdi-konflikt",
            Notice::CheckStarted => "sjekk-startet",
            Notice::CheckRunning => "sjekk-pagar",
            Notice::NewAddress => "ny-adresse",
            Notice::AddressUnused => "adresse-ubrukt",
            Notice::DigestOn => "sammendrag-pa",
            Notice::DigestOff => "sammendrag-av",
            Notice::Conflict => "konflikt",
            Notice::Incomplete => "mangler",
            Notice::Gone => "finnes-ikke",
            Notice::Technical => "teknisk",
            Notice::Storage => "lagring",
            Notice::EmailInvalid => "epost-ugyldig",
            Notice::FileUploaded => "fil-lastet-opp",
            Notice::FileExists => "fil-finnes",
            Notice::FileDeleted => "fil-slettet",
            Notice::FileInUse => "fil-i-bruk",
            Notice::DownloadsSaved => "nedlastinger-lagret",
            Notice::DownloadGone => "nedlasting-borte",
        }
    }

    pub fn parse(code: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.code() == code)
    }

    /// Whether it reports a problem (an alert) rather than a success.
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            Notice::Conflict
                | Notice::Incomplete
                | Notice::Gone
                | Notice::Technical
                | Notice::Storage
                | Notice::EmailInvalid
                | Notice::FactorRequired
                | Notice::AddressRefused
                | Notice::AddressChanged
                | Notice::DigestLinkInvalid
                | Notice::ValueConflict
                | Notice::FileInUse
                | Notice::DownloadGone
        )
    }

    /// What the page says.
    pub fn text(self) -> &'static str {
        match self {
            Notice::Saved => "Lagret.",
            Notice::Unchanged => "Ingenting var endret, så ingenting ble lagret.",
            Notice::TextsUnchanged => "Ingen tekster var endret, så ingenting ble lagret.",
            Notice::SynonymsUnchanged => "Ingen synonymer var endret, så ingenting ble lagret.",
            Notice::Published => "Ressursen er publisert og synlig for besøkende.",
            Notice::Unpublished => "Ressursen er avpublisert og ikke lenger synlig for besøkende.",
            Notice::Restored => "Den tidligere versjonen er gjenopprettet som en ny versjon.",
            Notice::ResourceDeleted => "Ressursen er slettet.",
            Notice::DraftFromSuggestion => "Utkastet er laget av forslaget. Fyll ut resten og lagre.",
            Notice::OrganisationSaved => "Organisasjonen er lagret.",
            Notice::OrganisationDeleted => "Organisasjonen er slettet.",
            Notice::ValueAdded => "Verdien er lagt til.",
            Notice::ValueRenamed => "Navnet er endret.",
            Notice::ValueMoved => "Rekkefølgen er endret.",
            Notice::ValueRetired => "Verdien er trukket tilbake. Den står fortsatt på det som har den, men kan ikke velges lenger.",
            Notice::ValueReinstated => "Verdien kan velges igjen.",
            Notice::AccountCreated => "Kontoen er opprettet.",
            Notice::AccountChanged => "Kontoen er endret.",
            Notice::FactorReset => "Totrinnsinnloggingen er nullstilt. Kontoens økter er avsluttet; en administrator setter den opp igjen ved neste innlogging.",
            Notice::FactorOff => "Totrinnsinnlogging er slått av.",
            Notice::AddressRefused => "Den nye adressen kan ikke tas i bruk automatisk: den er ikke en vanlig nettadresse, peker til en intern adresse eller inneholder tegn som ( ) [ ] < > ! eller mellomrom. Ingenting ble endret. Rett lenken for hånd om du vil bruke den.",
            Notice::AddressChanged => "Den nye adressen er endret siden du så den, så ingenting ble endret. Se over den og prøv igjen.",
            Notice::DigestConfirm => "Vi sender en e-post til adressen innen en time. Åpne lenken i den mens du er logget inn, så får du sammendraget dit.",
            Notice::DigestConfirmed => "Adressen er bekreftet. Du får sammendraget på e-post.",
            Notice::ValueConflict => "Noen andre har gitt verdien nytt navn etter at du åpnet siden, så navnet ble ikke endret. Se det nye navnet og prøv igjen om du vil.",
            Notice::DigestLinkInvalid => "Lenken for å bekrefte adressen er ugyldig eller brukt før. Skriv inn adressen på nytt for å få en ny e-post.",
            Notice::FactorRequired => "Administratorer må ha totrinnsinnlogging, så den ble ikke slått av.",
            Notice::CheckStarted => "Lenkesjekken er startet. Last siden på nytt om litt for å se resultatet.",
            Notice::CheckRunning => "En lenkesjekk pågår allerede. Last siden på nytt om litt.",
            Notice::NewAddress => "Den nye adressen er tatt i bruk. Hver ressurs og side som brukte den gamle, er lagret som en ny versjon.",
            Notice::AddressUnused => "Den gamle adressen står ikke lenger i noen ressurs eller side, så ingenting ble endret.",
            Notice::DigestOn => "Du får sammendraget på e-post.",
            Notice::DigestOff => "Du får ikke lenger sammendraget på e-post, og adressen er slettet.",
            Notice::Conflict => "Noen andre har endret ressursen etter at du åpnet den, så ingenting ble endret. Se over den nye versjonen og prøv igjen.",
            Notice::Incomplete => "Ressursen kan ikke publiseres før alle påkrevde felt er fylt ut. Rett opp i skjemaet og lagre.",
            Notice::Gone => "Det du ville endre, finnes ikke lenger.",
            Notice::Technical => "Noe gikk galt hos oss, og ingenting ble endret. Prøv igjen om litt.",
            Notice::Storage => "Vi kan ikke lagre noe akkurat nå, på grunn av en feil i lagringen hos oss. Ingenting ble endret. Prøv igjen senere.",
            Notice::EmailInvalid => "Skriv en hel e-postadresse, for eksempel navn@eksempel.no, for å få sammendraget.",
            Notice::FileUploaded => "Filen er lastet opp. Kopier Markdown-teksten under og lim den inn i en ressurs eller side.",
            Notice::FileExists => "Denne filen er lastet opp fra før, så ingenting nytt ble lagret. Den står i listen under.",
            Notice::FileDeleted => "Filen er slettet.",
            Notice::FileInUse => "Filen er i bruk og ble ikke slettet. Listen under viser hvor; fjern den derfra først.",
            Notice::DownloadsSaved => "Nedlastingene er lagret. Ressurssiden viser dem nå.",
            Notice::DownloadGone => "Et av dokumentene du valgte, finnes ikke lenger, så ingenting ble endret. Velg på nytt blant dem som står i listen.",
        }
    }

    /// `path` with this notice: `/redaktor/kategorier?melding=verdi-lagt-til#verdi-4`
    /// (the code goes before a fragment, after any query).
    pub fn on(self, path: &str) -> String {
        let (base, fragment) = match path.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (path, None),
        };
        let joiner = if base.contains('?') { '&' } else { '?' };
        let mut out = format!("{base}{joiner}melding={}", self.code());
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_distinct_and_parses_back() {
        for notice in Notice::ALL {
            assert_eq!(Notice::parse(notice.code()), Some(notice));
            assert!(!notice.text().is_empty());
        }
        let mut codes: Vec<_> = Notice::ALL.iter().map(|n| n.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Notice::ALL.len());
        assert_eq!(Notice::parse("ukjent"), None);
    }

    #[test]
    fn a_notice_goes_before_the_fragment() {
        assert_eq!(
            Notice::ValueAdded.on("/redaktor/kategorier#verdi-4"),
            "/redaktor/kategorier?melding=verdi-lagt-til#verdi-4"
        );
        assert_eq!(Notice::Saved.on("/a?b=1"), "/a?b=1&melding=lagret");
    }
}
