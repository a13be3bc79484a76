//! Pictures and documents editors upload (issue 29): the formats the site
//! takes, the public names files are served under, the widths an image is
//! kept in, the Markdown an editor pastes, and the upload form as its page
//! shows it. No I/O: deciding a file's type from its bytes and re-encoding
//! images happen on the server (`server::media`).

use serde::{Deserialize, Serialize};

use super::form::FormState;

/// The largest file an editor may upload.
pub const MAX_FILE_BYTES: usize = 20 << 20;

/// The refusal of a file over [`MAX_FILE_BYTES`]: from the server, and from
/// the upload form's island before it sends the file.
pub fn too_large() -> String {
    format!(
        "Filen er større enn {} MB, som er det største vi tar imot. Gjør den mindre (for eksempel et bilde med færre piksler) og prøv igjen.",
        MAX_FILE_BYTES >> 20
    )
}

/// The widths an image is kept in (never wider than the original).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// What the content column is wide, for `sizes`: the full viewport on a
/// phone, at most 42rem (672 px) from a tablet up.
pub const SIZES: &str = "(min-width: 48rem) 42rem, 100vw";

/// Where files are served.
pub const PREFIX: &str = "/filer/";

/// The upload form's fields.
pub const FILE_FIELD: &str = "fil";
pub const ALT_FIELD: &str = "alt";
pub const DECORATIVE_FIELD: &str = "dekorativ";

/// The longest text alternative taken.
pub const ALT_MAX: usize = 300;

/// A format the site takes, decided from the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Pdf,
    Docx,
    Odt,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Jpeg,
        Format::Png,
        Format::Webp,
        Format::Pdf,
        Format::Docx,
        Format::Odt,
        Format::Xlsx,
    ];

    /// The stored form (`media.format`).
    pub fn key(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn parse(key: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The name a reader knows it by: «DOCX», «PDF», «JPEG».
    pub fn label(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
            Format::Xlsx => "XLSX",
        }
    }

    /// The file name's extension for a document of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            other => other.key(),
        }
    }

    /// The format a file name's extension claims, if it names one.
    pub fn from_extension(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png | Format::Webp)
    }

    /// The `Content-Type` a document is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The widths an image `width` pixels wide is kept in: each of [`WIDTHS`]
/// narrower than it, and the original's own width up to the largest (an
/// image is never scaled up).
pub fn variant_widths(width: u32) -> Vec<u32> {
    let largest = width.min(WIDTHS[WIDTHS.len() - 1]);
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|&w| w < largest).collect();
    if largest > 0 {
        widths.push(largest);
    }
    widths
}

/// The height of an image `width`×`height` scaled to `to` pixels wide.
pub fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    if width == 0 {
        return 0;
    }
    ((u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width)).max(1) as u32
}

/// One variant's address: `/filer/<hash>-<width>.<ext>`.
pub fn image_url(hash: &str, width: u32, ext: &str) -> String {
    format!("{PREFIX}{hash}-{width}.{ext}")
}

/// A site image as Markdown names it: `/filer/<hash>-<width>x<height>.<ext>`,
/// the largest variant with its size, so the page can give `width`,
/// `height` and every smaller width without asking the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteImage {
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub ext: String,
}

impl SiteImage {
    /// Reads a Markdown image address; `None` for anything else.
    pub fn parse(src: &str) -> Option<SiteImage> {
        let name = src.strip_prefix(PREFIX)?;
        let (stem, ext) = name.split_once('.')?;
        if !matches!(ext, "jpg" | "png") {
            return None;
        }
        let (hash, size) = stem.split_once('-')?;
        let (width, height) = size.split_once('x')?;
        if !is_hash(hash) {
            return None;
        }
        let (width, height) = (width.parse().ok()?, height.parse().ok()?);
        if !(1..=20_000).contains(&width) || !(1..=20_000).contains(&height) {
            return None;
        }
        Some(SiteImage {
            hash: hash.to_string(),
            width,
            height,
            ext: ext.to_string(),
        })
    }

    /// The address Markdown uses for it.
    pub fn markdown_src(&self) -> String {
        format!(
            "{PREFIX}{}-{}x{}.{}",
            self.hash, self.width, self.height, self.ext
        )
    }

