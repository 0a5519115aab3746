//! The `sqlx::Database` through which [`super::install_drivers`] registers the guarded
//! connections. sqlx makes an `Any` driver only from a `Database` type, but the store runs its
//! statements on these connections through `Any` alone. Their own row, value, statement and
//! argument types are therefore never used, so they are empty types here.

use super::backing::Backing;
use super::connection::GuardedConnection;
use sqlx::Error;
use sqlx_core::any::AnyConnectionBackend;
use sqlx_core::arguments::Arguments;
use sqlx_core::column::{Column, ColumnIndex};
use sqlx_core::database::Database;
use sqlx_core::encode::Encode;
use sqlx_core::error::BoxDynError;
use sqlx_core::row::Row;
use sqlx_core::sql_str::SqlStr;
use sqlx_core::statement::Statement;
use sqlx_core::transaction::TransactionManager;
use sqlx_core::type_info::TypeInfo;
use sqlx_core::types::Type;
use sqlx_core::value::{Value, ValueRef};
use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

/// The database of backend `B` with guarded connections.
pub struct Guarded<B>(PhantomData<fn() -> B>);

impl<B> fmt::Debug for Guarded<B> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Guarded")
    }
}

impl<B: Backing> Database for Guarded<B> {
    type Connection = GuardedConnection<B>;
    type TransactionManager = Unused<B>;
    type Row = Unused<B>;
    type QueryResult = NoResult;
    type Column = Unused<B>;
    type TypeInfo = Unused<B>;
    type Value = Unused<B>;
    type ValueRef<'r> = Unused<B>;
    type Arguments = NoArguments<B>;
    type ArgumentBuffer = ();
    type Statement = Unused<B>;

    const NAME: &'static str = B::NAME;
    const URL_SCHEMES: &'static [&'static str] = B::URL_SCHEMES;
}

/// A type without values, standing for each part of [`Guarded`] that `Any` never uses.
#[expect(
    dead_code,
    reason = "the variant exists only to make the type uninhabited"
)]
pub enum Unused<B> {
    Never(Infallible, PhantomData<fn() -> B>),
}

impl<B> Unused<B> {
    fn never(&self) -> ! {
        match self {
            Unused::Never(never, _) => match *never {},
        }
    }
}

impl<B> fmt::Debug for Unused<B> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.never()
    }
}

impl<B> fmt::Display for Unused<B> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.never()
    }
}

impl<B> Clone for Unused<B> {
    fn clone(&self) -> Self {
        self.never()
    }
}

impl<B> PartialEq for Unused<B> {
    fn eq(&self, _: &Self) -> bool {
        self.never()
    }
}

impl<B: Backing> TypeInfo for Unused<B> {
    fn is_null(&self) -> bool {
        self.never()
    }

    fn name(&self) -> &str {
        self.never()
    }
}

impl<B: Backing> Column for Unused<B> {
    type Database = Guarded<B>;

    fn ordinal(&self) -> usize {
        self.never()
    }

    fn name(&self) -> &str {
        self.never()
    }

    fn type_info(&self) -> &Unused<B> {
        self.never()
    }
}

impl<B: Backing> Row for Unused<B> {
    type Database = Guarded<B>;

    fn columns(&self) -> &[Unused<B>] {
        self.never()
    }

    fn try_get_raw<I: ColumnIndex<Self>>(&self, _: I) -> Result<Unused<B>, Error> {
        self.never()
    }
}

impl<B: Backing> Value for Unused<B> {
    type Database = Guarded<B>;

    fn as_ref(&self) -> Unused<B> {
        self.never()
    }

    fn type_info(&self) -> Cow<'_, Unused<B>> {
        self.never()
    }

    fn is_null(&self) -> bool {
        self.never()
    }
}

impl<B: Backing> ValueRef<'_> for Unused<B> {
    type Database = Guarded<B>;

    fn to_owned(&self) -> Unused<B> {
        self.never()
    }

    fn type_info(&self) -> Cow<'_, Unused<B>> {
        self.never()
    }

    fn is_null(&self) -> bool {
        self.never()
    }
}

impl<B: Backing> Statement for Unused<B> {
    type Database = Guarded<B>;

    fn into_sql(self) -> SqlStr {
        self.never()
    }

    fn sql(&self) -> &SqlStr {
        self.never()
    }

    fn parameters(&self) -> Option<sqlx::Either<&[Unused<B>], usize>> {
        self.never()
    }

    fn columns(&self) -> &[Unused<B>] {
        self.never()
    }

    sqlx_core::impl_statement_query!(NoArguments<B>);
}

impl<B: Backing> TransactionManager for Unused<B> {
    type Database = Guarded<B>;

    fn begin(
        connection: &mut GuardedConnection<B>,
        statement: Option<SqlStr>,
    ) -> impl Future<Output = Result<(), Error>> + Send + '_ {
        AnyConnectionBackend::begin(connection, statement)
    }

    fn commit(
        connection: &mut GuardedConnection<B>,
    ) -> impl Future<Output = Result<(), Error>> + Send + '_ {
        AnyConnectionBackend::commit(connection)
    }

    fn rollback(
        connection: &mut GuardedConnection<B>,
    ) -> impl Future<Output = Result<(), Error>> + Send + '_ {
        AnyConnectionBackend::rollback(connection)
    }

    fn start_rollback(connection: &mut GuardedConnection<B>) {
        AnyConnectionBackend::start_rollback(connection);
    }

    fn get_transaction_depth(connection: &GuardedConnection<B>) -> usize {
        AnyConnectionBackend::get_transaction_depth(connection)
    }
}

/// The result of a statement run without `Any`, which never happens.
#[derive(Debug, Default)]
pub struct NoResult;

impl Extend<NoResult> for NoResult {
    fn extend<T: IntoIterator<Item = NoResult>>(&mut self, _: T) {}
}

/// Arguments of a statement run without `Any`, which never happens: no type encodes into them.
pub struct NoArguments<B>(PhantomData<fn() -> B>);

impl<B> Default for NoArguments<B> {
    fn default() -> Self {
        NoArguments(PhantomData)
    }
}

impl<B: Backing> Arguments for NoArguments<B> {
    type Database = Guarded<B>;

    fn reserve(&mut self, _: usize, _: usize) {}

    fn add<'t, T>(&mut self, _: T) -> Result<(), BoxDynError>
    where
        T: Encode<'t, Guarded<B>> + Type<Guarded<B>>,
    {
        Err("statements of the guarded connections run through sqlx::Any only".into())
    }

    fn len(&self) -> usize {
        0
    }
}
