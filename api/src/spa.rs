//! The web app's files, embedded in the binary (read from `web/dist` at run time in debug
//! builds). Hashed files under `assets/` are cached for a year; `index.html` answers every other
//! path that is not a file, so `/status/acme` opens the SPA. Files are precompressed at build
//! time (`.br`, `.gz`) and the best one the browser accepts is sent.

use crate::error::ApiError;
use crate::negotiate;
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use std::borrow::Cow;
use std::sync::Arc;

/// One file of the web app.
pub struct Asset {
    pub bytes: Cow<'static, [u8]>,
    /// A strong validator: the hash of the file's bytes.
    pub etag: String,
}

/// Where the web app's files come from.
pub trait AssetSource: Send + Sync {
    /// The file at `path` (relative, no leading slash), if any.
    fn get(&self, path: &str) -> Option<Asset>;
}

#[derive(rust_embed::RustEmbed)]
#[folder = "../web/dist/"]
#[allow_missing = true]
struct Dist;

struct Embedded;

impl AssetSource for Embedded {
    fn get(&self, path: &str) -> Option<Asset> {
        Dist::get(path).map(|file| Asset {
            etag: format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16])),
            bytes: file.data,
        })
    }
}

/// The files built into this binary.
pub fn embedded() -> Arc<dyn AssetSource> {
    Arc::new(Embedded)
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The fallback service: a file of the web app, or `index.html`.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::NotFound("No such page.".into()));
    }
    let path = req.path().trim_start_matches('/');
    let assets = state.assets.as_ref();
    if !path.is_empty() && path != "index.html" {
        if let Some(response) = file_response(&req, assets, path) {
            return Ok(response);
        }
        if path.starts_with("assets/") {
            return Err(ApiError::NotFound(format!("No file at /{path}.")));
        }
    }
    // An org's custom domain serves its status page, never the dashboard.
    if crate::public::custom_domain::on_custom_domain(&req) {
        return Err(ApiError::NotFound(
            "This address serves a status page only.".into(),
        ));
    }
    Ok(file_response(&req, assets, "index.html").unwrap_or_else(not_built))
}

fn file_response(req: &HttpRequest, assets: &dyn AssetSource, path: &str) -> Option<HttpResponse> {
    let (asset, encoding) = best_encoding(req, assets, path)?;
    let mime = content_type(path);
    let cache = if path.starts_with("assets/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let known = negotiate::if_none_match(req, &[&asset.etag]);
    let mut response = if known {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, mime))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, asset.etag.clone()))
        .insert_header((header::VARY, "Accept-Encoding"));
    if let Some(encoding) = encoding {
        response.insert_header((header::CONTENT_ENCODING, encoding));
    }
    if known {
        return Some(response.finish());
    }
    Some(response.body(asset.bytes))
}

/// The file's media type; text is UTF-8.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The precompressed variant the client accepts (brotli, then gzip), else the file itself.
fn best_encoding(
    req: &HttpRequest,
    assets: &dyn AssetSource,
    path: &str,
) -> Option<(Asset, Option<&'static str>)> {
    for (coding, suffix) in [("br", "br"), ("gzip", "gz")] {
        if negotiate::accepts(req, coding)
            && let Some(asset) = assets.get(&format!("{path}.{suffix}"))
        {
            return Some((asset, Some(coding)));
        }
    }
    assets.get(path).map(|asset| (asset, None))
}

fn not_built() -> HttpResponse {
    HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ))
        .insert_header((header::CACHE_CONTROL, REVALIDATE))
        .body(
            "<!doctype html><title>Upstate</title><h1>The web app is not built</h1>\
             <p>This server was built without the web app. Run <code>just build</code> \
             (or <code>just run</code>) to build it; the API answers under <code>/api</code>.</p>",
        )
}
