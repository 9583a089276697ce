//! What the store's test files share: one test per engine, and an org and a person to act on.

use upstate_shared::{OrgId, UserId};
use upstate_store::{DbConnection, organizations as orgs, users as people};

/// Declares each listed test once per engine: `sqlite::name` and `postgres::name`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(upstate_store::Engine::Sqlite) })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name(upstate_store::Engine::Postgres) })*
        }
    };
}
pub(crate) use on_both_engines;

/// A new org named Acme at `slug`.
pub fn org(conn: &mut DbConnection, slug: &str) -> OrgId {
    orgs::create(conn, orgs::NewOrganization { name: "Acme", slug })
        .unwrap()
        .id
}

/// A new person with `email`.
pub fn person(conn: &mut DbConnection, email: &str) -> UserId {
    people::create(
        conn,
        people::NewUser {
            email,
            name: "Ada",
            password_hash: "$argon2id$test",
        },
    )
    .unwrap()
    .id
}
