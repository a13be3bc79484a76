//! What an uploaded file is, decided from its bytes alone (never from its
//! name or the browser's claim), and the documents refused for what they
//! carry: a PDF with scripts or automatic actions, an Office file with
//! macros.

use std::io::Read;

use app::domain::media::Format;

/// The sentence for a file the site does not take.
pub const UNSUPPORTED: &str = "Vi kan ikke ta imot denne filtypen. Last opp et bilde (JPEG, PNG eller WebP) eller et dokument (PDF, DOCX, ODT eller XLSX).";

/// The format of `bytes`, or why it is refused.
pub fn sniff(bytes: &[u8]) -> Result<Format, &'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    if bytes.starts_with(b"%PDF-") {
        if pdf_acts(bytes) {
            return Err("PDF-filen inneholder skript eller handlinger som kjører når den åpnes (JavaScript, OpenAction, Launch), så vi tar ikke imot den. Lagre den på nytt som en vanlig PDF (for eksempel «Skriv ut til PDF») og prøv igjen.");
        }
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office(bytes);
    }
    Err(UNSUPPORTED)
}

/// The PDF names that run something: scripts, actions on opening, on a
/// page or a field, launching a program. Written out in a name (`/JS`) or
/// hex-escaped (`/J#53`), at the top level or inside a compressed stream.
const PDF_ACTIONS: [&[u8]; 6] = [
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"RichMedia",
];

/// The most a PDF's compressed streams may inflate to while looking for
/// scripts; past it the file is refused (a compression bomb).
const PDF_INFLATE_MAX: u64 = 64 << 20;

/// Whether a PDF names a script or an automatic action anywhere, its
/// compressed streams included (object streams hide names from a plain
/// scan). A stream that does not inflate is skipped: a reader cannot run
/// what it cannot read either.
fn pdf_acts(bytes: &[u8]) -> bool {
    if names_action(bytes) {
        return true;
    }
    let mut budget = PDF_INFLATE_MAX;
    let mut rest = bytes;
    while let Some(at) = find(rest, b"stream") {
        let mut start = at + b"stream".len();
        // `endstream` also contains `stream`.
        if at >= 3 && &rest[at - 3..at] == b"end" {
            rest = &rest[start..];
            continue;
        }
        if rest[start..].starts_with(b"\r\n") {
            start += 2;
        } else if rest[start..].starts_with(b"\n") {
            start += 1;
        }
        let body = &rest[start..];
        let end = find(body, b"endstream").unwrap_or(body.len());
        let mut inflated = Vec::new();
        let read = flate2::read::ZlibDecoder::new(&body[..end])
            .take(budget + 1)
            .read_to_end(&mut inflated);
        if read.is_ok() || !inflated.is_empty() {
            if inflated.len() as u64 > budget {
                return true;
            }
            budget -= inflated.len() as u64;
            if names_action(&inflated) {
                return true;
            }
        }
        rest = &body[end..];
    }
    false
}

