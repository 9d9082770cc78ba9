//! The one way the store speaks to its database, whichever engine holds
//! it: SQLite through rusqlite, or PostgreSQL through the synchronous
//! `postgres` client. Statements are written once, in the SQL both
//! engines share, with SQLite's numbered parameters (`?1`); for
//! PostgreSQL they are rewritten ([`dialect`]) to `$1`, and the few
//! phrases SQLite alone has to PostgreSQL's. PostgreSQL gives a parameter
//! its type where it is first used, so a parameter that may be NULL is
//! compared before it is tested (`unit = ?1 OR ?1 IS NULL`, not the
//! other way round).
//!
//! Values cross as [`Value`]: what is bound is converted to the type the
//! engine expects for that parameter, and what is read is converted back
//! to the Rust type asked for, so that the same code reads a 0/1 flag, a
//! count or a text on either engine.

use super::postgres::WRITE_LOCK;
use super::{Error, Result};
use postgres::types::{FromSql, IsNull, ToSql, Type};
use std::cell::RefCell;
use std::collections::HashMap;

/// A value bound to or read from a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (flags are 0 and 1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes; also SQLite text that is not UTF-8.
    Blob(Vec<u8>),
}

/// What may be bound to a statement's parameter.
pub trait Arg {
    /// As a [`Value`].
    fn value(&self) -> Value;
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_arg!(i64, i32, u32, u16, u8, usize, u64);

impl Arg for f64 {
    fn value(&self) -> Value {
        Value::Real(*self)
    }
}

impl Arg for bool {
    fn value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl Arg for str {
    fn value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl Arg for String {
    fn value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl Arg for [u8] {
    fn value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl Arg for Vec<u8> {
    fn value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl Arg for Value {
    fn value(&self) -> Value {
        self.clone()
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> Value {
        (**self).value()
    }
}

impl<T: Arg> Arg for Option<T> {
    fn value(&self) -> Value {
        self.as_ref().map_or(Value::Null, Arg::value)
    }
}

/// The parameters of a statement, in order: `params![code, now]`.
macro_rules! params {
    ($($arg:expr),* $(,)?) => {
        &[$(&$arg as &dyn $crate::store::db::Arg),*] as &[&dyn $crate::store::db::Arg]
    };
}
pub(crate) use params;

/// What a [`Value`] read from a row may become.
pub trait Column: Sized {
    /// The value as this type; `None` if it cannot be.
    fn from_value(value: Value) -> Option<Self>;
}

macro_rules! int_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_value(value: Value) -> Option<Self> {
                match value {
                    Value::Int(i) => <$t>::try_from(i).ok(),
                    _ => None,
                }
            }
        }
    )*};
}
int_column!(i64, i32, u32, u64, usize);

impl Column for bool {
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(i != 0),
            _ => None,
        }
    }
}

impl Column for f64 {
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Real(r) => Some(r),
            Value::Int(i) => Some(i as f64),
            _ => None,
        }
    }
}

impl Column for String {
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl Column for Vec<u8> {
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Blob(bytes) => Some(bytes),
            Value::Text(text) => Some(text.into_bytes()),
            _ => None,
        }
    }
}

impl Column for Value {
    fn from_value(value: Value) -> Option<Self> {
        Some(value)
    }
}

impl<T: Column> Column for Option<T> {
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A row of a statement's result.
pub enum Row<'a> {
    /// SQLite's.
    Sqlite(&'a rusqlite::Row<'a>),
    /// PostgreSQL's.
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// The column `index` (from 0) as a `T`; an error naming the column if
    /// it is not one.
    pub fn get<T: Column>(&self, index: usize) -> Result<T> {
        let value = match self {
            Row::Sqlite(row) => from_sqlite(row.get_ref(index)?),
            Row::Pg(row) => row.try_get::<_, Cell>(index)?.0,
        };
        let shown = format!("{value:?}");
        T::from_value(value).ok_or_else(|| {
            Error::Column(format!(
                "column {index} holds {} where {} was expected",
                shown.chars().take(40).collect::<String>(),
                std::any::type_name::<T>()
            ))
        })
    }
}

