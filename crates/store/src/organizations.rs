//! Organizations: the tenants. Each owns everything else through `org_id`.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreResult};
use crate::schema::organizations;
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{OrgId, Theme};

/// An organization as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    pub slug: String,
    pub accent_color: Option<String>,
    pub logo_url: Option<String>,
    pub support_url: Option<String>,
    pub event_seq: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Minutes before a maintenance window starts that its subscribers are reminded (0: never).
    pub reminder_minutes: i32,
    /// The host name of its own that serves its public page (`status.example.com`), lowercase.
    pub custom_domain: Option<String>,
    /// The page's icon (an http(s) address); Upstate's when `None`.
    pub favicon_url: Option<String>,
    /// The org's own web site, linked from the page's header.
    pub home_url: Option<String>,
    /// A line of plain text at the foot of the page.
    pub footer_text: Option<String>,
    /// The colours the page opens in.
    #[diesel(deserialize_as = DbText<Theme>)]
    pub theme: Theme,
    /// Style rules added to the public pages, checked by `upstate_shared::css`.
    pub custom_css: Option<String>,
    /// The BCP 47 tag of the language its public page speaks when a visitor's browser asks for
    /// none Upstate speaks (`upstate_shared::Locale`).
    pub default_language: String,
    /// Whether every member must have two-factor sign-in on to do anything in the org.
    pub require_two_factor: bool,
}

/// What it takes to create an organization.
#[derive(Debug, Clone)]
pub struct NewOrganization<'a> {
    pub name: &'a str,
    pub slug: &'a str,
}

/// Creates an organization; a taken slug is `StoreError::Conflict`.
pub fn create(conn: &mut DbConnection, new: NewOrganization<'_>) -> StoreResult<Organization> {
    let now = crate::now();
    let row = Organization {
        id: OrgId(crate::new_id()),
        name: new.name.to_owned(),
        slug: new.slug.to_owned(),
        accent_color: None,
        logo_url: None,
        support_url: None,
        event_seq: 0,
        created_at: now,
        updated_at: now,
        reminder_minutes: 60,
        custom_domain: None,
        favicon_url: None,
        home_url: None,
        footer_text: None,
        theme: Theme::Auto,
        custom_css: None,
        default_language: upstate_shared::Locale::En.tag().to_owned(),
        require_two_factor: false,
    };
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&row.id),
            organizations::name.eq(&row.name),
            organizations::slug.eq(&row.slug),
            organizations::event_seq.eq(row.event_seq),
            organizations::created_at.eq(row.created_at),
            organizations::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    announce_addresses_changed(conn)?;
    Ok(row)
}

/// Where an org's public page is found: its slug, and its custom domain if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Address {
    pub slug: String,
    pub id: OrgId,
    pub custom_domain: Option<String>,
}

/// Every org's address: what a replica's directory of status pages is loaded from.
pub fn all_addresses(conn: &mut DbConnection) -> StoreResult<Vec<Address>> {
    Ok(organizations::table
        .select((
            organizations::slug,
            organizations::id,
            organizations::custom_domain,
        ))
        .load(conn)?)
}

/// On PostgreSQL, tells every replica (at commit) that the orgs' addresses (slugs or custom
/// domains) changed.
pub(crate) fn announce_addresses_changed(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_notify($1, '')")
            .bind::<diesel::sql_types::Text, _>(crate::listen::ORGS_CHANNEL)
            .execute(pg)?;
    }
    Ok(())
}

/// The organization with this slug, if any.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<Organization>> {
    Ok(organizations::table
        .filter(organizations::slug.eq(slug))
        .select(Organization::as_select())
        .first(conn)
        .optional()?)
}

/// The organization whose custom domain is `domain` (lowercase, as stored), if any.
pub fn find_by_custom_domain(
    conn: &mut DbConnection,
    domain: &str,
) -> StoreResult<Option<Organization>> {
    Ok(organizations::table
        .filter(organizations::custom_domain.eq(domain))
        .select(Organization::as_select())
        .first(conn)
        .optional()?)
}

