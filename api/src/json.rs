//! `Json<T>`: the request body extractor of the API. Malformed JSON is a 400; JSON that does
//! not fit the expected shape (a missing field, an unknown status) is a 422 whose `fields` name
//! the path of the problem (`affected[1].status`); a body over the limit is a 413.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use std::ops::Deref;
use upstate_shared::FieldErrors;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Parses a body into `T`, naming the path of the first problem. Every body of the API is a JSON
/// object: serde would otherwise also fill a struct from an array of its fields in order
/// (`["Renamed"]` renaming a service), which no client means to send.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if first.is_some_and(|byte| *byte != b'{') {
        if let Err(err) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return Err(ApiError::BadRequest(format!(
                "The body is not valid JSON: {err}"
            )));
        }
        let mut fields = FieldErrors::new();
        fields.insert("body".to_owned(), vec!["must be a JSON object".to_owned()]);
        return Err(ApiError::Validation {
            message: "Some fields are not valid.".into(),
            fields,
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_data() {
            let field = if path == "." { "body".to_owned() } else { path };
            let problem = inner.to_string();
            let problem = problem
                .split(" at line ")
                .next()
                .unwrap_or(&problem)
                .to_owned();
            let mut fields = FieldErrors::new();
            fields.insert(field, vec![problem]);
            ApiError::Validation {
                message: "Some fields are not valid.".into(),
                fields,
            }
        } else {
            ApiError::BadRequest(format!("The body is not valid JSON: {inner}"))
        }
    })
}

/// Whether the request's `Content-Type`, parsed as a media type, is `application/json` or
/// `application/*+json` (any case, any parameters). A header that merely contains "json"
/// somewhere (`text/plain; x=+json`, `application/jsonp`) is not JSON.
pub fn is_json(req: &HttpRequest) -> bool {
    use actix_web::HttpMessage;
    match req.mime_type() {
        Ok(Some(mime)) => {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
        }
        _ => false,
    }
}

/// The whole body of a request that may be larger than [`BODY_LIMIT`] (an upload), up to
/// `limit` bytes: over it, a 413.
pub async fn read_up_to(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|err| ApiError::BadRequest(format!("The body could not be read: {err}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = is_json(req);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::BadRequest(
                    "The body must be JSON (Content-Type: application/json).".into(),
                ));
            }
            let bytes = body.await.map_err(|err| {
                if err.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::PayloadTooLarge { limit: BODY_LIMIT }
                } else {
                    ApiError::BadRequest(format!("The body could not be read: {err}"))
                }
            })?;
            parse(&bytes).map(Json)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upstate_shared::dto::CreateIncidentRequest;

    #[test]
    fn a_body_is_an_object_not_an_array_of_fields() {
        let err =
            parse::<upstate_shared::dto::UpdateServiceRequest>(br#" ["Renamed"]"#).unwrap_err();
        match err {
            ApiError::Validation { fields, .. } => {
                assert_eq!(fields["body"], ["must be a JSON object"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        assert!(matches!(
            parse::<upstate_shared::dto::UpdateServiceRequest>(b"[1, "),
            Err(ApiError::BadRequest(_))
        ));
        assert!(
            parse::<upstate_shared::dto::UpdateServiceRequest>(br#"{"name": "Renamed"}"#).is_ok()
        );
    }

    #[test]
    fn shape_problems_name_their_path() {
        let err = parse::<CreateIncidentRequest>(
            br#"{"title": "Down", "status": "investigating", "impact": "major", "message": "x",
                 "affected": [{"service_id": "s1", "status": "down"}]}"#,
        )
        .unwrap_err();
        match err {
            ApiError::Validation { fields, .. } => {
                let problem = &fields["affected[0].status"][0];
                assert!(problem.starts_with("unknown variant `down`"), "{problem}");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        let missing = parse::<CreateIncidentRequest>(br#"{"title": "Down"}"#).unwrap_err();
        assert!(matches!(missing, ApiError::Validation { .. }));
        let broken = parse::<CreateIncidentRequest>(br#"{"title": "#).unwrap_err();
        assert!(matches!(broken, ApiError::BadRequest(_)));
    }

    #[test]
    fn content_type_is_read_as_a_media_type() {
        let with = |value: &str| {
            is_json(
                &actix_web::test::TestRequest::default()
                    .insert_header(("Content-Type", value))
                    .to_http_request(),
            )
        };
        for json in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
            "application/vnd.upstate.v1+json; charset=UTF-8",
        ] {
            assert!(with(json), "{json} is JSON");
        }
        for not_json in [
            "text/plain; note=+json",
            "application/jsonp",
            "application/json-seq",
            "text/html+json",
            "multipart/form-data; boundary=x+json",
            "json",
            "",
        ] {
            assert!(!with(not_json), "{not_json} is not JSON");
        }
        assert!(!is_json(
            &actix_web::test::TestRequest::default().to_http_request()
        ));
    }
}
