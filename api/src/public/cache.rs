//! Answers computed once per change, serialized once (and gzipped once), held in memory with a
//! strong ETag until a write of their org (here or, via NOTIFY, on another replica) invalidates
//! them, or a minute passes (what "upcoming" means moves with the clock). While the database
//! does not answer, an answer older than that is still served, with an `Age` header saying how
//! old it is: for a status page, stale is better than nothing.

use crate::error::ApiError;
use crate::negotiate;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use flate2::Compression;
use flate2::write::GzEncoder;
use prometheus_client::metrics::counter::Counter;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use upstate_shared::OrgId;

/// How long an answer is kept without any change.
const TTL: Duration = Duration::from_secs(60);

/// What a CDN in front may do with public answers.
pub const CACHE_CONTROL: &str = "public, max-age=5, stale-while-revalidate=30";

/// One answer, ready to send.
pub struct Rendered {
    pub org: OrgId,
    /// `application/json`, `text/html; charset=utf-8` for pages, `image/svg+xml` for badges.
    pub content_type: &'static str,
    pub json: Bytes,
    pub gzip: Bytes,
    /// Strong validator of the JSON (the gzip variant's is this with `-gz`).
    pub etag: String,
    /// The header values every answer sends, made once (the hot path allocates nothing).
    etag_header: HeaderValue,
    gzip_etag: String,
    gzip_etag_header: HeaderValue,
    made_at: Instant,
    /// Set when a write made this answer out of date: it is computed again, and kept only to be
    /// served while the database does not answer.
    outdated: AtomicBool,
}

impl Rendered {
    /// Serializes `value` once, gzips it once, and names it by its hash.
    pub fn new(org: OrgId, value: &impl serde::Serialize) -> Result<Rendered, ApiError> {
        let json = serde_json::to_vec(value).map_err(|err| {
            ApiError::Internal(format!("serializing a public answer failed: {err}"))
        })?;
        Rendered::of(org, "application/json", json)
    }

    /// An HTML page, gzipped once and named by its hash.
    pub fn html(org: OrgId, html: String) -> Result<Rendered, ApiError> {
        Rendered::of(org, "text/html; charset=utf-8", html.into_bytes())
    }

    /// An SVG image (a badge), gzipped once and named by its hash.
    pub fn svg(org: OrgId, svg: String) -> Result<Rendered, ApiError> {
        Rendered::of(org, "image/svg+xml", svg.into_bytes())
    }

    /// Any answer of `content_type` (a feed, ...), gzipped once and named by its hash.
    pub fn of(org: OrgId, content_type: &'static str, json: Vec<u8>) -> Result<Rendered, ApiError> {
        let mut encoder =
            GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::default());
        encoder
            .write_all(&json)
            .map_err(|err| ApiError::Internal(format!("gzip failed: {err}")))?;
        let gzip = encoder
            .finish()
            .map_err(|err| ApiError::Internal(format!("gzip failed: {err}")))?;
        let hash = hex::encode(&Sha256::digest(&json)[..16]);
        let etag = format!("\"{hash}\"");
        let gzip_etag = format!("\"{hash}-gz\"");
        let header = |value: &str| {
            HeaderValue::from_str(value)
                .map_err(|err| ApiError::Internal(format!("an ETag header: {err}")))
        };
        Ok(Rendered {
            org,
            content_type,
            json: Bytes::from(json),
            gzip: Bytes::from(gzip),
            etag_header: header(&etag)?,
            gzip_etag_header: header(&gzip_etag)?,
            etag,
            gzip_etag,
            made_at: Instant::now(),
            outdated: AtomicBool::new(false),
        })
    }

    /// Whether this answer may be served as is: nothing changed since, and it is under a minute.
    fn is_fresh(&self) -> bool {
        !self.outdated.load(Ordering::Acquire) && self.made_at.elapsed() < TTL
    }

    /// The answer to `req`: 304 when it names this version, else 200 (gzipped when accepted).
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let known = negotiate::if_none_match(req, &[&self.etag, &self.gzip_etag]);
        let gzip = negotiate::accepts(req, "gzip");
        let mut response = if known {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHE_CONTROL),
            ))
            .insert_header((header::VARY, HeaderValue::from_static("Accept-Encoding")))
            .insert_header((
                header::ETAG,
                if gzip {
                    self.gzip_etag_header.clone()
                } else {
                    self.etag_header.clone()
                },
            ));
        // Only while the database is down is an answer served past its time: say how old it is.
        if !self.is_fresh() {
            let age = self.made_at.elapsed().as_secs();
            response.insert_header((header::AGE, HeaderValue::from(age)));
        }
        if known {
            return response.finish();
        }
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        ));
        if gzip {
            response
                .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .body(self.gzip.clone())
        } else {
            response.body(self.json.clone())
        }
    }
}

