//! Markdown stored beside its HTML. Every write renders the HTML in its own transaction (see
//! `incidents` and `maintenances`); this module renders what is missing: rows written before the
//! HTML columns existed, or set back to NULL by a migration because the Markdown policy
//! changed. [`crate::db::Db::migrate`] calls it after the migrations, so a server never reads
//! a row without its HTML, and a read never renders.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{incident_updates, incidents, maintenance_updates, maintenances};
use diesel::prelude::*;

/// Rows rendered per round trip.
const BATCH: i64 = 500;

/// Renders, in batches, each row of `$table` whose `$html` is NULL while its `$markdown` is not;
/// answers how many.
macro_rules! render_column {
    ($conn:expr, $table:ident, $markdown:ident, $html:ident) => {{
        let mut rendered = 0;
        loop {
            let batch: Vec<(String, String)> = $table::table
                .filter($table::$html.is_null())
                .filter($table::$markdown.is_not_null())
                .select(($table::id, $table::$markdown.assume_not_null()))
                .limit(BATCH)
                .load($conn)?;
            for (id, markdown) in &batch {
                diesel::update($table::table.find(id))
                    .set($table::$html.eq(upstate_markdown::to_html(markdown)))
                    .execute($conn)?;
            }
            rendered += batch.len();
            if (batch.len() as i64) < BATCH {
                break rendered;
            }
        }
    }};
}

/// Renders every message, description and postmortem whose HTML is missing; answers how many.
pub fn render_missing(conn: &mut DbConnection) -> StoreResult<usize> {
    Ok(
        render_column!(conn, incident_updates, message, message_html)
            + render_column!(conn, incidents, postmortem, postmortem_html)
            + render_column!(conn, maintenances, description, description_html)
            + render_column!(conn, maintenance_updates, message, message_html),
    )
}
