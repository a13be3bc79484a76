//! Benchmark support: a synthetic catalogue of any size, and an in-process
//! latency run over a fixed mix of filter and search queries. Used by
//! `scripts/bench-catalogue.sh`; not part of the site.

pub mod links;
pub mod media;

use std::time::{Duration, Instant};

use app::{catalogue::browse, db::index_cache::CatalogueCache, query::CatalogueQuery};
use sqlx::SqlitePool;

/// A small deterministic PRNG (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 40] = [
    "brukermedvirkning",
    "pårørende",
    "erfaringskonsulent",
    "tjenesten",
    "kommunen",
    "brukerutvalg",
    "samarbeid",
    "rusfeltet",
    "psykisk",
    "helse",
    "tilbakemelding",
    "undersøkelse",
    "ungdom",
    "fagdag",
    "kurs",
    "veileder",
    "rettigheter",
    "medvirkning",
    "innflytelse",
    "planlegging",
    "erfaringer",
    "kompetansesenter",
    "spesialisthelsetjenesten",
    "brukerne",
    "behandling",
    "forskning",
    "prosjekt",
    "rutiner",
    "mandat",
    "møteplan",
    "likeperson",
    "organisasjon",
    "involvering",
    "dialog",
    "fokusgruppe",
    "kvalitet",
    "forbedring",
    "ledelse",
    "system",
    "individ",
];

/// Filler vocabulary size. Real text draws on thousands of words with a
/// long tail; with only the 40 field words every search would match every
/// resource, which no real catalogue does.
const FILLER_WORDS: usize = 3000;

fn filler(rng: &mut Rng) -> String {
    // Zipf-like: low ranks far more often than high ones.
    let r = rng
        .below(FILLER_WORDS)
        .min(rng.below(FILLER_WORDS))
        .min(rng.below(FILLER_WORDS));
    const SYLLABLES: [&str; 16] = [
        "ka", "ra", "sto", "le", "mi", "ne", "vik", "dal", "bo", "ter", "ing", "sen", "by", "lo",
        "ha", "ru",
    ];
    let mut w = String::new();
    let mut x = r + 17;
    while x > 0 {
        w.push_str(SYLLABLES[x % 16]);
        x /= 16;
    }
    w
}

/// About one word in eight is a field word (brukermedvirkning …), the rest filler.
fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        if rng.below(8) == 0 {
            s.push_str(WORDS[rng.below(WORDS.len())]);
        } else {
            s.push_str(&filler(rng));
        }
    }
    s
}

