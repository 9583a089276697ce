//! Which status pages exist: every org's slug, in memory. A public request for a slug that is
//! not a valid slug, or names no org, is answered 404 here, without a database read and
//! without leaving anything behind (no cache entry, no lock): random slugs cost what a 404
//! costs, and memory holds one entry per org, never one per slug asked for (docs/security.md).
//!
//! Kept current by the writes that create, rename or delete an org (on this replica at once;
//! on PostgreSQL the other replicas reload on the `upstate_orgs` announcement, and whenever
//! their listener reconnects). Until it is loaded it is not trusted with a "no": an unknown
//! slug is then looked up in the database. Once loaded it keeps answering when the database
//! is down.
//!
//! It also holds the orgs' custom domains (host name → slug), read by the middleware of
//! `crate::public::custom_domain` on every request, so a request to a host that is nobody's
//! custom domain costs one hash lookup and no database read. The same writes and reloads keep
//! it current.
//!
//! And the rule of every private page (`crate::public::access`), by org: a public page has
//! none, so the gate in front of every public answer costs one hash lookup for it.

use crate::public::access::Rule;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use upstate_shared::OrgId;
use upstate_shared::input::Slug;
use upstate_store::organizations::Address;

/// What the directory knows of a slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    /// This org has the slug.
    Exists(OrgId),
    /// No org has it (or it is not a slug at all).
    Missing,
    /// The directory is not in sync: ask the database.
    Unsure,
}

/// What the directory knows of a host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Domain {
    /// It is the custom domain of the org with this slug.
    Of(String),
    /// It is no org's custom domain.
    Nobodys,
    /// The directory is not in sync: ask the database.
    Unsure,
}

#[derive(Default)]
pub struct Directory {
    slugs: RwLock<HashMap<String, OrgId>>,
    /// Custom domain (lowercase) → the slug of the org whose page it serves.
    domains: RwLock<HashMap<String, String>>,
    /// The rule of each private page.
    rules: RwLock<HashMap<OrgId, Arc<Rule>>>,
    complete: AtomicBool,
}

impl Directory {
    /// What is known of `slug`.
    pub fn lookup(&self, slug: &str) -> Known {
        let slugs = self.slugs.read().unwrap_or_else(|e| e.into_inner());
        match slugs.get(slug) {
            Some(org) => Known::Exists(org.clone()),
            None => self.unknown(slug),
        }
    }

    /// 404 for a slug no org has, known from memory, before any cache or database work.
    pub fn listed(&self, slug: &str) -> Result<(), crate::error::ApiError> {
        if self.is_missing(slug) {
            Err(upstate_store::StoreError::NotFound(upstate_store::Missing::StatusPage).into())
        } else {
            Ok(())
        }
    }

    /// Whether no org has `slug`, for sure: the check of the hot read path, which allocates
    /// nothing for a slug that exists (only slugs that parsed are ever held).
    pub fn is_missing(&self, slug: &str) -> bool {
        let slugs = self.slugs.read().unwrap_or_else(|e| e.into_inner());
        !slugs.contains_key(slug) && self.unknown(slug) == Known::Missing
    }

    /// What is known of a slug the directory does not hold.
    fn unknown(&self, slug: &str) -> Known {
        if Slug::parse(slug).is_err() || self.complete.load(Ordering::Acquire) {
            Known::Missing
        } else {
            Known::Unsure
        }
    }

    /// What is known of `host` (lowercase, without port).
    pub fn domain(&self, host: &str) -> Domain {
        let domains = self.domains.read().unwrap_or_else(|e| e.into_inner());
        match domains.get(host) {
            Some(slug) => Domain::Of(slug.clone()),
            None if self.complete.load(Ordering::Acquire) => Domain::Nobodys,
            None => Domain::Unsure,
        }
    }

    /// Replaces what is known with every org's address, read from the database.
    pub fn load(&self, all: impl IntoIterator<Item = Address>) {
        let mut slugs = HashMap::new();
        let mut domains = HashMap::new();
        for Address {
            slug,
            id,
            custom_domain,
        } in all
        {
            if let Some(domain) = custom_domain {
                domains.insert(domain, slug.clone());
            }
            slugs.insert(slug, id);
        }
        *self.slugs.write().unwrap_or_else(|e| e.into_inner()) = slugs;
        *self.domains.write().unwrap_or_else(|e| e.into_inner()) = domains;
        self.complete.store(true, Ordering::Release);
    }

    /// The rule of the org's page; `None` for a public page.
    pub fn rule(&self, org: &OrgId) -> Option<Arc<Rule>> {
        let rules = self.rules.read().unwrap_or_else(|e| e.into_inner());
        rules.get(org).cloned()
    }