fn from_sqlite(value: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Value::Text(text.to_owned()),
            Err(_) => Value::Blob(bytes.to_vec()),
        },
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
            Value::Blob(bytes) => ValueRef::Blob(bytes),
        }))
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Int(i), &Type::TEXT | &Type::VARCHAR) => i.to_string().to_sql(ty, out),
            (Value::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            (Value::Text(text), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                text.as_str().to_sql(ty, out)
            }
            (Value::Text(text), &Type::BYTEA) => text.as_bytes().to_sql(ty, out),
            (Value::Blob(bytes), &Type::BYTEA) => bytes.as_slice().to_sql(ty, out),
            (value, ty) => Err(format!("cannot bind {value:?} as {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Any column PostgreSQL gives, as a [`Value`].
struct Cell(Value);

impl<'a> FromSql<'a> for Cell {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Value::Text(String::from_sql(ty, raw)?)
            }
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => return Err(format!("the store does not read columns of type {ty}").into()),
        }))
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The values of `args`, in order.
fn values(args: &[&dyn Arg]) -> Vec<Value> {
    args.iter().map(|a| a.value()).collect()
}

/// A PostgreSQL connection with the statements it has prepared. The
/// synchronous client runs a small runtime of its own, which may not be
/// started or dropped on the async runtime's threads: so the client lives
/// on a thread of its own, and each statement is handed to it. A store on
/// PostgreSQL may then be used, and dropped, from any thread, as a store
/// on SQLite may.
///
/// A connection that is lost (the database restarted, a failover, a
/// connection ended by an administrator) is made again before the next
/// statement: the statement that met the loss fails, and with it its
/// transaction (every caller ends a transaction at its first error), and
/// the ones after go to the new connection.
pub struct Pg {
    jobs: std::sync::mpsc::Sender<Job>,
    prepared: HashMap<String, postgres::Statement>,
    /// How many times the thread has connected again; statements
    /// prepared belong to one connection.
    reconnected: std::sync::Arc<std::sync::atomic::AtomicU64>,
    seen: u64,
}

/// A statement's work on the client; what it gives is handed over once
/// the connection is sound again.
type Job = Box<dyn FnOnce(&mut postgres::Client) -> Box<dyn FnOnce() + Send> + Send>;