/// Adds `count` synthetic published resources (on top of whatever is there),
/// each with random values of every resource facet and one or two
/// organisations, all indexed for search.
pub async fn generate(pool: &SqlitePool, count: usize) -> Result<(), sqlx::Error> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let values: Vec<(String, bool, Vec<i64>)> = {
        let facets = sqlx::query_as::<_, (String, bool)>(
            "SELECT key, multiple FROM facet WHERE applies_to IN ('resource', 'both') ORDER BY position",
        )
        .fetch_all(pool)
        .await?;
        let mut out = Vec::new();
        for (key, multiple) in facets {
            let ids: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM facet_value WHERE facet_key = ?1")
                    .bind(&key)
                    .fetch_all(pool)
                    .await?;
            out.push((key, multiple, ids));
        }
        out
    };
    let orgs: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM organisation")
        .fetch_all(pool)
        .await?;
    let mut tx = app::db::begin_write(pool).await?;
    for i in 0..count {
        let title = format!(
            "{} {} nr. {i}",
            sentence(&mut rng, 3),
            WORDS[rng.below(WORDS.len())]
        );
        let summary = sentence(&mut rng, 25);
        let body = sentence(&mut rng, 120);
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let updated = format!("20{:02}-{month:02}-{day:02}T12:00:00Z", 20 + rng.below(6));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resource (slug, title, summary, body, status, last_reviewed, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'published', ?5, ?6, ?6) RETURNING id",
        )
        .bind(format!("syntetisk-{i}"))
        .bind(&title)
        .bind(&summary)
        .bind(&body)
        .bind(&updated[..10])
        .bind(&updated)
        .fetch_one(&mut *tx)
        .await?;
        for (_, multiple, ids) in &values {
            let n = if *multiple {
                1 + rng.below(3.min(ids.len()))
            } else {
                1
            };
            let mut chosen: Vec<i64> = Vec::with_capacity(n);
            while chosen.len() < n {
                let v = ids[rng.below(ids.len())];
                if !chosen.contains(&v) {
                    chosen.push(v);
                }
            }
            for v in chosen {
                sqlx::query(
                    "INSERT INTO resource_facet (resource_id, facet_value_id) VALUES (?1, ?2)",
                )
                .bind(id)
                .bind(v)
                .execute(&mut *tx)
                .await?;
            }
        }
        let (org_id, org_name) = &orgs[rng.below(orgs.len())];
        sqlx::query(
            "INSERT INTO resource_organisation (resource_id, organisation_id) VALUES (?1, ?2)",
        )
        .bind(id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO resource_fts (rowid, title, summary, body, organisations) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(id)
            .bind(app::catalogue::search::analyse(&title))
            .bind(app::catalogue::search::analyse(&summary))
            .bind(app::catalogue::search::analyse(&body))
            .bind(app::catalogue::search::analyse(org_name))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// The query mix: browsing without and with filters, searches, sorts, pages.
pub const QUERY_MIX: [&str; 12] = [
    "",
    "nivaa=individ",
    "nivaa=tjeneste&nivaa=system&malgruppe=kommunale-tjenester",
    "type=praksiseksempel&fagfelt=rus&grad=samarbeide",
    "malgruppe=parorende&metode=brukerutvalg&metode=dialogmoter&sort=nyeste",
    "inngang=kompetansesenter&nivaa=system&side=3",
    "q=brukermedvirkning",
    "q=pårørende&nivaa=individ",
    "q=erfaringskonsulent+kommunen&sort=nyeste",
    "q=fit",
    "q=ungd&fagfelt=barn-unge",
    "grad=bemyndiggjore&grad=involvere&malgruppe=ungdom&type=metode-verktoy&sort=tittel",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs the mix `rounds` times in-process and prints latency figures for the
/// filter+count step alone and for a whole result page (with cards).
/// Searches are timed twice: with the search cache the site uses (repeated
/// queries hit it) and without it (every search goes to FTS5).
pub async fn run_queries(pool: &SqlitePool, rounds: usize) -> Result<(), sqlx::Error> {
    let cache = CatalogueCache::new();
    let started = Instant::now();
    let index = cache.get(pool).await?;
    let build = started.elapsed();
    let queries: Vec<CatalogueQuery> = QUERY_MIX.iter().map(|q| CatalogueQuery::parse(q)).collect();
    // Warm up the SQLite page cache.
    for q in &queries {
        browse::browse(pool, &index, q).await?;
    }
    let (mut filter, mut page, mut search_only, mut filter_only) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut uncached = Vec::new();
    for _ in 0..rounds {
        for q in queries.iter().filter(|q| !q.q.is_empty()) {
            let t = Instant::now();
            let selection = browse::select_with(pool, &index, q, false).await?;
            std::hint::black_box(selection.facet_counts(&index));
            uncached.push(t.elapsed());
        }
    }
    uncached.sort();
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let selection = browse::select(pool, &index, q).await?;
            let facets = selection.facet_counts(&index);
            std::hint::black_box((&facets, selection.result.count()));
            let d = t.elapsed();
            filter.push(d);
            if q.q.is_empty() {
                filter_only.push(d)
            } else {
                search_only.push(d)
            }
            let t = Instant::now();
            std::hint::black_box(browse::browse(pool, &index, q).await?);
            page.push(t.elapsed());
        }
    }
    for v in [&mut filter, &mut page, &mut search_only, &mut filter_only] {
        v.sort();
    }
    println!("resources (published): {}", index.len());
    println!("index build: {:.1} ms", ms(build));
    let line = |name: &str, v: &[Duration]| {
        println!(
            "{name:<34} n={:<6} p50={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.99)),
            ms(*v.last().unwrap())
        )
    };
    line("filter+count (all queries)", &filter);
    line("filter+count (filters only)", &filter_only);
    line("filter+count (search, cached)", &search_only);
    line("filter+count (search, uncached)", &uncached);
    line("whole page (counts + 20 cards)", &page);
    Ok(())
}

/// Prints, for each file, the size and time of brotli at qualities 1–11,
/// zstd at levels 1 and 3 and gzip at levels 1, 4, 6 and 9: the figures
/// behind the page cache's and the per-response compression's levels.
pub fn compression(files: &[std::path::PathBuf]) -> Result<(), String> {
    use std::io::Write;
    use std::time::Instant;
    for path in files {
        let page = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("{} ({} B)", path.display(), page.len());
        let time = |f: &dyn Fn() -> usize| {
            let rounds = 20;
            let start = Instant::now();
            let mut size = 0;
            for _ in 0..rounds {
                size = f();
            }
            (size, start.elapsed().as_secs_f64() * 1000.0 / rounds as f64)
        };
        for quality in 1..=11u32 {
            let (size, ms) = time(&|| {
                app::page_cache::compress(&page, app::page_cache::Coding::Brotli, quality).len()
            });
            println!(
                "  brotli q{quality:<2} {size:>7} B {:>5.1} % {ms:>7.3} ms",
                size as f64 * 100.0 / page.len() as f64
            );
        }
        for level in [1i32, 3] {
            let (size, ms) = time(&|| zstd::bulk::compress(&page, level).expect("memory").len());
            println!(
                "  zstd   l{level:<2} {size:>7} B {:>5.1} % {ms:>7.3} ms",
                size as f64 * 100.0 / page.len() as f64
            );
        }
        for level in [1u32, 4, 6, 9] {
            let (size, ms) = time(&|| {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
                encoder.write_all(&page).expect("memory");
                encoder.finish().expect("memory").len()
            });
            println!(
                "  gzip   l{level:<2} {size:>7} B {:>5.1} % {ms:>7.3} ms",
                size as f64 * 100.0 / page.len() as f64
            );
        }
    }
    Ok(())
}