/// The cache of public answers, keyed by what the request names (slug and kind).
#[derive(Default)]
pub struct PublicCache {
    entries: RwLock<HashMap<String, Arc<Rendered>>>,
    /// Bumped by every invalidation: an answer computed across one is not kept.
    epoch: AtomicU64,
    filling: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Answers served from the cache, answers asked for that were not there (or out of date),
    /// and answers computed and put there: shown by `crate::metrics`.
    hits: Counter,
    misses: Counter,
    fills: Counter,
}

impl PublicCache {
    /// The hit, miss and fill counters (clones share the counts).
    pub fn counters(&self) -> (Counter, Counter, Counter) {
        (self.hits.clone(), self.misses.clone(), self.fills.clone())
    }

    fn fresh(&self, key: &str) -> Option<Arc<Rendered>> {
        self.kept(key).filter(|entry| entry.is_fresh())
    }

    /// The answer kept for `key`, however old.
    fn kept(&self, key: &str) -> Option<Arc<Rendered>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(key).cloned()
    }

    /// The cached answer for `key`, or the one `compute` makes (one computation at a time per
    /// key, however many requests wait for it); when the database does not answer, the one kept
    /// however old. The turn-taking lock of a key lives only while
    /// requests wait on it: nothing is kept for a key whose computation failed (an unknown
    /// org), and nothing but the answer for one that succeeded.
    pub async fn get_or_compute<F, Fut>(
        &self,
        key: &str,
        compute: F,
    ) -> Result<Arc<Rendered>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Rendered, ApiError>>,
    {
        if let Some(hit) = self.fresh(key) {
            self.hits.inc();
            return Ok(hit);
        }
        self.misses.inc();
        let lock = {
            let mut filling = self.filling.lock().unwrap_or_else(|e| e.into_inner());
            filling.entry(key.to_owned()).or_default().clone()
        };
        let _forget = ForgetWhenLast {
            filling: &self.filling,
            key,
            lock: &lock,
        };
        let _turn = lock.lock().await;
        // Another request computed it meanwhile: that request's fill serves this one too.
        if let Some(hit) = self.fresh(key) {
            return Ok(hit);
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let rendered = match compute().await {
            Ok(rendered) => Arc::new(rendered),
            // The database does not answer: what was last known beats a 503.
            Err(ApiError::Unavailable(cause)) => {
                return self.kept(key).ok_or(ApiError::Unavailable(cause));
            }
            Err(other) => return Err(other),
        };
        // Computed across a write: answer it, but compute it again next time (it is kept only
        // for when the database does not answer).
        // (Checked under the write lock: an invalidation after the check waits for the insert,
        // then marks this answer.)
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            rendered.outdated.store(true, Ordering::Release);
        }
        entries.insert(key.to_owned(), rendered.clone());
        drop(entries);
        self.fills.inc();
        Ok(rendered)
    }

    /// How many keys have a turn-taking lock now (for tests).
    pub fn filling_len(&self) -> usize {
        self.filling.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Marks every answer about `org` out of date (each is computed again on its next request,
    /// and kept until then only for when the database does not answer).
    pub fn invalidate(&self, org: &OrgId) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        for entry in entries.values().filter(|entry| entry.org == *org) {
            entry.outdated.store(true, Ordering::Release);
        }
    }

    /// Forgets every answer about `org`, which is gone: kept, they would only take memory.
    pub fn forget(&self, org: &OrgId) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, entry| entry.org != *org);
    }

    /// Marks every answer out of date (after the listener lost its connection and may have
    /// missed news).
    pub fn clear(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        for entry in entries.values() {
            entry.outdated.store(true, Ordering::Release);
        }
    }
}