impl Pg {
    /// Connects with `connect`, on the connection's own thread; connects
    /// with it again whenever the connection is lost.
    pub fn start(connect: impl Fn() -> Result<postgres::Client> + Send + 'static) -> Result<Pg> {
        use std::sync::atomic::Ordering;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (ready, started) = std::sync::mpsc::sync_channel(1);
        let reconnected = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let count = reconnected.clone();
        std::thread::Builder::new()
            .name("xxgk-postgres".into())
            .spawn(move || {
                let mut client = match connect() {
                    Ok(client) => client,
                    Err(error) => {
                        let _ = ready.send(Err(error));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                let mend = |client: &mut postgres::Client| {
                    if client.is_closed() {
                        if let Ok(again) = connect() {
                            *client = again;
                            count.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                };
                // Ends, dropping the client here, when the store is dropped.
                for job in queue {
                    mend(&mut client);
                    let hand_over = job(&mut client);
                    mend(&mut client);
                    hand_over();
                }
            })?;
        started
            .recv()
            .map_err(|_| Error::Column("the PostgreSQL connection's thread stopped".into()))??;
        Ok(Pg {
            jobs,
            prepared: HashMap::new(),
            reconnected,
            seen: 0,
        })
    }

    /// Runs `work` with the client, on its thread.
    fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error> + Send + 'static,
    ) -> Result<T> {
        let (done, result) = std::sync::mpsc::sync_channel(1);
        let job: Job = Box::new(move |client| {
            let given = work(client);
            Box::new(move || {
                let _ = done.send(given);
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| Error::Column("the PostgreSQL connection's thread stopped".into()))?;
        result
            .recv()
            .map_err(|_| Error::Column("the PostgreSQL connection's thread stopped".into()))?
            .map_err(Error::from)
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        let reconnected = self.reconnected.load(std::sync::atomic::Ordering::SeqCst);
        if reconnected != self.seen {
            self.prepared.clear();
            self.seen = reconnected;
        }
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let rewritten = dialect(sql);
        let statement = self.call(move |client| client.prepare(&rewritten))?;
        self.prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn query(&mut self, sql: &str, args: &[&dyn Arg]) -> Result<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        let values = values(args);
        // PostgreSQL's text holds no NUL, so no row equals a text with one
        // (a lookup code or a name typed with it); SQLite finds none too.
        if values
            .iter()
            .any(|v| matches!(v, Value::Text(t) if t.contains('\0')))
        {
            return Ok(Vec::new());
        }
        self.call(move |client| client.query(&statement, &bound(&values)))
    }

    fn execute(&mut self, sql: &str, args: &[&dyn Arg]) -> Result<usize> {
        let statement = self.statement(sql)?;
        let values = values(args);
        self.call(move |client| client.execute(&statement, &bound(&values)))
            .map(|n| n as usize)
    }

    fn batch(&self, sql: &str) -> Result<()> {
        let rewritten = dialect(sql);
        self.call(move |client| client.batch_execute(&rewritten))
    }
}

fn bound(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

/// A connection, to either engine.
pub enum Conn {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL.
    Pg(RefCell<Pg>),
}

/// A connection or a transaction on it, borrowed for one statement.
#[derive(Clone, Copy)]
pub enum Db<'a> {
    /// SQLite.
    Sqlite(&'a rusqlite::Connection),
    /// PostgreSQL.
    Pg(&'a RefCell<Pg>),
}

/// What runs statements: a connection or a transaction.
pub trait Sql {
    /// Where statements go.
    fn db(&self) -> Db<'_>;

    /// Runs `sql` with `args`; how many rows it changed.
    fn execute(&self, sql: &str, args: &[&dyn Arg]) -> Result<usize> {
        match self.db() {
            Db::Sqlite(conn) => {
                let values = values(args);
                Ok(conn
                    .prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Db::Pg(pg) => pg.borrow_mut().execute(sql, args),
        }
    }

    /// Every row `sql` gives with `args`, each made into a `T` by `each`.
    fn query_map<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        mut each: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self.db() {
            Db::Sqlite(conn) => {
                let values = values(args);
                let mut statement = conn.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(values.iter()))?;
                let mut all = Vec::new();
                while let Some(row) = rows.next()? {
                    all.push(each(&Row::Sqlite(row))?);
                }
                Ok(all)
            }
            Db::Pg(pg) => {
                let rows = pg.borrow_mut().query(sql, args)?;
                rows.iter().map(|row| each(&Row::Pg(row))).collect()
            }
        }
    }

    /// The first row `sql` gives with `args`, made into a `T` by `each`;
    /// [`Error::NoRow`] if there is none.
    fn query_row<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        each: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        let mut each = Some(each);
        let first = self.query_map(sql, args, |row| each.take().map(|f| f(row)).transpose())?;
        first.into_iter().flatten().next().ok_or(Error::NoRow)
    }

    /// The names of the columns `sql` gives.
    fn columns(&self, sql: &str) -> Result<Vec<String>> {
        match self.db() {
            Db::Sqlite(conn) => Ok(conn
                .prepare(sql)?
                .column_names()
                .into_iter()
                .map(str::to_owned)
                .collect()),
            Db::Pg(pg) => Ok(pg
                .borrow_mut()
                .statement(sql)?
                .columns()
                .iter()
                .map(|c| c.name().to_owned())
                .collect()),
        }
    }

    /// Runs statements separated by semicolons, without parameters.
    fn batch(&self, sql: &str) -> Result<()> {
        match self.db() {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Pg(pg) => pg.borrow().batch(sql),
        }
    }
}

impl Sql for Conn {
    fn db(&self) -> Db<'_> {
        match self {
            Conn::Sqlite(conn) => Db::Sqlite(conn),
            Conn::Pg(pg) => Db::Pg(pg),
        }
    }
}

impl Sql for Db<'_> {
    fn db(&self) -> Db<'_> {
        *self
    }
}

impl Conn {
    /// Begins a transaction that writes: it waits (up to the busy
    /// timeout) for any other writer, on this or another connection, to
    /// finish, and holds the others off until it ends.
    pub fn write(&mut self) -> Result<Tx<'_>> {
        match self {
            Conn::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            Conn::Pg(pg) => {
                let pg = pg.get_mut();
                // Read committed whatever the database's default: after the
                // lock, each statement sees what the writer before committed.
                pg.batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                let locked = pg.execute("SELECT pg_advisory_xact_lock(?1)", params![WRITE_LOCK]);
                if let Err(error) = locked {
                    let _ = pg.batch("ROLLBACK");
                    return Err(error);
                }
            }
        }
        Ok(Tx {
            db: self.db(),
            open: true,
        })
    }
}

impl Conn {
    /// Begins a transaction that only reads: it sees one state of the
    /// database throughout, and holds no writer off.
    pub fn read(&mut self) -> Result<Tx<'_>> {
        match self {
            Conn::Sqlite(conn) => conn.execute_batch("BEGIN")?,
            Conn::Pg(pg) => pg
                .get_mut()
                .batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(Tx {
            db: self.db(),
            open: true,
        })
    }
}

/// A transaction: rolled back unless committed.
pub struct Tx<'a> {
    db: Db<'a>,
    open: bool,
}

impl Tx<'_> {
    /// Makes what the transaction did last.
    pub fn commit(mut self) -> Result<()> {
        // A COMMIT that fails (a full disk) leaves the transaction to be
        // rolled back when this is dropped.
        self.db.batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl Sql for Tx<'_> {
    fn db(&self) -> Db<'_> {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.db.batch("ROLLBACK");
        }
    }
}