    /// `srcset`: every stored width.
    pub fn srcset(&self) -> String {
        variant_widths(self.width)
            .into_iter()
            .map(|w| format!("{} {w}w", image_url(&self.hash, w, &self.ext)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The largest variant's address (`src`).
    pub fn src(&self) -> String {
        image_url(&self.hash, self.width, &self.ext)
    }
}

/// Sixteen lower-case hex digits: a file's public name.
pub fn is_hash(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A size as a reader says it: «24 kB», «1,3 MB», «1,0 GB» (1 kB is 1024
/// bytes, as the 20 MB limit counts).
pub fn human_size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    let (kb, mb, gb) = (1024.0, 1024.0 * 1024.0, 1024.0 * 1024.0 * 1024.0);
    if bytes < kb {
        format!("{} B", bytes as i64)
    } else if bytes < mb {
        format!("{} kB", (bytes / kb).round() as i64)
    } else if bytes < gb {
        format!("{:.1} MB", bytes / mb).replace('.', ",")
    } else {
        format!("{:.1} GB", bytes / gb).replace('.', ",")
    }
}

/// Why a file name is refused, or the name kept for it: the last part of a
/// path (a browser may send `C:\…\mal.docx`), without characters a header or
/// a file system would trip on, with the extension of what it really is.
pub fn sanitise_name(raw: &str, format: Format) -> Result<String, &'static str> {
    if raw.chars().any(char::is_control) {
        return Err("Filnavnet inneholder kontrolltegn. Gi filen et vanlig navn og prøv igjen.");
    }
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if Format::from_extension(base).is_some() => stem,
        _ => base,
    };
    let mut clean = String::new();
    for c in stem.chars() {
        let keep = c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '(' | ')');
        let c = if keep { c } else { '-' };
        if (c == '-' || c == ' ') && clean.ends_with(c) {
            continue;
        }
        clean.push(c);
    }
    let clean: String = clean
        .trim_matches(|c: char| c == '-' || c == ' ' || c == '.')
        .chars()
        .take(80)
        .collect();
    let clean = if clean.is_empty() {
        "fil".to_string()
    } else {
        clean
    };
    Ok(format!("{}.{}", clean.trim_end(), format.extension()))
}

/// The name in a URL path: spaces and everything but letters, digits and
/// `-_.()` as `-`, so the address needs no encoding to be read.
pub fn url_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Where a file is used: a resource or a content page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    pub title: String,
    /// The editor's page for it.
    pub href: String,
}

/// A stored file, as the media page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFile {
    pub hash: String,
    pub format: Format,
    pub name: String,
    pub alt: String,
    pub decorative: bool,
    pub width: u32,
    pub height: u32,
    /// Bytes stored, every variant.
    pub bytes: i64,
    pub original_bytes: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
    pub uses: Vec<Use>,
}

impl MediaFile {
    /// The address a reader follows: the image's largest width, or the document.
    pub fn url(&self) -> String {
        if self.format.is_image() {
            image_url(&self.hash, self.width, image_extension(&self.name))
        } else {
            document_url(&self.hash, &self.name)
        }
    }

    /// An image's smallest width, for the editors' lists: (address, width,
    /// height); `None` for a document.
    pub fn thumbnail(&self) -> Option<(String, u32, u32)> {
        self.format.is_image().then(|| {
            let small = variant_widths(self.width)[0];
            (
                image_url(&self.hash, small, image_extension(&self.name)),
                small,
                scaled_height(self.width, self.height, small),
            )
        })
    }

    /// What an editor pastes into a body.
    pub fn markdown(&self) -> String {
        if self.format.is_image() {
            let image = SiteImage {
                hash: self.hash.clone(),
                width: self.width,
                height: self.height,
                ext: image_extension(&self.name).to_string(),
            };
            let alt = if self.decorative { "" } else { &self.alt };
            format!("![{}]({})", markdown_text(alt), image.markdown_src())
        } else {
            format!(
                "[Last ned «{}» ({}, {})]({})",
                markdown_text(&self.name),
                self.format.label(),
                human_size(self.original_bytes),
                document_url(&self.hash, &self.name)
            )
        }
    }
}

/// A document's address: `/filer/<hash>/<name>`.
pub fn document_url(hash: &str, name: &str) -> String {
    format!("{PREFIX}{hash}/{}", url_name(name))
}

/// The stored image's extension: its stored name ends in it (`.jpg`, `.png`).
fn image_extension(name: &str) -> &str {
    if name.ends_with(".png") {
        "png"
    } else {
        "jpg"
    }
}

