//! One module per route.

pub mod admin;
pub mod consultation;
pub mod editor;
pub mod feedback;
pub mod home;
pub mod inbox;
pub mod manage;
pub mod map;
pub mod not_found;
pub mod privacy;
pub mod resource;
pub mod resources;
