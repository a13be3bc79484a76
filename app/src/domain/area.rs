//! Which part of the site a path belongs to, said once. Three places ask:
//! the shell (does the page load the editors' bundle?), the server's cache
//! headers and page cache (may the answer be kept?), and the visitors'
//! navigator (does it fetch the page itself, or leave it to the browser?).
//! The navigator learns its list from the page ([`navigator_native`],
//! written on its `<script>` tag), so the three cannot drift apart.

/// A part of the site, by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// `/redaktor…`: the editors' pages and their exports.
    Editors,
    /// `/logg-inn…`: sign-in and the second factor.
    SignIn,
    /// `/auth/…`: sign-out and session endpoints.
    Auth,
    /// `/api/…`: server functions and the search suggestions.
    Api,
    /// `/pkg/…`: the bundles and the stylesheet.
    Bundle,
    /// `/filer/…`: uploaded images and documents.
    Files,
    /// `/tilbakemelding/kvittering/…`: a sender's own receipt.
    Receipt,
    /// A feed, a sitemap, `robots.txt`, a CSV or an SVG: a file by its suffix.
    File,
    /// Every other page: the visitors' site.
    Public,
}

/// The areas by path prefix, longest meaning first. A prefix without a
/// trailing `/` also matches the path itself and anything under it.
const PREFIXES: &[(&str, Area)] = &[
    ("/redaktor", Area::Editors),
    ("/logg-inn", Area::SignIn),
    ("/auth/", Area::Auth),
    ("/api/", Area::Api),
    ("/pkg/", Area::Bundle),
    ("/filer/", Area::Files),
    ("/tilbakemelding/kvittering/", Area::Receipt),
];

/// Files the browser should load itself, by suffix.
const FILE_SUFFIXES: &[&str] = &[".atom", ".csv", ".xml", ".txt", ".svg"];

impl Area {
    /// The area of `path` (the path only, no query).
    pub fn of(path: &str) -> Area {
        for (prefix, area) in PREFIXES {
            if under(path, prefix) {
                return *area;
            }
        }
        if FILE_SUFFIXES.iter().any(|suffix| path.ends_with(suffix)) {
            return Area::File;
        }
        Area::Public
    }

    /// Pages that load the editors' bundle (their `#[island]`s).
    pub fn loads_editor_bundle(self) -> bool {
        self == Area::Editors
    }

    /// Answers no shared cache may keep: they show a person's own data
    /// (editors' pages and exports, receipts), sign in or out, or answer a
    /// server function (whose answers may be an editor's).
    pub fn is_private(self) -> bool {
        matches!(
            self,
            Area::Editors | Area::SignIn | Area::Auth | Area::Api | Area::Receipt
        )
    }

    /// Paths the visitors' navigator leaves to the browser: they load their
    /// own scripts, set cookies or are files.
    pub fn left_to_browser(self) -> bool {
        !matches!(self, Area::Public | Area::Receipt)
    }
}

/// Whether `path` is `prefix` or under it. `/redaktor` covers `/redaktor`
/// and `/redaktor/…` but not `/redaktorer`; `/api/` covers what starts with it.
fn under(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => prefix.ends_with('/') || rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// What the navigator leaves to the browser, as it reads it from its
/// `<script data-native="…">`: space-separated, a prefix starts with `/`
/// (a path is left when it equals the prefix or continues with `/`, or,
/// for a prefix ending in `/`, when it starts with it), a suffix with `.`.
pub fn navigator_native() -> String {
    PREFIXES
        .iter()
        .filter(|(_, area)| area.left_to_browser())
        .map(|(prefix, _)| *prefix)
        .chain(FILE_SUFFIXES.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_has_its_area() {
        assert_eq!(Area::of("/redaktor"), Area::Editors);
        assert_eq!(Area::of("/redaktor/ressurser/ny"), Area::Editors);
        assert_eq!(Area::of("/redaktorer"), Area::Public);
        assert_eq!(Area::of("/logg-inn"), Area::SignIn);
        assert_eq!(Area::of("/logg-inn/kode"), Area::SignIn);
        assert_eq!(Area::of("/api/forslag"), Area::Api);
        assert_eq!(Area::of("/filer/abc-480.jpg"), Area::Files);
        assert_eq!(Area::of("/tilbakemelding/kvittering/AB12"), Area::Receipt);
        assert_eq!(Area::of("/tilbakemelding"), Area::Public);
        assert_eq!(Area::of("/nytt.atom"), Area::File);
        assert_eq!(Area::of("/ressurser"), Area::Public);
    }

    #[test]
    fn the_three_questions_follow_the_area() {
        assert!(Area::of("/redaktor/filer").loads_editor_bundle());
        assert!(!Area::of("/logg-inn").loads_editor_bundle());
        assert!(Area::of("/tilbakemelding/kvittering/AB12").is_private());
        assert!(!Area::of("/ressurser").is_private());
        assert!(!Area::of("/filer/x.pdf").is_private());
        // A receipt is a visitor's page: the navigator may fetch it.
        assert!(!Area::of("/tilbakemelding/kvittering/AB12").left_to_browser());
        assert!(Area::of("/sitemap.xml").left_to_browser());
        assert!(!Area::of("/ressurser/fit").left_to_browser());
    }

    #[test]
    fn the_navigators_list_names_every_area_it_leaves() {
        let list = navigator_native();
        assert_eq!(
            list,
            "/redaktor /logg-inn /auth/ /api/ /pkg/ /filer/ .atom .csv .xml .txt .svg"
        );
    }
}
