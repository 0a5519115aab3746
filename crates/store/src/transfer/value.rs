//! One stored value as the copy moves it: read from either backend, bound into either, and
//! encoded canonically for the content hash.

use super::schema::ColumnKind;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    /// Reads column `index` of `row` as a value of `kind`.
    pub fn read(row: &AnyRow, index: usize, kind: ColumnKind) -> Result<Value, sqlx::Error> {
        let value = match kind {
            ColumnKind::Integer => row.try_get::<Option<i64>, _>(index)?.map(Value::Integer),
            ColumnKind::Real => row.try_get::<Option<f64>, _>(index)?.map(Value::Real),
            ColumnKind::Text => row.try_get::<Option<String>, _>(index)?.map(Value::Text),
            ColumnKind::Blob => row.try_get::<Option<Vec<u8>>, _>(index)?.map(Value::Blob),
        };
        Ok(value.unwrap_or(Value::Null))
    }

    /// Binds the value as the next parameter. A NULL is bound with the column's type, because
    /// PostgreSQL rejects a NULL typed as a number for a text column.
    pub fn bind<'q>(
        &self,
        query: Query<'q, Any, AnyArguments>,
        kind: ColumnKind,
    ) -> Query<'q, Any, AnyArguments> {
        match (self, kind) {
            (Value::Null, ColumnKind::Integer) => query.bind(None::<i64>),
            (Value::Null, ColumnKind::Real) => query.bind(None::<f64>),
            (Value::Null, ColumnKind::Text) => query.bind(None::<String>),
            (Value::Null, ColumnKind::Blob) => query.bind(None::<Vec<u8>>),
            (Value::Integer(value), _) => query.bind(*value),
            (Value::Real(value), _) => query.bind(*value),
            (Value::Text(value), _) => query.bind(value.clone()),
            (Value::Blob(value), _) => query.bind(value.clone()),
        }
    }

    /// Appends the canonical encoding: a tag byte, then the value in big-endian, with text and
    /// bytes preceded by their length so that no two different rows encode alike.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.push(0),
            Value::Integer(value) => {
                out.push(1);
                out.extend_from_slice(&value.to_be_bytes());
            }
            Value::Real(value) => {
                out.push(2);
                out.extend_from_slice(&value.to_bits().to_be_bytes());
            }
            Value::Text(value) => {
                out.push(3);
                encode_bytes(value.as_bytes(), out);
            }
            Value::Blob(value) => {
                out.push(4);
                encode_bytes(value, out);
            }
        }
    }

    /// Bytes of text and blobs, to size a batch by memory as well as by rows.
    pub fn payload_len(&self) -> usize {
        match self {
            Value::Text(value) => value.len(),
            Value::Blob(value) => value.len(),
            _ => 8,
        }
    }
}

pub(crate) fn encode_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(values: &[Value]) -> Vec<u8> {
        let mut out = Vec::new();
        for value in values {
            value.encode(&mut out);
        }
        out
    }

    #[test]
    fn encoding_separates_types() {
        assert_ne!(
            encoded(&[Value::Integer(1)]),
            encoded(&[Value::Text("1".into())])
        );
        assert_ne!(
            encoded(&[Value::Text("ab".into())]),
            encoded(&[Value::Blob(b"ab".to_vec())])
        );
        assert_ne!(encoded(&[Value::Null]), encoded(&[Value::Integer(0)]));
        assert_ne!(
            encoded(&[Value::Null]),
            encoded(&[Value::Text(String::new())])
        );
    }

    #[test]
    fn encoding_separates_column_boundaries() {
        assert_ne!(
            encoded(&[Value::Text("ab".into()), Value::Text("c".into())]),
            encoded(&[Value::Text("a".into()), Value::Text("bc".into())])
        );
    }

    #[test]
    fn encoding_is_fixed() {
        assert_eq!(
            encoded(&[Value::Integer(258), Value::Text("Đ".into())]),
            [
                1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0xC4, 0x90
            ]
        );
    }
}
