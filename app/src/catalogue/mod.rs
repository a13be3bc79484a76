//! The catalogue engine (server only): the in-memory index of the published
//! catalogue (`index`: facet bitsets, sort keys, cards, the term index),
//! faceted browsing and suggestions over it (`browse`), and the Norwegian
//! text analyser and term matching every search runs on (`search`).
//!
//! It ranks between `domain` and `db`: `db` stores and loads what the engine
//! is built from, and the engine never names `db`.

pub mod browse;
pub mod index;
pub mod search;