/// Whether `bytes` hold one of [`PDF_ACTIONS`] as a PDF name (`/Name`,
/// `#xx` escapes decoded).
fn names_action(bytes: &[u8]) -> bool {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'/' {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = Vec::new();
        while i < bytes.len() && !delimiter(bytes[i]) && name.len() < 64 {
            if bytes[i] == b'#' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    name.push(b);
                    i += 3;
                    continue;
                }
            }
            name.push(bytes[i]);
            i += 1;
        }
        if PDF_ACTIONS.contains(&name.as_slice()) {
            return true;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A ZIP: an OpenDocument text (its first entry is `mimetype`, stored, with
/// the text's type), or an Office Open XML document or workbook (its
/// `[Content_Types].xml` names the main part); one with macros is refused.
fn office(bytes: &[u8]) -> Result<Format, &'static str> {
    const MACROS: &str = "Dokumentet inneholder makroer, så vi tar ikke imot det. Lagre det som et vanlig dokument uten makroer (DOCX eller XLSX) og prøv igjen.";
    let entries = zip_entries(bytes).ok_or(
        "Filen ser ut som et dokument, men er skadet eller ufullstendig. Lagre den på nytt og prøv igjen.",
    )?;
    if let Some(mimetype) = entries.iter().find(|e| e.name == "mimetype") {
        if entry_data(bytes, mimetype, 200).as_deref()
            == Some(b"application/vnd.oasis.opendocument.text".as_slice())
        {
            if entries.iter().any(|e| e.name.starts_with("Basic/")) {
                return Err(MACROS);
            }
            return Ok(Format::Odt);
        }
        return Err(UNSUPPORTED);
    }
    let types = entries
        .iter()
        .find(|e| e.name == "[Content_Types].xml")
        .and_then(|e| entry_data(bytes, e, 1 << 20))
        .ok_or(UNSUPPORTED)?;
    let types = String::from_utf8_lossy(&types);
    if types.contains("macroEnabled") || entries.iter().any(|e| e.name.ends_with("vbaProject.bin"))
    {
        return Err(MACROS);
    }
    let has = |name: &str| entries.iter().any(|e| e.name == name);
    if types.contains("wordprocessingml.document.main+xml") && has("word/document.xml") {
        return Ok(Format::Docx);
    }
    if types.contains("spreadsheetml.sheet.main+xml") && has("xl/workbook.xml") {
        return Ok(Format::Xlsx);
    }
    Err(UNSUPPORTED)
}

struct Entry {
    name: String,
    method: u16,
    compressed: usize,
    local_offset: usize,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The ZIP's central directory: each entry's name, method, size and where
/// its data starts. `None` for a ZIP that does not hold together.
fn zip_entries(bytes: &[u8]) -> Option<Vec<Entry>> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let end = (tail_start..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(bytes, end + 10)? as usize;
    let mut at = u32_at(bytes, end + 16)? as usize;
    let mut entries = Vec::with_capacity(count.min(10_000));
    for _ in 0..count.min(10_000) {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let method = u16_at(bytes, at + 10)?;
        let compressed = u32_at(bytes, at + 20)? as usize;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let local_offset = u32_at(bytes, at + 42)? as usize;
        let name = String::from_utf8_lossy(bytes.get(at + 46..at + 46 + name_len)?).into_owned();
        entries.push(Entry {
            name,
            method,
            compressed,
            local_offset,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(entries)
}

/// An entry's content (stored or deflated), at most `max` bytes.
fn entry_data(bytes: &[u8], entry: &Entry, max: u64) -> Option<Vec<u8>> {
    let local = entry.local_offset;
    if !bytes.get(local..)?.starts_with(b"PK\x03\x04") {
        return None;
    }
    let name_len = u16_at(bytes, local + 26)? as usize;
    let extra_len = u16_at(bytes, local + 28)? as usize;
    let start = local + 30 + name_len + extra_len;
    let data = bytes.get(start..start.checked_add(entry.compressed)?)?;
    let mut out = Vec::new();
    match entry.method {
        0 => out.extend_from_slice(&data[..data.len().min(max as usize)]),
        8 => {
            flate2::read::DeflateDecoder::new(data)
                .take(max)
                .read_to_end(&mut out)
                .ok()?;
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_pdfs_are_known_by_their_first_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Ok(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(Format::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(Format::Webp));
        assert_eq!(
            sniff(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>"),
            Ok(Format::Pdf)
        );
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), Err(UNSUPPORTED));
        assert_eq!(sniff(b""), Err(UNSUPPORTED));
    }

    #[test]
    fn a_pdf_that_acts_is_refused_however_it_spells_it() {
        for body in [
            "<< /OpenAction 2 0 R >>",
            "<< /S /JavaScript /JS (app.alert(1)) >>",
            "<< /J#53 (x) >>",
            "<< /AA << /O 3 0 R >> >>",
            "<< /S /Launch /F (calc.exe) >>",
        ] {
            let pdf = format!("%PDF-1.4\n1 0 obj {body} endobj");
            assert!(sniff(pdf.as_bytes()).is_err(), "{body}");
        }
        assert!(sniff(b"%PDF-1.4\n1 0 obj << /JSON (x) /Type /Page >> endobj").is_ok());
    }

    #[test]
    fn a_script_in_a_compressed_stream_is_found() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<< /S /JavaScript /JS (app.alert(1)) >>")
            .unwrap();
        let mut pdf =
            b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(z.finish().unwrap());
        pdf.extend(b"\nendstream\nendobj\n");
        assert!(sniff(&pdf).is_err());
    }
}
