//! Commands of the `bli-involvert` binary that are more than a call into
//! `app` (the parsing is in `main.rs`): online backups and restores.

pub mod backup;
