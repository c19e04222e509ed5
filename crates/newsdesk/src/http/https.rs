//! Answers that went over https: `Strict-Transport-Security`, and every cookie `Secure`. A
//! request went over https when the site's address is https, or when a trusted proxy says so
//! (`X-Forwarded-Proto: https` behind `--trust-proxy`).

use axum::extract::{Request, State};
use axum::http::header::{SET_COOKIE, STRICT_TRANSPORT_SECURITY};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// A year. Not `includeSubDomains`: other sites under the same name may still speak http.
const HSTS: &str = "max-age=31536000";

#[derive(Debug, Clone, Copy)]
pub struct HttpsPolicy {
    /// The site's address is https: every answer went over it.
    pub always: bool,
    /// A proxy in front says which scheme each request came by.
    pub trust_proxy: bool,
}

impl HttpsPolicy {
    fn over_https(&self, req: &Request) -> bool {
        self.always
            || (self.trust_proxy
                && req
                    .headers()
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    // The proxy nearest to us adds the last entry.
                    .and_then(|v| v.rsplit(',').next())
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
    }
}

/// Middleware around everything, the page cache's fast path included.
pub async fn secure_answers(
    State(policy): State<HttpsPolicy>,
    req: Request,
    next: Next,
) -> Response {
    let https = policy.over_https(&req);
    let mut response = next.run(req).await;
    if https {
        let headers = response.headers_mut();
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
        let cookies: Vec<HeaderValue> = headers.get_all(SET_COOKIE).iter().cloned().collect();
        if !cookies.is_empty() {
            headers.remove(SET_COOKIE);
            for c in cookies {
                headers.append(SET_COOKIE, secure(c));
            }
        }
    }
    response
}

/// The cookie with `Secure`, unless it has it already.
fn secure(cookie: HeaderValue) -> HeaderValue {
    let has_it = cookie
        .to_str()
        .map(|c| {
            c.split(';')
                .any(|part| part.trim().eq_ignore_ascii_case("secure"))
        })
        .unwrap_or(true);
    if has_it {
        return cookie;
    }
    let mut bytes = cookie.as_bytes().to_vec();
    bytes.extend_from_slice(b"; Secure");
    HeaderValue::from_bytes(&bytes).unwrap_or(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_made_secure_once() {
        let c = secure(HeaderValue::from_static("nd_reader=x; HttpOnly; Path=/"));
        assert_eq!(c, "nd_reader=x; HttpOnly; Path=/; Secure");
        assert_eq!(secure(c.clone()), c);
    }

    #[test]
    fn only_a_trusted_proxy_can_say_a_request_came_by_https() {
        let req = |proto: &str| {
            Request::builder()
                .header("x-forwarded-proto", proto)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let trusting = HttpsPolicy {
            always: false,
            trust_proxy: true,
        };
        assert!(trusting.over_https(&req("https")));
        assert!(trusting.over_https(&req("http, https")));
        assert!(!trusting.over_https(&req("http")));
        let not = HttpsPolicy {
            always: false,
            trust_proxy: false,
        };
        assert!(!not.over_https(&req("https")));
    }
}
