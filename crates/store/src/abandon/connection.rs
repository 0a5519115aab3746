//! The connection wrapper and its connect options.

use super::backing::{Backing, OnAbandon};
use super::database::Guarded;
use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::any::{
    AnyArguments, AnyConnectOptions, AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo,
};
use sqlx::{Either, Error, Transaction};
use sqlx_core::any::AnyConnectionBackend;
use sqlx_core::connection::{ConnectOptions, Connection};
use sqlx_core::sql_str::SqlStr;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A connection of backend `B` that stops the statements its callers abandon.
pub struct GuardedConnection<B: Backing> {
    inner: B::Connection,
    /// Read by SQLite's progress handler, which interrupts the running statement while it is
    /// raised.
    interrupt: Arc<AtomicBool>,
    /// Whether a statement was dropped before it finished since the connection last settled.
    abandoned: Arc<AtomicBool>,
}

impl<B: Backing> fmt::Debug for GuardedConnection<B> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("GuardedConnection")
            .field("inner", &self.inner)
            .field("abandoned", &self.abandoned.load(Ordering::Relaxed))
            .finish()
    }
}

/// Marks the statement abandoned unless it was watched to its end.
struct Watch {
    interrupt: Option<Arc<AtomicBool>>,
    abandoned: Arc<AtomicBool>,
    finished: bool,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        self.abandoned.store(true, Ordering::Release);
        if let Some(interrupt) = &self.interrupt {
            interrupt.store(true, Ordering::Release);
        }
    }
}

impl<B: Backing> GuardedConnection<B> {
    /// Starts watching a statement about to be sent.
    fn watch(&self) -> Watch {
        // Interrupting a write inside a transaction rolls the transaction back, so only
        // statements outside one are interrupted.
        let interruptible =
            B::ON_ABANDON == OnAbandon::Interrupt && self.inner.get_transaction_depth() == 0;
        Watch {
            interrupt: interruptible.then(|| self.interrupt.clone()),
            abandoned: self.abandoned.clone(),
            finished: false,
        }
    }

    /// Waits until an abandoned statement has stopped and lowers the flags, so that the next
    /// statement runs uninterrupted. The connection runs its commands in order, so the ping
    /// returns only after the abandoned statement has ended.
    async fn settle(&mut self) -> Result<(), Error> {
        if !self.abandoned.load(Ordering::Acquire) {
            return Ok(());
        }
        self.inner.ping().await?;
        self.interrupt.store(false, Ordering::Release);
        self.abandoned.store(false, Ordering::Release);
        Ok(())
    }
}

impl<B: Backing> AnyConnectionBackend for GuardedConnection<B> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), Error>> {
        Box::new(self.inner).close()
    }

    fn close_hard(self: Box<Self>) -> BoxFuture<'static, Result<(), Error>> {
        Box::new(self.inner).close_hard()
    }

    /// Checks the connection, which the pool does before taking it back. A PostgreSQL
    /// connection with an abandoned statement fails the check, so that the pool closes it.
    fn ping(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let abandoned = self.abandoned.load(Ordering::Acquire);
            if abandoned && B::ON_ABANDON == OnAbandon::Close {
                return Err(Error::Protocol(
                    "a statement was abandoned before it finished; closing the connection \
                     ends it on the server"
                        .into(),
                ));
            }
            if abandoned {
                self.settle().await
            } else {
                self.inner.ping().await
            }
        })
    }

    fn begin(&mut self, statement: Option<SqlStr>) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            self.settle().await?;
            self.inner.begin(statement).await
        })
    }

    fn commit(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            self.settle().await?;
            self.inner.commit().await
        })
    }

    fn rollback(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            self.settle().await?;
            self.inner.rollback().await
        })
    }

    fn start_rollback(&mut self) {
        self.inner.start_rollback();
    }

    fn get_transaction_depth(&self) -> usize {
        self.inner.get_transaction_depth()
    }

    fn cached_statements_size(&self) -> usize {
        self.inner.cached_statements_size()
    }

    fn clear_cached_statements(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        self.inner.clear_cached_statements()
    }

    fn shrink_buffers(&mut self) {
        self.inner.shrink_buffers();
    }

    fn flush(&mut self) -> BoxFuture<'_, Result<(), Error>> {
        self.inner.flush()
    }

    fn should_flush(&self) -> bool {
        self.inner.should_flush()
    }

    fn as_migrate(
        &mut self,
    ) -> Result<&mut (dyn sqlx_core::migrate::Migrate + Send + 'static), Error> {
        self.inner.as_migrate()
    }

    fn fetch_many(
        &mut self,
        query: SqlStr,
        persistent: bool,
        arguments: Option<AnyArguments>,
    ) -> BoxStream<'_, Result<Either<AnyQueryResult, AnyRow>, Error>> {
        Box::pin(async_stream::stream! {
            if let Err(error) = self.settle().await {
                yield Err(error);
                return;
            }
            let mut watch = self.watch();
            let mut results = self.inner.fetch_many(query, persistent, arguments);
            while let Some(result) = results.next().await {
                // The statement ends with its first error.
                let failed = result.is_err();
                watch.finished = failed;
                yield result;
                if failed {
                    return;
                }
            }
            watch.finished = true;
        })
    }

    fn fetch_optional(
        &mut self,
        query: SqlStr,
        persistent: bool,
        arguments: Option<AnyArguments>,
    ) -> BoxFuture<'_, Result<Option<AnyRow>, Error>> {
        Box::pin(async move {
            self.settle().await?;
            let mut watch = self.watch();
            let row = self
                .inner
                .fetch_optional(query, persistent, arguments)
                .await;
            watch.finished = true;
            row
        })
    }

    fn prepare_with<'c, 'q: 'c>(
        &'c mut self,
        sql: SqlStr,
        parameters: &[AnyTypeInfo],
    ) -> BoxFuture<'c, Result<AnyStatement, Error>> {
        let parameters = parameters.to_vec();
        Box::pin(async move {
            self.settle().await?;
            self.inner.prepare_with(sql, &parameters).await
        })
    }

    fn describe(
        &mut self,
        sql: SqlStr,
    ) -> BoxFuture<'_, Result<sqlx_core::describe::Describe<sqlx::Any>, Error>> {
        self.inner.describe(sql)
    }
}

