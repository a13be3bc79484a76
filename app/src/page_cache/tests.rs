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
fn a_browser_gets_brotli_and_a_refusal_is_respected() {
    assert_eq!(
        Coding::negotiate(&accept("gzip, deflate, br, zstd")),
        Coding::Brotli
    );
    assert_eq!(
        Coding::negotiate(&accept("gzip;q=1.0, br;q=0")),
        Coding::Gzip
    );
    assert_eq!(Coding::negotiate(&accept("identity")), Coding::Identity);
    assert_eq!(Coding::negotiate(&HeaderMap::new()), Coding::Identity);
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
    assert!(br.len() < page.len() / 10 && gz.len() < page.len() / 10);
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

fn get(cache: &PageCache, key: &str) -> Option<(HeaderMap, Bytes)> {
    cache.get(key, Coding::Identity, cache.generation())
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
fn a_page_asked_for_again_gets_its_best_brotli_copy_once() {
    let cache = PageCache::new(Limits::default());
    let page = Bytes::from("<p>Brukermedvirkning</p>".repeat(100));
    let fast = compress(&page, Coding::Brotli, FAST_BROTLI);
    let epoch = cache.generation();
    cache.put(
        "/a".into(),
        epoch,
        HeaderMap::new(),
        page.clone(),
        Some((Coding::Brotli, fast)),
    );
    assert!(
        cache.upgrade_candidate("/a", epoch).is_none(),
        "not asked for again yet"
    );
    cache.get("/a", Coding::Brotli, epoch).unwrap();
    cache.get("/a", Coding::Brotli, epoch).unwrap();
    let identity = cache.upgrade_candidate("/a", epoch).expect("a candidate");
    assert!(
        cache.upgrade_candidate("/a", epoch).is_none(),
        "one at a time"
    );
    let best = compress(&identity, Coding::Brotli, BEST_BROTLI);
    cache.upgraded("/a", epoch, best.clone());
    assert_eq!(cache.get("/a", Coding::Brotli, epoch).unwrap().1, best);
    assert!(cache.upgrade_candidate("/a", epoch).is_none(), "done once");
    let bytes = cache.usage().bytes;
    assert_eq!(bytes, "/a".len() + page.len() + best.len() + 256);
}