/// Removes a key's turn-taking lock when the last request that held or waited for it is done.
struct ForgetWhenLast<'a> {
    filling: &'a Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    key: &'a str,
    lock: &'a Arc<tokio::sync::Mutex<()>>,
}

impl Drop for ForgetWhenLast<'_> {
    fn drop(&mut self) {
        let mut filling = self.filling.lock().unwrap_or_else(|e| e.into_inner());
        // The map's reference and this request's: nobody else waits.
        if Arc::strong_count(self.lock) <= 2 {
            filling.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str) -> Rendered {
        Rendered::new(OrgId("o1".into()), &text).unwrap()
    }

    #[actix_web::test]
    async fn with_the_database_down_an_old_answer_is_served_and_says_its_age() {
        let cache = PublicCache::default();
        let mut old = answer("before the outage");
        old.made_at = Instant::now() - TTL - Duration::from_secs(30);
        cache
            .entries
            .write()
            .unwrap()
            .insert("summary:acme".into(), Arc::new(old));

        let served = cache
            .get_or_compute("summary:acme", || async {
                Err(ApiError::Unavailable("the database does not answer".into()))
            })
            .await
            .unwrap();
        assert_eq!(&served.json[..], br#""before the outage""#);
        let request = actix_web::test::TestRequest::default().to_http_request();
        let response = served.respond(&request);
        assert_eq!(response.status(), 200);
        let age: u64 = response
            .headers()
            .get("age")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(age >= 90, "{age}");

        // Other failures are not covered up, and with nothing kept the outage shows.
        let other = cache
            .get_or_compute("summary:acme", || async {
                Err(ApiError::NotFound("no such page".into()))
            })
            .await;
        assert!(matches!(other, Err(ApiError::NotFound(_))));
        let nothing = cache
            .get_or_compute("summary:beta", || async {
                Err(ApiError::Unavailable("the database does not answer".into()))
            })
            .await;
        assert!(matches!(nothing, Err(ApiError::Unavailable(_))));

        // An answer a write made out of date is also served while the database is away.
        let young = cache
            .get_or_compute("summary:gamma", || async { Ok(answer("before the write")) })
            .await
            .unwrap();
        assert!(young.respond(&request).headers().get("age").is_none());
        cache.invalidate(&OrgId("o1".into()));
        let served = cache
            .get_or_compute("summary:gamma", || async {
                Err(ApiError::Unavailable("the database does not answer".into()))
            })
            .await
            .unwrap();
        assert_eq!(&served.json[..], br#""before the write""#);
        assert!(served.respond(&request).headers().get("age").is_some());

        // Once the database answers, a new answer replaces the old one, with no Age.
        let fresh = cache
            .get_or_compute("summary:acme", || async { Ok(answer("after")) })
            .await
            .unwrap();
        let response = fresh.respond(&request);
        assert!(response.headers().get("age").is_none());
        assert_eq!(&fresh.json[..], br#""after""#);
    }

    #[actix_web::test]
    async fn a_deleted_orgs_answers_are_forgotten_and_others_kept() {
        let cache = PublicCache::default();
        for key in ["summary:acme", "uptime:acme"] {
            cache
                .get_or_compute(key, || async { Ok(answer("acme")) })
                .await
                .unwrap();
        }
        cache
            .get_or_compute("summary:beta", || async {
                Ok(Rendered::new(OrgId("o2".into()), &"beta").unwrap())
            })
            .await
            .unwrap();
        cache.forget(&OrgId("o1".into()));
        let entries = cache.entries.read().unwrap();
        assert_eq!(entries.keys().collect::<Vec<_>>(), ["summary:beta"]);
    }
}
