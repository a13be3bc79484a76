use super::*;

fn accept(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT_ENCODING,
        HeaderValue::from_str(value).unwrap(),
    );
    headers
}

#[test]
fn a_browsers_codings_are_read_and_a_refusal_is_respected() {
    let browser = Accepted::of(&accept("gzip, deflate, br, zstd"));
    assert_eq!(
        browser,
        Accepted {
            brotli: true,
            zstd: true,
            gzip: true
        }
    );
    assert_eq!(browser.fast(), Coding::Zstd);
    assert_eq!(Accepted::of(&accept("gzip, br")).fast(), Coding::Brotli);
    assert_eq!(
        Accepted::of(&accept("gzip;q=1.0, br;q=0, zstd;q=0")).fast(),
        Coding::Gzip
    );
    assert_eq!(Accepted::of(&accept("identity")).fast(), Coding::Identity);
    assert_eq!(Accepted::of(&HeaderMap::new()).fast(), Coding::Identity);
}

#[test]
fn compressed_variants_decompress_to_the_page() {
    let page = "<p>Brukermedvirkning på systemnivå</p>".repeat(200);
    let br = compress(page.as_bytes(), Coding::Brotli, BEST_BROTLI);
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
    assert_eq!(out, page.as_bytes());
    let gz = compress(page.as_bytes(), Coding::Gzip, 0);
    let mut out = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out).unwrap();
    assert_eq!(out, page);
    let zst = compress(page.as_bytes(), Coding::Zstd, 0);
    assert_eq!(
        zstd::bulk::decompress(&zst, page.len()).unwrap(),
        page.as_bytes()
    );
    assert!(
        br.len() < page.len() / 10 && gz.len() < page.len() / 10 && zst.len() < page.len() / 10
    );
}

fn filled(cache: &PageCache, key: &str, size: usize) {
    let epoch = cache.generation();
    cache.put(
        key.into(),
        epoch,
        HeaderMap::new(),
        Bytes::from(vec![b'x'; size]),
        None,
    );
}

fn get(cache: &PageCache, key: &str) -> Option<(HeaderMap, Bytes, Coding)> {
    cache.get(key, Accepted::default(), cache.generation())
}

#[test]
fn the_least_recently_used_page_goes_first_and_the_bytes_stay_bounded() {
    let cache = PageCache::new(Limits {
        max_bytes: 10_000,
        ttl: Duration::from_secs(60),
    });
    filled(&cache, "/a", 2_000);
    filled(&cache, "/b", 2_000);
    filled(&cache, "/c", 2_000);
    assert!(get(&cache, "/a").is_some()); // /a is now the most recent
    filled(&cache, "/d", 2_000);
    filled(&cache, "/e", 2_000);
    let usage = cache.usage();
    assert!(usage.bytes <= 10_000, "{usage:?}");
    assert!(get(&cache, "/b").is_none(), "the oldest went");
    assert!(get(&cache, "/a").is_some());
    assert!(get(&cache, "/e").is_some());
}

#[test]
fn a_new_generation_or_an_old_entry_is_a_miss() {
    let cache = PageCache::new(Limits {
        max_bytes: 10_000,
        ttl: Duration::from_millis(50),
    });
    filled(&cache, "/a", 100);
    assert!(get(&cache, "/a").is_some());
    cache.invalidate();
    assert!(get(&cache, "/a").is_none());
    assert_eq!(cache.usage().bytes, 0);
    filled(&cache, "/a", 100);
    std::thread::sleep(Duration::from_millis(80));
    assert!(get(&cache, "/a").is_none(), "expired");
    // A page rendered before a write is never used after it.
    let before = cache.generation();
    cache.invalidate();
    cache.put(
        "/b".into(),
        before,
        HeaderMap::new(),
        Bytes::from_static(b"old"),
        None,
    );
    assert!(get(&cache, "/b").is_none());
}

#[test]
fn a_first_view_is_zstd_and_a_page_asked_for_again_gets_its_best_brotli_copy_once() {
    let cache = PageCache::new(Limits::default());
    let browser = Accepted {
        brotli: true,
        zstd: true,
        gzip: true,
    };
    let page = Bytes::from("<p>Brukermedvirkning</p>".repeat(100));
    let fast = compress(&page, browser.fast(), FAST_BROTLI);
    let epoch = cache.generation();
    cache.put(
        "/a".into(),
        epoch,
        HeaderMap::new(),
        page.clone(),
        Some((Coding::Zstd, fast.clone())),
    );
    assert!(
        cache.upgrade_candidate("/a", epoch).is_none(),
        "not asked for again yet"
    );
    assert_eq!(cache.get("/a", browser, epoch).unwrap().2, Coding::Zstd);
    let (_, body, coding) = cache.get("/a", browser, epoch).unwrap();
    assert_eq!((body, coding), (fast.clone(), Coding::Zstd));
    let identity = cache.upgrade_candidate("/a", epoch).expect("a candidate");
    assert!(
        cache.upgrade_candidate("/a", epoch).is_none(),
        "one at a time"
    );
    let best = compress(&identity, Coding::Brotli, BEST_BROTLI);
    cache.upgraded("/a", epoch, best.clone());
    let (_, body, coding) = cache.get("/a", browser, epoch).unwrap();
    assert_eq!((body, coding), (best.clone(), Coding::Brotli));
    let (_, body, coding) = cache
        .get(
            "/a",
            Accepted {
                zstd: true,
                ..Accepted::default()
            },
            epoch,
        )
        .unwrap();
    assert_eq!(
        (body, coding),
        (fast.clone(), Coding::Zstd),
        "a browser without brotli"
    );
    assert!(cache.upgrade_candidate("/a", epoch).is_none(), "done once");
    let bytes = cache.usage().bytes;
    assert_eq!(
        bytes,
        "/a".len() + page.len() + fast.len() + best.len() + 256
    );
}