    /// Replaces the rules with those of every private page, read from the database.
    pub fn load_rules(
        &self,
        all: impl IntoIterator<Item = upstate_store::page_access::PageAccess>,
    ) {
        let rules = all
            .into_iter()
            .filter_map(|row| Rule::of(&row).map(|rule| (row.org_id, Arc::new(rule))))
            .collect();
        *self.rules.write().unwrap_or_else(|e| e.into_inner()) = rules;
    }

    /// The org's page now has this rule (`None`: public again), seen at once.
    pub fn set_rule(&self, org: &OrgId, rule: Option<Rule>) {
        let mut rules = self.rules.write().unwrap_or_else(|e| e.into_inner());
        match rule {
            Some(rule) => rules.insert(org.clone(), Arc::new(rule)),
            None => rules.remove(org),
        };
    }

    /// An org now has `slug` and `custom_domain` (created, renamed, or its domain set).
    pub fn insert(&self, slug: &str, org: OrgId, custom_domain: Option<&str>) {
        let mut slugs = self.slugs.write().unwrap_or_else(|e| e.into_inner());
        slugs.insert(slug.to_owned(), org);
        if let Some(domain) = custom_domain {
            let mut domains = self.domains.write().unwrap_or_else(|e| e.into_inner());
            domains.insert(domain.to_owned(), slug.to_owned());
        }
    }

    /// No org has `slug` and `custom_domain` any more (deleted, renamed away, domain cleared).
    pub fn remove(&self, slug: &str, custom_domain: Option<&str>) {
        let mut slugs = self.slugs.write().unwrap_or_else(|e| e.into_inner());
        slugs.remove(slug);
        if let Some(domain) = custom_domain {
            let mut domains = self.domains.write().unwrap_or_else(|e| e.into_inner());
            domains.remove(domain);
        }
    }

    /// How many slugs are held.
    pub fn len(&self) -> usize {
        self.slugs.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(slug: &str, id: &str, custom_domain: Option<&str>) -> Address {
        Address {
            slug: slug.into(),
            id: OrgId(id.into()),
            custom_domain: custom_domain.map(str::to_owned),
        }
    }

    #[test]
    fn a_loaded_directory_answers_yes_and_no_and_holds_nothing_for_a_no() {
        let directory = Directory::default();
        assert_eq!(directory.lookup("acme"), Known::Unsure, "not loaded yet");
        directory.load([address("acme", "o1", None)]);
        assert_eq!(directory.lookup("acme"), Known::Exists(OrgId("o1".into())));
        for n in 0..1000 {
            assert_eq!(directory.lookup(&format!("nobody-{n}")), Known::Missing);
        }
        assert_eq!(directory.len(), 1, "nothing kept per unknown slug");
        assert_eq!(directory.lookup("Not A Slug!"), Known::Missing);
        assert!(directory.is_missing("nobody") && !directory.is_missing("acme"));
        assert_eq!(directory.lookup(&"a".repeat(500)), Known::Missing);
    }

    #[test]
    fn creations_renames_and_deletions_are_seen_at_once() {
        let directory = Directory::default();
        directory.load(Vec::new());
        directory.insert("new-org", OrgId("o2".into()), None);
        assert_eq!(
            directory.lookup("new-org"),
            Known::Exists(OrgId("o2".into()))
        );
        directory.remove("new-org", None);
        assert_eq!(directory.lookup("new-org"), Known::Missing);
    }

    #[test]
    fn custom_domains_name_their_org_and_follow_its_changes() {
        let directory = Directory::default();
        assert_eq!(directory.domain("status.acme.test"), Domain::Unsure);
        directory.load([
            address("acme", "o1", Some("status.acme.test")),
            address("globex", "o2", None),
        ]);
        assert_eq!(
            directory.domain("status.acme.test"),
            Domain::Of("acme".into())
        );
        assert_eq!(directory.domain("globex.test"), Domain::Nobodys);
        // A rename moves the domain to the new slug; clearing it forgets it.
        directory.remove("acme", Some("status.acme.test"));
        directory.insert("acme-inc", OrgId("o1".into()), Some("status.acme.test"));
        assert_eq!(
            directory.domain("status.acme.test"),
            Domain::Of("acme-inc".into())
        );
        directory.remove("acme-inc", Some("status.acme.test"));
        directory.insert("acme-inc", OrgId("o1".into()), None);
        assert_eq!(directory.domain("status.acme.test"), Domain::Nobodys);
        assert!(!directory.is_missing("acme-inc"));
    }
}
