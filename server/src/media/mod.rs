//! An upload made ready to store (issue 29): its type decided from its
//! bytes ([`sniff`]), its name made safe, and an image decoded under limits,
//! turned upright and re-encoded in a few widths (which drops EXIF, XMP and
//! every other metadata block: location and camera data never leave the
//! editor's machine).

pub mod sniff;

use std::io::Cursor;

use app::{
    db::media::NewMedia,
    domain::{
        form::FieldError,
        media::{
            sanitise_name, scaled_height, variant_widths, Format, ALT_FIELD, ALT_MAX, FILE_FIELD,
            MAX_FILE_BYTES,
        },
    },
};
use image::{
    codecs::{jpeg::JpegEncoder, png::PngEncoder},
    imageops::FilterType,
    DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits,
};
use sha2::{Digest, Sha256};

/// The widest or tallest image decoded at all (a 12-megapixel photo is
/// 4000×3000; a decompression bomb claims 100000×100000).
pub const MAX_SIDE: u32 = 12_000;
/// The memory one decode may take (an RGBA image 8000×8000 is 256 MB).
pub const MAX_ALLOC: u64 = 320 << 20;
/// JPEG quality of the stored widths.
pub const JPEG_QUALITY: u8 = 80;

/// What an editor sent: the file's bytes and name, and the form's fields.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub name: String,
    pub alt: String,
    pub decorative: bool,
}

fn refuse(field: &str, message: impl Into<String>) -> Vec<FieldError> {
    vec![FieldError::new(field, message)]
}

