//! `upstate admin`: what an operator does on the server's own accounts when nobody can do it in
//! the dashboard (the only owner is locked out): list the accounts, mint a password-reset link,
//! make someone an owner, end every session of an account. Each works on both engines, on the
//! database the usual settings name, beside a running server.

use super::DatabaseArgs;
use crate::activity::Trail;
use crate::auth::tokens::{RESET_PREFIX, RESET_TTL, hash_token, random_token};
use crate::config::StartError;
use clap::{Args, Subcommand};
use serde_json::json;
use upstate_shared::Role;
use upstate_store::db::Target;
use upstate_store::link_tokens::Purpose;
use upstate_store::{Db, StoreError, audit, link_tokens, memberships, sessions, users};

/// The operator's commands on accounts.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// List the accounts: email, name, when created, and their organizations with roles.
    Users(UsersArgs),
    /// Print a one-time password-reset link for an account (valid for an hour, as the emailed
    /// one is).
    ResetPassword(ResetPasswordArgs),
    /// Make an account an owner of an organization (a member is added when it is not one).
    MakeOwner(MakeOwnerArgs),
    /// End every session of an account: each signed-in browser or app must sign in again.
    RevokeSessions(RevokeSessionsArgs),
    /// Turn off "single sign-on only" for an organization (its provider stays set): its members
    /// sign in with their passwords again, and reset them. The way back in when the provider is
    /// down or misconfigured.
    SsoOff(SsoOffArgs),
}

/// `upstate admin users`'s settings.
#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// Only the members of this organization (its slug).
    #[arg(long)]
    pub org: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate admin reset-password`'s settings.
#[derive(Debug, Clone, Args)]
pub struct ResetPasswordArgs {
    /// The account's email address.
    pub email: String,
    /// The address people reach the server at, as `upstate serve` has it (the link starts with
    /// it). Default: `http://BIND`.
    #[arg(long, env = "UPSTATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The server's bind address, for the default public URL.
    #[arg(long, env = "UPSTATE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate admin make-owner`'s settings.