/// Turns a statement written for SQLite into PostgreSQL's: `?N`
/// parameters become `$N` (outside quoted text), `rowid` becomes the
/// column `seq` that stands for it, `INSERT OR IGNORE` becomes `ON
/// CONFLICT DO NOTHING`, and an `INDEXED BY` hint is dropped.
pub fn dialect(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word == "rowid" {
            out.push_str("seq");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    while let Some(c) = chars.next() {
        if quoted {
            out.push(c);
            quoted = c != '\'';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        match c {
            '\'' => {
                quoted = true;
                out.push(c);
            }
            '?' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            _ => out.push(c),
        }
    }
    flush(&mut word, &mut out);
    let mut out = drop_hint(&out);
    if let Some(rest) = out.trim_start().strip_prefix("INSERT OR IGNORE INTO") {
        out = format!("INSERT INTO{rest} ON CONFLICT DO NOTHING");
    }
    out
}

/// `sql` without an `INDEXED BY name` hint.
fn drop_hint(sql: &str) -> String {
    let Some(at) = sql.find(" INDEXED BY ") else {
        return sql.to_owned();
    };
    let rest = &sql[at + " INDEXED BY ".len()..];
    let name_ends = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    format!("{}{}", &sql[..at], &rest[name_ends..])
}

/// Turns "no row" into `None`, as rusqlite's `optional` does.
pub trait Optional<T> {
    /// `Ok(None)` for [`Error::NoRow`].
    fn optional(self) -> Result<Option<T>>;
}

impl<T> Optional<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRow) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_rewritten_for_postgresql() {
        assert_eq!(
            dialect("SELECT a FROM t WHERE b = ?1 AND c = ?12 ORDER BY x, rowid"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 ORDER BY x, seq"
        );
        assert_eq!(
            dialect("SELECT 'a?1 rowid' || ?2, growid FROM t"),
            "SELECT 'a?1 rowid' || $2, growid FROM t"
        );
        assert_eq!(
            dialect("INSERT OR IGNORE INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            dialect("SELECT a FROM submission INDEXED BY submission_published\n WHERE b"),
            "SELECT a FROM submission\n WHERE b"
        );
        assert_eq!(
            dialect("SELECT 'it''s' FROM t WHERE a = ?1"),
            "SELECT 'it''s' FROM t WHERE a = $1"
        );
    }

    #[test]
    fn values_read_back_as_asked() {
        assert_eq!(bool::from_value(Value::Int(1)), Some(true));
        assert_eq!(Option::<i64>::from_value(Value::Null), Some(None));
        assert_eq!(i64::from_value(Value::Text("1".into())), None);
        assert_eq!(u32::from_value(Value::Int(-1)), None);
        assert_eq!(String::from_value(Value::Blob(vec![0xff])), None);
    }
}