/// Searches as visitors type them (issue 19): single words, prefixes,
/// phrases, typos, missing æøå, nynorsk, law references, long queries, and
/// words no resource has.
pub const SEARCH_MIX: [&str; 16] = [
    "brukermedvirkning",
    "pårørende",
    "erfaringskonsulent kommunen",
    "ungd",
    "brukermedvirknig",
    "parorende",
    "brukarmedverknad",
    "tenestene",
    "§ 3-10",
    "fit",
    "kompetansesenter spesialisthelsetjenesten",
    "brukerutvalg mandat møteplan",
    "erfaringer planlegging kvalitet forbedring ledelse system individ dialog",
    "tilbakemeldng fokusgrupe",
    "sjiraff",
    "veileder rettigheter",
];

/// Times each search of `SEARCH_MIX` `rounds` times in-process, as the
/// catalogue page runs it (plan, score, filter counts and the first page's
/// order, not the HTML): uncached (every search planned and scored again)
/// and cached (the site's per-catalogue search cache).
pub async fn run_search(pool: &SqlitePool, rounds: usize) -> Result<(), sqlx::Error> {
    let cache = CatalogueCache::new();
    let started = Instant::now();
    let index = cache.get(pool).await?;
    let build = started.elapsed();
    let queries: Vec<CatalogueQuery> = SEARCH_MIX
        .iter()
        .map(|q| CatalogueQuery::from_pairs([("q", *q)]))
        .collect();
    let page = |selection: &browse::Selection| {
        let top = selection.ordered_top(&index, app::query::PAGE_SIZE);
        std::hint::black_box((selection.facet_counts(&index), top));
    };
    let (mut uncached, mut cached) = (Vec::new(), Vec::new());
    let mut worst: Vec<(Duration, &str, u32)> = Vec::new();
    for (q, text) in queries.iter().zip(SEARCH_MIX) {
        let mut mine = Vec::new();
        let mut matches = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let selection = browse::select_with(pool, &index, q, false).await?;
            page(&selection);
            let d = t.elapsed();
            matches = selection.result.count();
            uncached.push(d);
            mine.push(d);
        }
        mine.sort();
        worst.push((percentile(&mine, 0.5), text, matches));
        browse::select(pool, &index, q).await?;
        for _ in 0..rounds {
            let t = Instant::now();
            page(&browse::select(pool, &index, q).await?);
            cached.push(t.elapsed());
        }
    }
    uncached.sort();
    cached.sort();
    worst.sort();
    println!("resources (published): {}", index.len());
    println!("index build (facets + terms): {:.1} ms", ms(build));
    let line = |name: &str, v: &[Duration]| {
        println!(
            "{name:<20} n={:<6} p50={:>7.3} ms  p99={:>7.3} ms  max={:>7.3} ms",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(percentile(v, 0.99)),
            ms(*v.last().unwrap())
        )
    };
    line("search, uncached", &uncached);
    line("search, cached", &cached);
    println!("slowest searches (uncached p50):");
    for (d, q, matches) in worst.iter().rev().take(3) {
        println!("  {:>7.3} ms  «{q}» ({matches} matches)", ms(*d));
    }
    index_updates(pool, &index, rounds).await
}

/// What a save costs the index: one resource changed in place (read from
/// the database, copied index, patched), as `CatalogueCache::resource_saved`
/// does it, for an edit with new words and for a new resource; and a full
/// rebuild, for comparison (what every save cost before).
async fn index_updates(
    pool: &SqlitePool,
    index: &app::catalogue::index::CatalogueIndex,
    rounds: usize,
) -> Result<(), sqlx::Error> {
    let (mut edits, mut additions, mut rebuilds) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds.max(3) {
        let id = index.ids[(round * 7919) % index.len()];
        let t = Instant::now();
        let mut conn = pool.acquire().await?;
        let mut row = app::db::index_load::read_resource(&mut conn, id).await?;
        if let Some(published) = row.published.as_mut() {
            published.info.title = format!("Ny tittel nummer {round}");
            published.text[0] = format!("ny tittel nyord{round}");
            published.text[3].push_str(&format!(" heltnyttord{round}"));
        }
        std::hint::black_box(index.with_resource(&row, index.version));
        edits.push(t.elapsed());
        row.id = i64::MAX - round as i64;
        let t = Instant::now();
        std::hint::black_box(index.with_resource(&row, index.version));
        additions.push(t.elapsed());
    }
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(app::db::index_load::load(pool).await?);
        rebuilds.push(t.elapsed());
    }
    for v in [&mut edits, &mut additions, &mut rebuilds] {
        v.sort();
    }
    let line = |name: &str, v: &[Duration]| {
        println!(
            "{name:<34} n={:<4} p50={:>8.1} ms  max={:>8.1} ms",
            v.len(),
            ms(percentile(v, 0.5)),
            ms(*v.last().unwrap())
        )
    };
    line("index: one resource saved", &edits);
    line("index: one resource added", &additions);
    line("index: full rebuild (import)", &rebuilds);
    Ok(())
}
