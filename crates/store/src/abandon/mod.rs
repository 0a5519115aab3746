//! Connections that stop a statement once its caller stops waiting for it.
//!
//! The server responds with 503 when a request runs past its deadline and drops the request's
//! future, and with it the query that was running. sqlx's own connections keep running that
//! statement: an SQLite connection executes it to the end on its worker thread, and a
//! PostgreSQL server executes it to the end while the client drains the replies. The pool tests
//! a returned connection with a ping, which waits behind the statement, so the connection is
//! missing from the pool for as long as the abandoned statement takes. At 1,000,000 tasks the
//! dashboard's counts ran on after their requests had failed, and the requests that followed
//! waited for connections.
//!
//! The connections here wrap sqlx's and watch each statement. When the caller drops a
//! statement before it has finished:
//! - SQLite: a progress handler, called every thousand virtual machine instructions,
//!   interrupts it, so the connection is free again within milliseconds. A statement inside a
//!   transaction is left to finish, because interrupting a write there rolls back the whole
//!   transaction under a caller that may still be using it.
//! - PostgreSQL: the pool closes the connection instead of waiting, and the server cancels the
//!   statement at its next check that the client is still connected. The connections ask for a
//!   check every second (`client_connection_check_interval`, PostgreSQL 14 and later, on
//!   Linux, macOS and the BSDs).
//!
//! sqlx's `Any` driver, through which the store runs every query, builds connections only from
//! a registered driver, so these wrappers register as the drivers for `sqlite:` and
//! `postgres:` URLs. Call [`install_drivers`] before connecting, and never
//! `sqlx::any::install_default_drivers`, which panics once other drivers are installed.

mod backing;
mod connection;
mod database;

use sqlx_core::any::driver::AnyDriver;

/// Makes `sqlite:` and `postgres:` URLs connect through the connections of this module. Call it
/// before opening an `Any` connection or pool; repeated calls do nothing.
pub fn install_drivers() {
    static DRIVERS: [AnyDriver; 2] = [
        AnyDriver::without_migrate::<database::Guarded<backing::SqliteBacking>>(),
        AnyDriver::without_migrate::<database::Guarded<backing::PostgresBacking>>(),
    ];
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        sqlx::any::install_drivers(&DRIVERS).expect(
            "sqlx's Any drivers were installed elsewhere; call theodoi_store::install_drivers \
             instead of sqlx::any::install_default_drivers",
        );
    });
}