/// The organization itself, by id.
pub fn get(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Organization> {
    organizations::table
        .find(org)
        .select(Organization::as_select())
        .first(conn)
        .or_missing(Missing::Organization)
}

/// Removes the organization and, through the foreign keys, everything it owns.
pub fn delete(conn: &mut DbConnection, org: &OrgId) -> StoreResult<()> {
    let removed = diesel::delete(organizations::table.find(org)).execute(conn)?;
    if removed == 0 {
        return Err(crate::StoreError::NotFound(Missing::Organization));
    }
    announce_addresses_changed(conn)
}

/// Changes to an organization; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct OrgChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub accent_color: Option<Option<String>>,
    pub logo_url: Option<Option<String>>,
    pub support_url: Option<Option<String>>,
    pub reminder_minutes: Option<i32>,
    /// A host name, lowercase (checked by `upstate_shared::valid`); `Some(None)` clears it.
    pub custom_domain: Option<Option<String>>,
    /// A language tag (checked by `upstate_shared::valid`).
    pub default_language: Option<String>,
}

#[derive(AsChangeset)]
#[diesel(table_name = organizations)]
struct Changeset {
    name: Option<String>,
    slug: Option<String>,
    accent_color: Option<Option<String>>,
    logo_url: Option<Option<String>>,
    support_url: Option<Option<String>>,
    reminder_minutes: Option<i32>,
    custom_domain: Option<Option<String>>,
    default_language: Option<String>,
    updated_at: NaiveDateTime,
}

/// Applies changes; a slug or custom domain another org has is `StoreError::Conflict`.
pub fn update(
    conn: &mut DbConnection,
    org: &OrgId,
    changes: OrgChanges,
) -> StoreResult<Organization> {
    if changes.slug.is_some() || changes.custom_domain.is_some() {
        announce_addresses_changed(conn)?;
    }
    diesel::update(organizations::table.find(org))
        .set(Changeset {
            name: changes.name,
            slug: changes.slug,
            accent_color: changes.accent_color,
            logo_url: changes.logo_url,
            support_url: changes.support_url,
            reminder_minutes: changes.reminder_minutes,
            custom_domain: changes.custom_domain,
            default_language: changes.default_language,
            updated_at: crate::now(),
        })
        .execute(conn)?;
    get(conn, org)
}

/// Sets whether the org requires two-factor sign-in of its members.
pub fn set_require_two_factor(
    conn: &mut DbConnection,
    org: &OrgId,
    required: bool,
) -> StoreResult<()> {
    diesel::update(organizations::table.find(org))
        .set((
            organizations::require_two_factor.eq(required),
            organizations::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Locks the org's row until the transaction ends, so checks over its members (the last owner)
/// hold against concurrent changes. On SQLite writes are serialized already.
pub fn lock(conn: &mut DbConnection, org: &OrgId) -> StoreResult<()> {
    diesel::update(organizations::table.find(org))
        .set(organizations::event_seq.eq(organizations::event_seq))
        .execute(conn)?;
    Ok(())
}

/// An org's branding as a whole (`PUT /orgs/{org}/branding`): every field is set, `None`
/// clears it.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct BrandingChanges {
    pub accent_color: Option<String>,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub support_url: Option<String>,
    pub home_url: Option<String>,
    pub footer_text: Option<String>,
    #[diesel(serialize_as = DbText<Theme>)]
    pub theme: Theme,
    pub custom_css: Option<String>,
}

/// Replaces the org's branding.
pub fn set_branding(
    conn: &mut DbConnection,
    org: &OrgId,
    branding: BrandingChanges,
) -> StoreResult<Organization> {
    diesel::update(organizations::table.find(org))
        .set((branding, organizations::updated_at.eq(crate::now())))
        .execute(conn)?;
    get(conn, org)
}
