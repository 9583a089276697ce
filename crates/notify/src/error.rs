//! What can go wrong while building a notification or checking a webhook signature.

/// Why a notification could not be built, or a webhook request is not to be trusted. The
/// `Display` text is meant for a delivery log or a test receiver's answer.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// lettre refused the message (a missing or malformed address, say).
    #[error("the email could not be built: {0}")]
    Email(#[from] lettre::error::Error),
    /// A link that goes into a mail header is not an absolute http(s) URL of printable ASCII.
    #[error("the {what} link is not an absolute http(s) URL: `{url}`")]
    BadLink {
        /// Which link: `unsubscribe` or `manage`.
        what: &'static str,
        /// The link as given.
        url: String,
    },
    /// The text is not a webhook signing secret (`whsec_` and base64 of 24 to 64 bytes).
    #[error("not a webhook secret: {0}")]
    BadSecret(&'static str),
    /// A webhook header is missing or cannot be read.
    #[error("the {0} header is missing or malformed")]
    BadHeader(&'static str),
    /// The webhook's timestamp is further in the past than the tolerance: perhaps a replay.
    #[error("the webhook timestamp is too old")]
    TimestampTooOld,
    /// The webhook's timestamp is further in the future than the tolerance.
    #[error("the webhook timestamp is in the future")]
    TimestampInFuture,
    /// None of the webhook's signatures is the one this secret makes for this body.
    #[error("no webhook signature matches")]
    SignatureMismatch,
}
