//! The rules of theodoi, free of I/O: documents and the tasks they assign, the task lifecycle as
//! commands that return events, result classification at any date, timed obligations and the
//! update cadence, and the confidentiality rules of each field.
//!
//! Nothing here reads a clock, a database or the network: "now" and reference data come in as
//! arguments, so every rule can be checked at any date.

pub mod audit;
pub mod catalogue;
pub mod confidentiality;
pub mod document;
pub mod error;
pub mod ids;
pub mod notice;
pub mod obligation;
pub mod org;
pub mod result;
pub mod rollup;
pub mod schedule;
pub mod symbol;
pub mod task;
pub mod text;
pub mod user;

pub use error::{Code, DomainError, DomainResult, ErrorKind};
