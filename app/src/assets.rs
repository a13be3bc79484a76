//! The browser bundle's file names. `scripts/build.sh` puts a content hash in
//! each name, so the files can be cached for a year, and lists the names in
//! `pkg/assets.txt` (`js <file>`, `wasm <file>`, `css <file>`,
//! `navigator <file>`). Without that list (router tests, a bundle built by
//! other means) the plain names are used.

/// Where the shell loads the bundle from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetNames {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The visitors' page navigator (`frontend/js/navigator.js`).
    pub navigator: String,
}

impl AssetNames {
    /// The names wasm-bindgen gives the files, without hashes.
    pub fn plain(output_name: &str) -> Self {
        AssetNames {
            js: format!("{output_name}.js"),
            wasm: format!("{output_name}_bg.wasm"),
            css: format!("{output_name}.css"),
            navigator: "navigator.js".into(),
        }
    }

    /// Reads an `assets.txt` list; a name with anything but letters, digits,
    /// `.`, `_` and `-` is ignored, so the list can never inject markup.
    pub fn parse(list: &str, output_name: &str) -> Self {
        let mut names = Self::plain(output_name);
        for line in list.lines() {
            let Some((kind, file)) = line.trim().split_once(' ') else {
                continue;
            };
            let file = file.trim();
            if file.is_empty()
                || !file
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                continue;
            }
            match kind {
                "js" => names.js = file.into(),
                "wasm" => names.wasm = file.into(),
                "css" => names.css = file.into(),
                "navigator" => names.navigator = file.into(),
                _ => {}
            }
        }
        names
    }
}

/// The names for this site root, read once per process.
#[cfg(feature = "ssr")]
pub fn names(options: &leptos::config::LeptosOptions) -> &'static AssetNames {
    static NAMES: std::sync::OnceLock<AssetNames> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let list = std::path::Path::new(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join("assets.txt");
        match std::fs::read_to_string(&list) {
            Ok(text) => AssetNames::parse(&text, &options.output_name),
            Err(_) => AssetNames::plain(&options.output_name),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_overrides_the_plain_names_and_refuses_markup() {
        let names = AssetNames::parse(
            "js site.1a2b.js\nwasm site.1a2b.wasm\ncss \"><script>.css\n",
            "site",
        );
        assert_eq!(names.js, "site.1a2b.js");
        assert_eq!(names.wasm, "site.1a2b.wasm");
        assert_eq!(names.css, "site.css");
    }
}
