//! Moving a store to another engine (`xxgk-server db copy`): a township's
//! SQLite file onto a platform's PostgreSQL, or back. Every table is
//! copied whole, with its ids, in one transaction on the target, read
//! from one state of the source; a target that holds anything is refused,
//! and the rows are counted again on both sides afterwards.

use super::db::{params, Sql, Value};
use super::{Conn, Error, Result, Store};

/// The tables, parents before the tables that refer to them, each with
/// the order its rows are copied in (ids kept, and the order of
/// submissions received in the same second).
const TABLES: &[(&str, &str)] = &[
    ("submission", "rowid"),
    ("event", "id"),
    ("staff", "id"),
    ("session", "created_at, token"),
    ("audit", "id"),
    ("setting", "name"),
    ("draft", "code"),
    ("alert", "id"),
    ("site", "code"),
];

/// The identity columns PostgreSQL numbers new rows by, which must go on
/// after the copied ones.
const NUMBERED: &[(&str, &str)] = &[
    ("submission", "seq"),
    ("event", "id"),
    ("staff", "id"),
    ("audit", "id"),
    ("alert", "id"),
];

/// Rows inserted by one statement.
const BATCH: usize = 200;

/// One table's rows, as counted after the copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// The table.
    pub table: &'static str,
    /// Rows in the source, as copied.
    pub source: i64,
    /// Rows in the target.
    pub target: i64,
}

impl Store {
    /// Copies everything in this store into `to`, which must be empty;
    /// text that was not UTF-8 in a SQLite file is copied with its bad
    /// bytes replaced (U+FFFD), as staff are shown it. `progress` is told
    /// of each table as it is done.
    pub fn copy_to(
        &mut self,
        to: &mut Store,
        mut progress: impl FnMut(&str, usize),
    ) -> Result<Vec<Copied>> {
        for (table, _) in TABLES {
            let held: i64 =
                to.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), params![], |r| {
                        r.get(0)
                    })?;
            if held > 0 {
                return Err(Error::Schema(format!(
                    "the target already holds data ({held} rows in {table}): copy into an empty database"
                )));
            }
        }
        let on_postgres = matches!(to.conn, Conn::Pg(_));
        // The rows read, from the one state of the source copied: a
        // receiver writing meanwhile does not make the counts differ.
        let mut read = Vec::new();
        let source = self.conn.read()?;
        let target = to.conn.write()?;
        for (table, order) in TABLES {
            let select = format!("SELECT * FROM {table} ORDER BY {order}");
            let from_columns = source.columns(&select)?;
            let to_columns = target.columns(&format!("SELECT * FROM {table}"))?;
            // PostgreSQL's `seq` stands for SQLite's rowid: not copied, it
            // numbers the rows in the order they come.
            let kept: Vec<usize> = (0..from_columns.len())
                .filter(|&i| to_columns.contains(&from_columns[i]))
                .collect();
            let names: Vec<&str> = kept.iter().map(|&i| from_columns[i].as_str()).collect();
            let rows = source.query_map(&select, params![], |r| {
                kept.iter()
                    .map(|&i| r.get::<Value>(i).map(readable))
                    .collect::<Result<Vec<Value>>>()
            })?;
            for chunk in rows.chunks(BATCH) {
                insert(&target, table, &names, chunk)?;
            }
            progress(table, rows.len());
            read.push((*table, rows.len() as i64));
        }
        if on_postgres {
            for (table, column) in NUMBERED {
                target.query_row(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                             COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
                    ),
                    params![],
                    |_| Ok(()),
                )?;
            }
        }
        target.commit()?;
        drop(source);
        let mut counted = Vec::new();
        for (table, source) in read {
            counted.push(Copied {
                table,
                source,
                target: to.conn.query_row(
                    &format!("SELECT count(*) FROM {table}"),
                    params![],
                    |r| r.get(0),
                )?,
            });
        }
        Ok(counted)
    }
}

/// Text whatever it was stored as: PostgreSQL's text is UTF-8.
fn readable(value: Value) -> Value {
    match value {
        Value::Blob(bytes) => Value::Text(String::from_utf8_lossy(&bytes).into_owned()),
        other => other,
    }
}

fn insert(target: &impl Sql, table: &str, names: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    let width = names.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|row| {
            let marks: Vec<String> = (1..=width)
                .map(|c| format!("?{}", row * width + c))
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES {}",
        names.join(", "),
        tuples.join(", ")
    );
    let args: Vec<&dyn super::db::Arg> = rows
        .iter()
        .flatten()
        .map(|v| v as &dyn super::db::Arg)
        .collect();
    target.execute(&sql, &args)?;
    Ok(())
}