/// The file as it will be stored, or each field's problem. CPU-bound for an
/// image: run it off the async threads.
pub fn prepare(upload: &Upload) -> Result<NewMedia, Vec<FieldError>> {
    let Upload {
        bytes,
        name,
        alt,
        decorative,
    } = upload;
    if bytes.is_empty() && name.is_empty() {
        return Err(refuse(FILE_FIELD, "Velg en fil å laste opp."));
    }
    if bytes.is_empty() {
        return Err(refuse(
            FILE_FIELD,
            format!("«{}» er tom (0 byte). Velg filen på nytt.", shown(name)),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refuse(FILE_FIELD, too_large()));
    }
    let format = sniff::sniff(bytes).map_err(|m| refuse(FILE_FIELD, m))?;
    if let Some(claimed) = Format::from_extension(name) {
        let same = claimed == format;
        if !same {
            return Err(refuse(
                FILE_FIELD,
                format!(
                    "Filen heter «{}», men innholdet er {}, ikke {}. Gi filen riktig navn eller velg riktig fil.",
                    shown(name),
                    format.label(),
                    claimed.label()
                ),
            ));
        }
    }
    let alt = alt.trim().to_string();
    if format.is_image() {
        if alt.is_empty() && !decorative {
            return Err(refuse(ALT_FIELD, "Skriv en alt-tekst som sier hva bildet viser, eller kryss av for at bildet er dekorativt."));
        }
        if alt.chars().count() > ALT_MAX {
            return Err(refuse(
                ALT_FIELD,
                format!("Alt-teksten kan ha høyst {ALT_MAX} tegn. Si det viktigste kort; lengre forklaringer hører hjemme i teksten."),
            ));
        }
    }
    let hash = hash(bytes);
    if format.is_image() {
        let image = decode(bytes, format).map_err(|m| refuse(FILE_FIELD, m))?;
        let (out, variants) = encode_widths(&image, format);
        let name = sanitise_name(name, out).map_err(|m| refuse(FILE_FIELD, m))?;
        let Some(&(width, _)) = variants.last() else {
            tracing::error!("no width of an upload could be encoded");
            return Err(refuse(
                FILE_FIELD,
                "Bildet kunne ikke lagres. Prøv igjen, eller lagre det på nytt som JPEG eller PNG.",
            ));
        };
        let height = scaled_height(image.width(), image.height(), width);
        return Ok(NewMedia {
            hash,
            format,
            name,
            alt: if *decorative { String::new() } else { alt },
            decorative: *decorative,
            width,
            height,
            original_bytes: bytes.len() as i64,
            blobs: variants
                .into_iter()
                .map(|(w, data)| (w, out.content_type(), data))
                .collect(),
        });
    }
    let name = sanitise_name(name, format).map_err(|m| refuse(FILE_FIELD, m))?;
    Ok(NewMedia {
        hash,
        format,
        name,
        alt: String::new(),
        decorative: false,
        width: 0,
        height: 0,
        original_bytes: bytes.len() as i64,
        blobs: vec![(0, format.content_type(), bytes.clone())],
    })
}

/// A content folder's file (`app::content::import_files`) through the same
/// checks and re-encoding as an upload.
pub fn prepare_content(bytes: &[u8], def: &app::content::FileDef) -> Result<NewMedia, String> {
    prepare(&Upload {
        bytes: bytes.to_vec(),
        name: def.name.clone(),
        alt: def.alt.clone(),
        decorative: def.decorative,
    })
    .map_err(|errors| {
        errors
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Imports the files of the content folder `dir` (see
/// `app::content::import_files`).
pub async fn import_content_files(
    pool: &sqlx::SqlitePool,
    dir: &std::path::Path,
) -> Result<app::content::FilesReport, app::content::ContentError> {
    app::content::import_files(pool, dir, prepare_content).await
}

/// The refusal of a file over the limit (the upload form's island says
/// the same before sending).
pub use app::domain::media::too_large;

/// A name as the editor gave it, safe to show in a sentence.
fn shown(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(80).collect()
}

/// The public name: the first 16 hex digits of the bytes' SHA-256.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Decodes under [`MAX_SIDE`] and [`MAX_ALLOC`], turned upright by its EXIF
/// orientation (which re-encoding would otherwise lose).
pub fn decode(bytes: &[u8], format: Format) -> Result<DynamicImage, &'static str> {
    const BROKEN: &str = "Bildet kan ikke leses: det er skadet eller ufullstendig. Lagre det på nytt eller velg en annen fil.";
    const HUGE: &str = "Bildet er for stort til at vi kan behandle det (høyst 12 000 piksler bredt eller høyt). Gjør det mindre og prøv igjen.";
    let image_format = match format {
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::Png => image::ImageFormat::Png,
        Format::Webp => image::ImageFormat::WebP,
        _ => return Err(sniff::UNSUPPORTED),
    };
    // The JPEG decoder fills in what a cut-off file lacks: its last scan
    // must end (EOI), or the picture is grey where the file stopped.
    if format == Format::Jpeg && !jpeg_complete(bytes) {
        return Err(BROKEN);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(limits);
    let limited = |err: image::ImageError| match err {
        image::ImageError::Limits(_) => HUGE,
        _ => BROKEN,
    };
    let mut decoder = reader.into_decoder().map_err(limited)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(HUGE);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(limited)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether a JPEG's last scan (the last SOS marker, `FF DA`) is followed by
/// the end-of-image marker (`FF D9`). Inside a scan `FF` is always stuffed,
/// so neither marker occurs there by chance; data a camera appends after
/// the end is allowed.
fn jpeg_complete(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Each stored width of `image`, smallest first, as (width, bytes), and the
/// format they are in: PNG for a PNG or an image with transparency (line
/// art, logos, screenshots stay sharp), JPEG for the rest (photos).
pub fn encode_widths(image: &DynamicImage, source: Format) -> (Format, Vec<(u32, Vec<u8>)>) {
    let png = source == Format::Png || image.color().has_alpha();
    let out = if png { Format::Png } else { Format::Jpeg };
    let mut widths = variant_widths(image.width());
    widths.reverse();
    let mut variants = Vec::new();
    // Largest first, each scaled from the one before: cheaper than scaling
    // the original every time, and as sharp at these ratios.
    let mut current = image.clone();
    for width in widths {
        if width != current.width() {
            let height = scaled_height(current.width(), current.height(), width);
            current = current.resize_exact(width, height, FilterType::CatmullRom);
        }
        let mut data = Vec::new();
        let written = if png {
            let rgba = current.to_rgba8();
            PngEncoder::new(&mut data).write_image(
                rgba.as_raw(),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba8,
            )
        } else {
            let rgb = current.to_rgb8();
            JpegEncoder::new_with_quality(&mut data, JPEG_QUALITY).write_image(
                rgb.as_raw(),
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )
        };
        if written.is_ok() {
            variants.push((width, data));
        }
    }
    variants.reverse();
    (out, variants)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&image)
            .unwrap();
        out
    }

    #[test]
    fn a_truncated_jpeg_is_refused() {
        let whole = jpeg(640, 480);
        assert!(decode(&whole, Format::Jpeg).is_ok());
        let half = &whole[..whole.len() / 2];
        assert!(decode(half, Format::Jpeg).is_err());
    }

    #[test]
    fn widths_are_stored_smallest_first_and_never_wider_than_the_original() {
        let image = decode(&jpeg(1000, 500), Format::Jpeg).unwrap();
        let (format, variants) = encode_widths(&image, Format::Jpeg);
        assert_eq!(format, Format::Jpeg);
        let widths: Vec<u32> = variants.iter().map(|v| v.0).collect();
        assert_eq!(widths, [480, 960, 1000]);
    }
}