impl<B: Backing> Connection for GuardedConnection<B> {
    type Database = Guarded<B>;
    type Options = GuardedOptions<B>;

    fn close(self) -> impl Future<Output = Result<(), Error>> + Send + 'static {
        AnyConnectionBackend::close(Box::new(self))
    }

    fn close_hard(self) -> impl Future<Output = Result<(), Error>> + Send + 'static {
        AnyConnectionBackend::close_hard(Box::new(self))
    }

    fn ping(&mut self) -> impl Future<Output = Result<(), Error>> + Send + '_ {
        AnyConnectionBackend::ping(self)
    }

    fn begin(
        &mut self,
    ) -> impl Future<Output = Result<Transaction<'_, Self::Database>, Error>> + Send + '_ {
        Transaction::begin(self, None)
    }

    fn shrink_buffers(&mut self) {
        AnyConnectionBackend::shrink_buffers(self);
    }

    fn flush(&mut self) -> impl Future<Output = Result<(), Error>> + Send + '_ {
        AnyConnectionBackend::flush(self)
    }

    fn should_flush(&self) -> bool {
        AnyConnectionBackend::should_flush(self)
    }
}

/// Connect options of backend `B`, making [`GuardedConnection`]s.
pub struct GuardedOptions<B: Backing> {
    inner: B::Options,
}

impl<B: Backing> fmt::Debug for GuardedOptions<B> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("GuardedOptions")
            .field("inner", &self.inner)
            .finish()
    }
}

impl<B: Backing> Clone for GuardedOptions<B> {
    fn clone(&self) -> Self {
        GuardedOptions {
            inner: self.inner.clone(),
        }
    }
}

impl<B: Backing> FromStr for GuardedOptions<B> {
    type Err = Error;

    fn from_str(url: &str) -> Result<Self, Error> {
        Ok(GuardedOptions {
            inner: B::Options::from_str(url)?,
        })
    }
}

impl<'a, B: Backing> TryFrom<&'a AnyConnectOptions> for GuardedOptions<B> {
    type Error = Error;

    fn try_from(options: &'a AnyConnectOptions) -> Result<Self, Error> {
        Ok(GuardedOptions {
            inner: B::Options::try_from(options)?,
        })
    }
}

impl<B: Backing> ConnectOptions for GuardedOptions<B> {
    type Connection = GuardedConnection<B>;

    fn from_url(url: &sqlx_core::Url) -> Result<Self, Error> {
        Ok(GuardedOptions {
            inner: B::Options::from_url(url)?,
        })
    }

    fn to_url_lossy(&self) -> sqlx_core::Url {
        self.inner.to_url_lossy()
    }

    async fn connect(&self) -> Result<GuardedConnection<B>, Error> {
        let mut inner = self.inner.connect().await?;
        let interrupt = Arc::new(AtomicBool::new(false));
        B::prepare(&mut inner, interrupt.clone()).await?;
        Ok(GuardedConnection {
            inner,
            interrupt,
            abandoned: Arc::new(AtomicBool::new(false)),
        })
    }

    fn log_statements(self, level: log::LevelFilter) -> Self {
        GuardedOptions {
            inner: self.inner.log_statements(level),
        }
    }

    fn log_slow_statements(self, level: log::LevelFilter, duration: Duration) -> Self {
        GuardedOptions {
            inner: self.inner.log_slow_statements(level, duration),
        }
    }
}
