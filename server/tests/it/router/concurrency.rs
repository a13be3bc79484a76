//! Pages render while other threads build routers: the cause of the 408s
//! that made `scripts/test.sh` run the tests one at a time.
//!
//! Listing the app's routes (`generate_route_list`, inside building a
//! router) runs the app once with resource loading switched off by a
//! process-wide flag (leptos_router's `SuppressResourceLoad`). A resource
//! first polled meanwhile, on any thread, waits forever (leptos issue #4773),
//! so its page never answers and the time-out layer sends 408 after 30 s.
//! The tests build a router per request, each test on its own thread, so
//! two tests at once hit it now and then. `server::router` now lists the
//! routes once per process.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use super::*;

#[tokio::test]
async fn pages_render_while_other_threads_build_routers() {
    let dir = tempfile::tempdir().unwrap();
    let state = seeded_state(&dir).await;
    let stop = Arc::new(AtomicBool::new(false));
    // Two threads that build routers without pause, as other tests do.
    let builders: Vec<_> = (0..2)
        .map(|_| {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                let _context = runtime.enter();
                while !stop.load(Ordering::Relaxed) {
                    drop(server::router(state.clone()));
                }
            })
        })
        .collect();
    // A resource page loads its data in a resource; each answers within
    // seconds (a page renders in milliseconds), not never.
    let mut hung = Vec::new();
    for i in 0..40 {
        let answer = tokio::time::timeout(
            Duration::from_secs(10),
            get(&state, "/ressurser/feedbackinformerte-tjenester-fit"),
        )
        .await;
        match answer {
            Ok((status, _)) => assert_eq!(status, StatusCode::OK, "request {i}"),
            Err(_) => {
                hung.push(i);
                break;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    for builder in builders {
        builder.join().unwrap();
    }
    assert!(hung.is_empty(), "requests {hung:?} got no answer in 10 s");
}
