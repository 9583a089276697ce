//! Enumerations stored as text: the one place where the `shared` enums meet SQL.
//! Row fields keep the enum type and say `#[diesel(deserialize_as = DbText<Role>)]` (reads) or
//! `#[diesel(serialize_as = DbText<Role>)]` (writes); the `CHECK` constraints of the migrations
//! keep the column values within the enum.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use std::fmt::Debug;
use std::str::FromStr;
use upstate_shared::monitor::MonitorState;
use upstate_shared::{
    EventKind, ImpactLevel, IncidentStatus, MaintenanceStatus, PageAccessMode, Role,
    ServiceDisplay, ServiceStatus, Theme,
};

/// An enum value's text for the database.
pub trait AsText {
    fn as_text(&self) -> &'static str;
}

/// A text column holding an enum value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct DbText<T>(pub T);

impl<T, DB> FromSql<Text, DB> for DbText<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        Ok(DbText(text.parse()?))
    }
}

impl<T, DB> ToSql<Text, DB> for DbText<T>
where
    DB: Backend,
    str: ToSql<Text, DB>,
    T: AsText + Debug,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.0.as_text().to_sql(out)
    }
}

macro_rules! stored_as_text {
    ($($ty:ty),* $(,)?) => {$(
        impl AsText for $ty {
            fn as_text(&self) -> &'static str {
                self.as_str()
            }
        }
        impl From<DbText<$ty>> for $ty {
            fn from(value: DbText<$ty>) -> Self {
                value.0
            }
        }
        impl From<$ty> for DbText<$ty> {
            fn from(value: $ty) -> Self {
                DbText(value)
            }
        }
    )*};
}

stored_as_text!(
    ServiceStatus,
    ServiceDisplay,
    IncidentStatus,
    ImpactLevel,
    MaintenanceStatus,
    Role,
    EventKind,
    MonitorState,
    Theme,
    PageAccessMode
);
