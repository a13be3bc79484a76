//! `bench-upload` (issue 29): a 12-megapixel photo (4000×3000, generated)
//! through the upload path as the handler runs it (type check, decode,
//! upright, resize to every width, re-encode, one transaction), the bytes
//! each width weighs and the one a phone loads, and what the backup holds
//! before and after.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use app::domain::media::{variant_widths, WIDTHS};

use crate::media::{self, Upload};

/// The photo: 4000×3000, with texture a JPEG cannot squeeze away (a real
/// photo's noise), saved at quality 90 as a camera would.
pub fn photo() -> Vec<u8> {
    let (width, height) = (4000, 3000);
    let mut seed: u32 = 0x9E37_79B9;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed & 0x1F) as i32 - 16;
        let base = |v: u32, span: u32| (v * 255 / span) as i32;
        let channel = |v: i32| (v + noise).clamp(0, 255) as u8;
        image::Rgb([
            channel(base(x, width)),
            channel(base(y, height)),
            channel(((x / 40 + y / 40) % 2 * 120 + 60) as i32),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encoding the benchmark photo");
    out
}

/// The width a phone 360 CSS px wide at 2× picks from the `srcset` (the
/// image fills the viewport there): the smallest candidate of at least 720
/// pixels, else the largest.
pub fn phone_pick(widths: &[u32]) -> u32 {
    let needed = 360 * 2;
    widths
        .iter()
        .copied()
        .filter(|&w| w >= needed)
        .min()
        .or_else(|| widths.iter().copied().max())
        .unwrap_or(0)
}

/// Runs the benchmark on a new database in `dir` (seeded from `content`).
pub async fn run(dir: &Path, content: &Path, rounds: usize) -> Result<(), String> {
    let database = dir.join("bench-upload.db");
    let pool = crate::open_database(&database)
        .await
        .map_err(|e| e.to_string())?;
    app::content::import_dir_if_empty(&pool, content)
        .await
        .map_err(|e| e.to_string())?;
    let id = app::auth::upsert_account(
        &pool,
        "bench",
        "bench",
        "et langt benkepassord 123",
        app::domain::account::Role::Editor,
    )
    .await
    .map_err(|e| e.to_string())?;
    let user = app::domain::account::User {
        id,
        username: "bench".into(),
        display_name: "bench".into(),
        role: app::domain::account::Role::Editor,
    };
    let before = backup_size(&database, &dir.join("before.db")).await?;

    let photo = photo();
    println!("photo: 4000x3000 JPEG, {} bytes (quality 90)", photo.len());
    let mut prepare_times = Vec::new();
    let mut prepare_cpu = Vec::new();
    let mut store_times = Vec::new();
    let mut last = None;
    for round in 0..rounds.max(1) {
        // A different byte each round: a new hash, a new row.
        let mut bytes = photo.clone();
        bytes.extend(format!("round {round}").as_bytes());
        let upload = Upload {
            bytes,
            name: "foto.jpg".into(),
            alt: "Et testbilde".into(),
            decorative: false,
        };
        let started = Instant::now();
        let cpu = cpu_time();
        let prepared = tokio::task::spawn_blocking(move || media::prepare(&upload))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|errors| format!("{errors:?}"))?;
        prepare_times.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu, cpu_time()) {
            prepare_cpu.push(after.saturating_sub(before));
        }
        let started = Instant::now();
        app::db::media::insert(&pool, &user, &prepared, i64::MAX)
            .await
            .map_err(|e| format!("{e:?}"))?;
        store_times.push(started.elapsed());
        last = Some(prepared);
    }
    let prepared = last.expect("one round");
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (prepare, store) = (median(&mut prepare_times), median(&mut store_times));
    println!(
        "upload (median of {}): check, decode, resize and encode {:.0} ms; store (one transaction) {:.0} ms; total {:.0} ms",
        prepare_times.len(),
        prepare.as_secs_f64() * 1000.0,
        store.as_secs_f64() * 1000.0,
        (prepare + store).as_secs_f64() * 1000.0
    );
    // Where the time goes, once more phase by phase.
    let started = Instant::now();
    let decoded =
        media::decode(&photo, app::domain::media::Format::Jpeg).map_err(|e| e.to_string())?;
    let decode = started.elapsed();
    let started = Instant::now();
    let _ = media::encode_widths(&decoded, app::domain::media::Format::Jpeg);
    let widths_time = started.elapsed();
    let started = Instant::now();
    let _ = media::hash(&photo);
    let hash_time = started.elapsed();
    println!(
        "  of which: decode {:.0} ms, resize and encode three widths {:.0} ms, SHA-256 {:.0} ms",
        decode.as_secs_f64() * 1000.0,
        widths_time.as_secs_f64() * 1000.0,
        hash_time.as_secs_f64() * 1000.0
    );
    if !prepare_cpu.is_empty() {
        println!(
            "  CPU time of the check, decode, resize and encode (median; what a machine to itself would take): {:.0} ms",
            median(&mut prepare_cpu).as_secs_f64() * 1000.0
        );
    }
    for (width, _, data) in &prepared.blobs {
        println!("  width {width:>4}: {:>8} bytes", data.len());
    }
    let widths = variant_widths(prepared.width);
    debug_assert!(widths.iter().all(|w| *w <= WIDTHS[WIDTHS.len() - 1]));
    let pick = phone_pick(&widths);
    let phone_bytes = prepared
        .blobs
        .iter()
        .find(|(w, _, _)| *w == pick)
        .map_or(0, |(_, _, d)| d.len());
    println!(
        "a phone 360 px wide at 2x loads the {pick} px width: {phone_bytes} bytes (the original was {} bytes)",
        photo.len()
    );
    let after = backup_size(&database, &dir.join("after.db")).await?;
    println!(
        "backup: {} bytes before, {} bytes with {} photos ({:.0} kB more per photo), VACUUM INTO {:.0} ms before, {:.0} ms after",
        before.0,
        after.0,
        rounds.max(1),
        (after.0 as f64 - before.0 as f64) / rounds.max(1) as f64 / 1000.0,
        before.1.as_secs_f64() * 1000.0,
        after.1.as_secs_f64() * 1000.0
    );
    pool.close().await;
    Ok(())
}

/// The process's CPU time so far (user and system, Linux's
/// `/proc/self/stat`, in clock ticks of 10 ms): unlike the wall clock, not
/// stretched by other work on a busy machine.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

async fn backup_size(database: &Path, to: &Path) -> Result<(u64, Duration), String> {
    let report = crate::cli::backup::backup(database, to)
        .await
        .map_err(|e| e.to_string())?;
    Ok((report.bytes, report.elapsed))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_phone_picks_the_smallest_width_that_covers_720_pixels() {
        assert_eq!(super::phone_pick(&[480, 960, 1600]), 960);
        assert_eq!(super::phone_pick(&[480, 700]), 700);
    }
}