/// A place on the site an editor can give an illustration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Stored key (`site_illustration.place`) and form field.
    pub key: &'static str,
    /// The page, as the editors' form and «Brukt i» name it.
    pub label: &'static str,
    /// The page's address.
    pub href: &'static str,
}

/// The editors' page where illustrations are chosen.
pub const ILLUSTRATIONS_PATH: &str = "/redaktor/illustrasjoner";

/// Where illustrations go: the home page and the two entry paths.
pub const PLACES: [Place; 3] = [
    Place {
        key: "forside",
        label: "Forsiden",
        href: "/",
    },
    Place {
        key: "inngang-kompetansesenter",
        label: "Inngangen «Når du skal involvere brukere i ditt kompetansesenter»",
        href: "/inngang/kompetansesenter",
    },
    Place {
        key: "inngang-tjenestene",
        label: "Inngangen «Når kompetansesenteret skal hjelpe tjenestene»",
        href: "/inngang/tjenestene",
    },
];

/// Whether the page at `path` (no query) shows an illustration: what a
/// save of the illustrations forgets from the page cache.
pub fn shows_illustration(path: &str) -> bool {
    PLACES.iter().any(|p| p.href == path)
}

/// The place `key`, if there is one.
pub fn place(key: &str) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.key == key)
}

/// An image as a page shows it: every width in `srcset`, its size (so
/// nothing shifts while it loads) and its text alternative ("" for a
/// decorative one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Illustration {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl Illustration {
    /// The stored image `hash` (its largest width and height, its file
    /// name for the format, its alt text unless decorative).
    pub fn of(
        hash: &str,
        name: &str,
        width: u32,
        height: u32,
        alt: &str,
        decorative: bool,
    ) -> Self {
        let image = SiteImage {
            hash: hash.to_string(),
            width,
            height,
            ext: image_extension(name).to_string(),
        };
        Illustration {
            src: image.src(),
            srcset: image.srcset(),
            width,
            height,
            alt: if decorative {
                String::new()
            } else {
                alt.to_string()
            },
        }
    }
}

/// Text for inside `[…]`: brackets and backslashes escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The attach form's checkbox: one per document, its value the hash.
pub const DOWNLOAD_FIELD: &str = "nedlasting";

/// The most documents one resource lists as downloads.
pub const DOWNLOADS_MAX: usize = 20;

/// A document a resource offers as a download: the resource page lists it
/// with its type and size, and the editor's form offers it to attach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub hash: String,
    pub name: String,
    pub format: Format,
    /// The document's size as uploaded (documents are stored as they came).
    pub bytes: i64,
}

impl Download {
    pub fn url(&self) -> String {
        document_url(&self.hash, &self.name)
    }

    /// The name without its extension: «Mal for mandat for brukerråd».
    pub fn title(&self) -> &str {
        match self.name.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => &self.name,
        }
    }

    /// Type and size: «DOCX, 24 kB».
    pub fn details(&self) -> String {
        format!("{}, {}", self.format.label(), human_size(self.bytes))
    }

    /// The link a visitor follows: «Last ned «Mal for mandat» (DOCX, 24 kB)».
    pub fn link_text(&self) -> String {
        format!("Last ned «{}» ({})", self.title(), self.details())
    }
}

/// The documents an editor can attach to a resource, and which are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachments {
    pub documents: Vec<Download>,
    /// Hashes of the attached ones, in the order the page lists them.
    pub attached: Vec<String>,
}

/// The files panel of an editor's form: what can be pasted into the body,
/// and, on a saved resource, the documents it can offer as downloads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorFiles {
    pub pasteable: Vec<Pasteable>,
    /// `None` for a form without downloads (a content page, a new resource).
    pub attachments: Option<Attachments>,
}

/// What an editor can paste into a body: every uploaded file with its Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pasteable {
    pub hash: String,
    pub name: String,
    pub is_image: bool,
    pub markdown: String,
}

impl From<&MediaFile> for Pasteable {
    fn from(file: &MediaFile) -> Self {
        Pasteable {
            hash: file.hash.clone(),
            name: file.name.clone(),
            is_image: file.format.is_image(),
            markdown: file.markdown(),
        }
    }
}

/// What was typed in the upload form besides the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaInput {
    pub alt: String,
    pub decorative: bool,
}

/// The media page: the upload form, the files and the site's total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaPage {
    pub form: FormState<MediaInput>,
    pub files: Vec<MediaFile>,
    pub used_bytes: i64,
    pub quota_bytes: i64,
}

#[cfg(test)]
mod tests;