#[derive(Debug, Clone, Args)]
pub struct MakeOwnerArgs {
    /// The account's email address.
    pub email: String,
    /// The organization (its slug).
    #[arg(long)]
    pub org: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate admin revoke-sessions`'s settings.
#[derive(Debug, Clone, Args)]
pub struct RevokeSessionsArgs {
    /// The account's email address.
    pub email: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// `upstate admin sso-off`'s settings.
#[derive(Debug, Clone, Args)]
pub struct SsoOffArgs {
    /// The organization (its slug).
    #[arg(long)]
    pub org: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Runs one admin command.
pub fn run(command: AdminCommand) -> Result<(), StartError> {
    match command {
        AdminCommand::Users(args) => list_users(args),
        AdminCommand::ResetPassword(args) => reset_password(args),
        AdminCommand::MakeOwner(args) => make_owner(args),
        AdminCommand::RevokeSessions(args) => revoke_sessions(args),
        AdminCommand::SsoOff(args) => sso_off(args),
    }
}

/// How the audit log names what the command line did.
const VIA: &str = "upstate admin";

/// The database the settings name, up to date; an SQLite file that does not exist is refused
/// rather than created empty.
fn open(database: &DatabaseArgs) -> Result<Db, StartError> {
    let url = database.url();
    if let Target::Sqlite(path) = Target::parse(&url)?
        && !path.is_file()
    {
        return Err(StartError(format!(
            "there is no database at {}; give --database-url or --data-dir as the server has them",
            path.display()
        )));
    }
    database.open()
}

fn no_account(email: &str) -> StartError {
    StartError(format!("no account has the email address {email}"))
}

fn find_user(
    conn: &mut upstate_store::DbConnection,
    email: &str,
) -> Result<users::User, StoreError> {
    users::find_by_email(conn, email.trim())?
        .ok_or(StoreError::NotFound(upstate_store::Missing::User))
}

fn list_users(args: UsersArgs) -> Result<(), StartError> {
    let db = open(&args.database)?;
    let slug = args.org.clone();
    let rows = db.read(move |conn| {
        let people = match &slug {
            Some(slug) => {
                let org = upstate_store::organizations::find_by_slug(conn, slug)?
                    .ok_or(StoreError::NotFound(upstate_store::Missing::Organization))?;
                memberships::members(conn, &org.id)?
                    .into_iter()
                    .map(|(_, user)| user)
                    .collect()
            }
            None => users::all(conn)?,
        };
        people
            .into_iter()
            .map(|user| {
                let orgs = memberships::orgs_of_user(conn, &user.id)?
                    .into_iter()
                    .map(|(org, role)| format!("{} ({})", org.slug, role.as_str()))
                    .collect::<Vec<_>>();
                Ok((user, orgs))
            })
            .collect::<Result<Vec<_>, StoreError>>()
    });
    let rows = match (rows, &args.org) {
        (Err(StoreError::NotFound(_)), Some(slug)) => {
            return Err(StartError(format!("no organization has the slug `{slug}`")));
        }
        (rows, _) => rows?,
    };
    let mut table = vec![[
        "EMAIL".to_owned(),
        "NAME".to_owned(),
        "CREATED".to_owned(),
        "ORGANIZATIONS".to_owned(),
    ]];
    for (user, orgs) in &rows {
        table.push([
            user.email.clone(),
            user.name.clone(),
            user.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            if orgs.is_empty() {
                "-".to_owned()
            } else {
                orgs.join(", ")
            },
        ]);
    }
    let widths: Vec<usize> = (0..3)
        .map(|column| {
            table
                .iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        println!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
    }
    match &args.org {
        Some(slug) => println!("{} members of {slug}", rows.len()),
        None => println!("{} accounts", rows.len()),
    }
    Ok(())
}

fn reset_password(args: ResetPasswordArgs) -> Result<(), StartError> {
    let public_url = args
        .public_url
        .unwrap_or_else(|| format!("http://{}", args.bind))
        .trim_end_matches('/')
        .to_owned();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        return Err(StartError(format!(
            "UPSTATE_PUBLIC_URL must start with http:// or https://, not `{public_url}`"
        )));
    }
    let db = open(&args.database)?;
    let token = random_token(RESET_PREFIX);
    let hash = hash_token(&token);
    let email = args.email.clone();
    let user = db
        .write(move |conn| {
            let user = find_user(conn, &email)?;
            link_tokens::create(
                conn,
                &user.id,
                Purpose::PasswordReset,
                &hash,
                upstate_store::now() + RESET_TTL,
            )?;
            Trail::new(audit::Actor::System, None).record(
                conn,
                None,
                "auth.password_reset_link",
                "user",
                Some(user.id.as_str()),
                json!({ "via": VIA }),
            )?;
            Ok(user)
        })
        .map_err(|err| match err {
            StoreError::NotFound(_) => no_account(&args.email),
            other => other.into(),
        })?;
    println!(
        "A password-reset link for {} (it works once, within {} minutes; the new password ends \
         every session of the account):",
        user.email,
        RESET_TTL.num_minutes()
    );
    // The token rides in the fragment, as in the emailed link: it reaches no server's log.
    println!("{public_url}/reset-password#{token}");
    Ok(())
}

fn make_owner(args: MakeOwnerArgs) -> Result<(), StartError> {
    let db = open(&args.database)?;
    let email = args.email.clone();
    let slug = args.org.clone();
    let (user, before) = db
        .write(move |conn| {
            let user = find_user(conn, &email)?;
            let org = upstate_store::organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(upstate_store::Missing::Organization))?;
            upstate_store::organizations::lock(conn, &org.id)?;
            let before = memberships::role_of(conn, &org.id, &user.id)?;
            let trail = Trail::new(audit::Actor::System, None);
            match before {
                Some(Role::Owner) => {}
                Some(from) => {
                    memberships::set_role(conn, &org.id, &user.id, Role::Owner)?;
                    trail.record(
                        conn,
                        Some(&org.id),
                        "member.role_changed",
                        "user",
                        Some(user.id.as_str()),
                        json!({ "from": from, "to": Role::Owner, "via": VIA }),
                    )?;
                }
                None => {
                    memberships::add(conn, &org.id, &user.id, Role::Owner)?;
                    trail.record(
                        conn,
                        Some(&org.id),
                        "member.added",
                        "user",
                        Some(user.id.as_str()),
                        json!({ "role": Role::Owner, "via": VIA }),
                    )?;
                }
            }
            Ok((user, before))
        })
        .map_err(|err| match err {
            StoreError::NotFound(upstate_store::Missing::User) => no_account(&args.email),
            StoreError::NotFound(upstate_store::Missing::Organization) => {
                StartError(format!("no organization has the slug `{}`", args.org))
            }
            other => other.into(),
        })?;
    match before {
        Some(Role::Owner) => println!("{} is already an owner of {}", user.email, args.org),
        Some(from) => println!(
            "{} is now an owner of {} (was {}); the change is in its audit log",
            user.email,
            args.org,
            from.as_str()
        ),
        None => println!(
            "{} is now an owner of {} (added as a member); the change is in its audit log",
            user.email, args.org
        ),
    }
    Ok(())
}

fn revoke_sessions(args: RevokeSessionsArgs) -> Result<(), StartError> {
    let db = open(&args.database)?;
    let email = args.email.clone();
    let (user, revoked) = db
        .write(move |conn| {
            let user = find_user(conn, &email)?;
            let revoked = sessions::revoke_all_of_user(conn, &user.id)?;
            Trail::new(audit::Actor::System, None).record(
                conn,
                None,
                "auth.sessions_revoked",
                "user",
                Some(user.id.as_str()),
                json!({ "via": VIA, "refresh_tokens": revoked }),
            )?;
            Ok((user, revoked))
        })
        .map_err(|err| match err {
            StoreError::NotFound(_) => no_account(&args.email),
            other => other.into(),
        })?;
    println!(
        "revoked every session of {} ({revoked} refresh tokens): each browser or app signed in \
         as them must sign in again. Their access tokens are refused from their next request \
         on (and expire within {} minutes anyway); API keys are not sessions and keep working.",
        user.email,
        crate::auth::tokens::ACCESS_TTL.num_minutes()
    );
    Ok(())
}

fn sso_off(args: SsoOffArgs) -> Result<(), StartError> {
    let db = open(&args.database)?;
    let slug = args.org.clone();
    let was_on = db
        .write(move |conn| {
            let org = upstate_store::organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(upstate_store::Missing::Organization))?;
            let was_on = upstate_store::sso::set_sso_only(conn, &org.id, false)?;
            if was_on {
                Trail::new(audit::Actor::System, None).record(
                    conn,
                    Some(&org.id),
                    "sso.updated",
                    "org",
                    Some(org.id.as_str()),
                    json!({ "sso_only": false, "via": VIA }),
                )?;
            }
            Ok(was_on)
        })
        .map_err(|err| match err {
            StoreError::NotFound(_) => {
                StartError(format!("no organization has the slug {}", args.org))
            }
            other => other.into(),
        })?;
    if was_on {
        println!(
            "{} no longer requires single sign-on: its members sign in with their passwords \
             again (an owner without one uses `upstate admin reset-password`). Its provider is \
             still set; an owner turns \"SSO only\" on again in Security.",
            args.org
        );
    } else {
        println!(
            "{} did not require single sign-on: nothing changed.",
            args.org
        );
    }
    Ok(())
}
