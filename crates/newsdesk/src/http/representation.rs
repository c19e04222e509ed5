//! One answer's bytes in each encoding a client may ask for (brotli, gzip, none), each made
//! at most once, with the strong validator they share; and answering a request from them:
//! content negotiation, `ETag`, `Last-Modified` and `304 Not Modified`.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::OnceLock;
use std::time::SystemTime;

/// Smaller bodies gain too little to be worth a compressed copy.
const MIN_COMPRESSED_BYTES: usize = 256;
/// Fast settings: a page is compressed once per version, but a busy story's versions change
/// many times a second, so each compression must take about a millisecond.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;
const GZIP_LEVEL: u32 = 6;

/// Marks an answer whose encoding and validators are settled, so no later layer redoes them.
#[derive(Clone, Copy, Debug)]
pub struct Negotiated;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity = 0,
    Gzip = 1,
    Brotli = 2,
}

impl Encoding {
    /// What the client asked for in `Accept-Encoding`, brotli before gzip when both are
    /// welcome equally, honouring `q=0` refusals.
    pub fn chosen(headers: &HeaderMap) -> Encoding {
        let (mut br, mut gzip, mut any) = (None, None, None);
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(text) = value.to_str() else { continue };
            for item in text.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
                    .filter_map(|q| q.parse::<f32>().ok())
                    .next()
                    .unwrap_or(1.0);
                if name.eq_ignore_ascii_case("br") {
                    br = Some(q);
                } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                    gzip = Some(q);
                } else if name == "*" {
                    any = Some(q);
                }
            }
        }
        let br = br.or(any).unwrap_or(0.0);
        let gzip = gzip.or(any).unwrap_or(0.0);
        if br > 0.0 && br >= gzip {
            Encoding::Brotli
        } else if gzip > 0.0 {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// Whether answers of this type are text worth compressing.
pub fn compressible(content_type: Option<&HeaderValue>) -> bool {
    let Some(t) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let t = t.split(';').next().unwrap_or("").trim();
    t.starts_with("text/")
        || matches!(
            t,
            "application/json"
                | "application/xml"
                | "application/rss+xml"
                | "application/atom+xml"
                | "application/feed+json"
                | "application/javascript"
                | "application/manifest+json"
                | "image/svg+xml"
        )
}

/// An answer's body in every encoding, made lazily and kept.
pub struct Representation {
    identity: Bytes,
    compressible: bool,
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    /// A digest of the identity bytes: the same bytes give the same tag on every node.
    tag: String,
    /// Whether each encoding's tag gets its own suffix; not when the tag is the handler's own
    /// (a story's revision, which `If-Match` names whatever the encoding).
    tag_per_encoding: bool,
    /// The `ETag` of each encoding (identity, gzip, brotli), made once.
    etags: [HeaderValue; 3],
}

impl Representation {
    pub fn new(body: Bytes, content_type: Option<&HeaderValue>) -> Representation {
        let digest = Sha256::digest(&body);
        Representation {
            compressible: compressible(content_type) && body.len() >= MIN_COMPRESSED_BYTES,
            tag: hex::encode(&digest[..16]),
            tag_per_encoding: true,
            etags: [const { HeaderValue::from_static("") }; 3],
            identity: body,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
        .with_etags()
    }

    /// The same with the validator the handler chose (its `ETag`, quotes included).
    pub fn with_tag(mut self, etag: &HeaderValue) -> Representation {
        if let Ok(t) = etag.to_str() {
            self.tag = t.trim_start_matches("W/").trim_matches('"').to_string();
            self.tag_per_encoding = false;
        }
        self.with_etags()
    }

    fn with_etags(mut self) -> Representation {
        for (i, enc) in [Encoding::Identity, Encoding::Gzip, Encoding::Brotli]
            .into_iter()
            .enumerate()
        {
            let tag = match enc.token().filter(|_| self.tag_per_encoding) {
                None => format!("\"{}\"", self.tag),
                Some(t) => format!("\"{}-{t}\"", self.tag),
            };
            self.etags[i] =
                HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"-\""));
        }
        self
    }

    pub fn len(&self) -> usize {
        self.identity.len()
    }

    /// The bytes held: the page and each compressed copy made so far.
    pub fn held(&self) -> usize {
        let copy =
            |c: &OnceLock<Option<Bytes>>| c.get().and_then(|b| b.as_ref()).map_or(0, |b| b.len());
        self.identity.len() + copy(&self.gzip) + copy(&self.brotli)
    }

    pub fn is_empty(&self) -> bool {
        self.identity.is_empty()
    }

    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The bytes to send for the encoding asked for, and the encoding they are in: a body
    /// that compression would not shrink goes as it is.
    pub fn body(&self, asked: Encoding) -> (Bytes, Encoding) {
        let made = match asked {
            Encoding::Identity => None,
            _ if !self.compressible => None,
            Encoding::Gzip => self.gzip.get_or_init(|| gzip(&self.identity)).clone(),
            Encoding::Brotli => self.brotli.get_or_init(|| brotli(&self.identity)).clone(),
        };
        match made {
            Some(bytes) => (bytes, asked),
            None => (self.identity.clone(), Encoding::Identity),
        }
    }

    /// The strong validator of the bytes sent in one encoding; each encoding has its own, as
    /// their bytes differ.
    pub fn etag(&self, sent: Encoding) -> HeaderValue {
        self.etags[sent as usize].clone()
    }

    /// The answer to one request: the negotiated encoding with its validators, or a 304 when
    /// the client already holds these bytes.
    pub fn answer(
        &self,
        request: &HeaderMap,
        headers: HeaderMap,
        last_modified: Option<SystemTime>,
    ) -> Response {
        self.answer_as(request, headers, last_modified, true)
    }

    /// The same, where `conditional` says whether the request may be answered with a 304 (a
    /// read of a whole resource) or must get these bytes (a write's answer, an error).
    pub fn answer_as(
        &self,
        request: &HeaderMap,
        mut headers: HeaderMap,
        last_modified: Option<SystemTime>,
        conditional: bool,
    ) -> Response {
        let (bytes, sent) = self.body(Encoding::chosen(request));
        if self.compressible {
            add_vary(&mut headers);
        }
        let etag = self.etag(sent);
        headers.insert(header::ETAG, etag.clone());
        // A kept page has its date written once, in the headers it keeps.
        if let Some(at) = last_modified.filter(|_| !headers.contains_key(header::LAST_MODIFIED)) {
            if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(at)) {
                headers.insert(header::LAST_MODIFIED, v);
            }
        }
        if conditional && not_modified(request, &self.tag, last_modified) {
            headers.remove(header::CONTENT_TYPE);
            headers.remove(header::CONTENT_LENGTH);
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            *response.headers_mut() = headers;
            response.extensions_mut().insert(Negotiated);
            return response;
        }
        match sent.token() {
            Some(t) => headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(t)),
            None => headers.remove(header::CONTENT_ENCODING),
        };
        headers.remove(header::CONTENT_LENGTH);
        let mut response = Response::new(Body::from(bytes));
        *response.headers_mut() = headers;
        response.extensions_mut().insert(Negotiated);
        response
    }
}

