//! The HTTP server of theodoi: the JSON API with its OpenAPI description, sessions and tokens,
//! live event fan-out and the background scheduler.

pub mod api;
mod app;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod clock;
pub mod config;
pub mod demo;
pub mod error;
mod extract;
pub mod headers;
pub mod live;
pub mod mail;
pub mod ops;
pub mod relay;
pub mod scheduler;
pub mod state;
pub mod web;

pub use app::{router, serve, state};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::ServerConfig;
pub use state::AppState;
