//! Security headers on every response: pages, API, assets and errors alike.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Every script and style comes from this server's own files: the templates hold no inline
/// script, event-handler attribute or style attribute, so neither `'unsafe-inline'` nor
/// `'unsafe-eval'` is needed. `data:` images are allowed for the icons that CSS embeds.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One year, as browsers' preload lists expect.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Adds the security headers to a response. `https` tells whether users reach the server over
/// HTTPS, directly or through a proxy that terminates TLS. HSTS is sent only then, because it
/// tells browsers to refuse plain HTTP to a host that serves nothing else.
pub fn add(response: &mut Response, https: bool) {
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, value);
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}

/// Middleware that calls [`add`] on every response.
pub async fn middleware(https: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add(&mut response, https);
    response
}