/// Adds `Accept-Encoding` to the answer's `Vary`, once.
fn add_vary(headers: &mut HeaderMap) {
    let already = headers.get_all(header::VARY).iter().any(|v| {
        v.to_str().is_ok_and(|s| {
            s.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("accept-encoding"))
        })
    });
    if !already {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
}

/// Whether the client's copy is current: `If-None-Match` names these bytes (in any encoding,
/// by the weak comparison RFC 9110 asks for), or, without it, `If-Modified-Since` is no
/// earlier than the last change.
fn not_modified(request: &HeaderMap, tag: &str, last_modified: Option<SystemTime>) -> bool {
    let matches: Vec<&str> = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    if !matches.is_empty() {
        return matches.iter().any(|m| {
            if *m == "*" {
                return true;
            }
            let m = m.strip_prefix("W/").unwrap_or(m);
            let Some(m) = m.strip_prefix('"').and_then(|m| m.strip_suffix('"')) else {
                return false;
            };
            // Another encoding's tag names the same bytes.
            m == tag
                || m.strip_prefix(tag)
                    .is_some_and(|r| r == "-br" || r == "-gzip")
        });
    }
    let (Some(changed), Some(since)) = (
        last_modified,
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok()),
    ) else {
        return false;
    };
    changed <= since
}

fn gzip(bytes: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(bytes).ok()?;
    let out = encoder.finish().ok()?;
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

fn brotli(bytes: &[u8]) -> Option<Bytes> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
        writer.write_all(bytes).ok()?;
        writer.flush().ok()?;
    }
    (out.len() < bytes.len()).then(|| Bytes::from(out))
}

/// A time as `Last-Modified` can carry it: whole seconds, so that a client sending it back
/// compares equal.
pub fn whole_seconds(at: SystemTime) -> SystemTime {
    let secs = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn brotli_is_chosen_over_gzip_unless_refused() {
        assert_eq!(
            Encoding::chosen(&asking("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::chosen(&asking("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(
            Encoding::chosen(&asking("br;q=0.5, gzip;q=0.9")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::chosen(&asking("identity")), Encoding::Identity);
        assert_eq!(Encoding::chosen(&asking("*")), Encoding::Brotli);
        assert_eq!(Encoding::chosen(&asking("*, br;q=0")), Encoding::Gzip);
        assert_eq!(Encoding::chosen(&HeaderMap::new()), Encoding::Identity);
    }

    fn page() -> Representation {
        let html = HeaderValue::from_static("text/html; charset=utf-8");
        Representation::new(Bytes::from("<p>news</p>".repeat(200)), Some(&html))
    }

    #[test]
    fn each_encoding_is_made_once_and_reads_back_as_the_same_bytes() {
        let p = page();
        let (br, enc) = p.body(Encoding::Brotli);
        assert_eq!(enc, Encoding::Brotli);
        assert!(br.len() < p.len() / 10);
        let (again, _) = p.body(Encoding::Brotli);
        assert_eq!(br.as_ptr(), again.as_ptr(), "compressed again");
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).unwrap();
        assert_eq!(plain, p.identity);
        let (gz, _) = p.body(Encoding::Gzip);
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .unwrap();
        assert_eq!(plain.as_bytes(), p.identity);
    }

    #[test]
    fn a_small_or_binary_body_goes_as_it_is() {
        let png = HeaderValue::from_static("image/png");
        let p = Representation::new(Bytes::from(vec![7u8; 4096]), Some(&png));
        assert_eq!(p.body(Encoding::Brotli).1, Encoding::Identity);
        let html = HeaderValue::from_static("text/html");
        let p = Representation::new(Bytes::from("<p>hi</p>"), Some(&html));
        assert_eq!(p.body(Encoding::Gzip).1, Encoding::Identity);
    }

    #[test]
    fn a_matching_tag_or_an_unchanged_date_gets_a_304() {
        let p = page();
        let at = whole_seconds(SystemTime::now());
        let mut req = asking("br");
        let first = p.answer(&req, HeaderMap::new(), Some(at));
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(first.headers()[header::VARY], "Accept-Encoding");
        let etag = first.headers()[header::ETAG].clone();
        req.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(p.answer(&req, HeaderMap::new(), Some(at)).status(), 304);
        // A gzip copy's tag, weakened by a proxy, still names the same bytes.
        let weak = format!("W/\"{}-gzip\"", p.tag());
        req.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&weak).unwrap());
        assert_eq!(p.answer(&req, HeaderMap::new(), Some(at)).status(), 304);
        req.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(p.answer(&req, HeaderMap::new(), Some(at)).status(), 200);
        let mut req = HeaderMap::new();
        let date = httpdate::fmt_http_date(at);
        req.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_str(&date).unwrap(),
        );
        assert_eq!(p.answer(&req, HeaderMap::new(), Some(at)).status(), 304);
        let later = at + std::time::Duration::from_secs(1);
        assert_eq!(p.answer(&req, HeaderMap::new(), Some(later)).status(), 200);
    }
}
