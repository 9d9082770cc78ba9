//! The webhook: a JSON POST signed with HMAC-SHA256 over a shared secret,
//! sent with hyper's client on a new connection each time, over rustls
//! with the system's certificates for https. A 2xx answer within
//! [`TIMEOUT`] is delivered; anything else is a failure to retry.

use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::Uri;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// How long a POST may take, connecting included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The signature header's value for `body` sent at `timestamp`:
/// `sha256=` and the hex HMAC-SHA256, keyed with `secret`, of
/// `"<timestamp>.<body>"`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256=");
    for byte in digest {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// Where alerts are POSTed, and the secret they are signed with.
pub struct Webhook {
    uri: Uri,
    host: String,
    port: u16,
    secret: Vec<u8>,
    /// For https.
    tls: Option<tokio_rustls::TlsConnector>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the secret nor the URL, which may hold a token.
        f.debug_struct("Webhook")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// A webhook at `url` (http or https), signed with `secret`. For
    /// https, the system's certificates are read now.
    pub fn new(url: &str, secret: Vec<u8>) -> Result<Webhook, String> {
        let bad = || {
            "--alert-webhook must be an http:// or https:// URL naming a host, such as https://chat.example.gov.cn/hook".to_owned()
        };
        let uri: Uri = url.parse().map_err(|_| bad())?;
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => return Err(bad()),
        };
        let authority = uri.authority().ok_or_else(bad)?;
        if authority.as_str().contains('@') {
            return Err("--alert-webhook must not carry a user or password: the receiver checks the signature instead".into());
        }
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        if host.is_empty() {
            return Err(bad());
        }
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let tls = if https { Some(connector()?) } else { None };
        Ok(Webhook {
            uri,
            host,
            port,
            secret,
            tls,
        })
    }

    /// The host alerts go to, for the log (the URL may hold a token).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// POSTs `body` as alert `id`, signed at `timestamp` (seconds since
    /// 1970); an error in words if the receiver did not take it.
    pub async fn post(&self, id: i64, body: &[u8], timestamp: i64) -> Result<(), String> {
        match tokio::time::timeout(TIMEOUT, self.exchange(id, body, timestamp)).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
        }
    }

    async fn exchange(&self, id: i64, body: &[u8], timestamp: i64) -> Result<(), String> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("cannot connect to {}:{}: {e}", self.host, self.port))?;
        let _ = tcp.set_nodelay(true);
        let request = self.request(id, body, timestamp)?;
        let status = match &self.tls {
            None => send(tcp, request).await?,
            Some(tls) => {
                let name =
                    rustls::pki_types::ServerName::try_from(self.host.clone()).map_err(|e| {
                        format!("{} cannot be checked against a certificate: {e}", self.host)
                    })?;
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS with {}: {e}", self.host))?;
                send(stream, request).await?
            }
        };
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered HTTP {}", status.as_u16()))
        }
    }

    fn request(
        &self,
        id: i64,
        body: &[u8],
        timestamp: i64,
    ) -> Result<hyper::Request<Full<Bytes>>, String> {
        let path = self
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let authority = self.uri.authority().map_or("", |a| a.as_str()).to_owned();
        hyper::Request::post(path)
            .header(hyper::header::HOST, authority)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(
                hyper::header::USER_AGENT,
                concat!("xxgk-server/", env!("CARGO_PKG_VERSION")),
            )
            .header("X-Xxgk-Timestamp", timestamp.to_string())
            .header("X-Xxgk-Signature", sign(&self.secret, timestamp, body))
            .header("X-Xxgk-Delivery", id.to_string())
            .body(Full::new(Bytes::copy_from_slice(body)))
            .map_err(|e| format!("cannot make the request: {e}"))
    }
}

/// Sends `request` on `stream` with HTTP/1.1; the answer's status.
async fn send<S>(
    stream: S,
    request: hyper::Request<Full<Bytes>>,
) -> Result<hyper::StatusCode, String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP: {e}"))?;
    let driver = tokio::spawn(connection);
    let answer = sender.send_request(request).await;
    driver.abort();
    answer
        .map(|response| response.status())
        .map_err(|e| format!("HTTP: {e}"))
}

/// A TLS connector trusting the system's certificates.
fn connector() -> Result<tokio_rustls::TlsConnector, String> {
    let found = rustls_native_certs::load_native_certs();
    let mut roots = rustls::RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        return Err("no system certificates to check the https webhook with: install the ca-certificates package".into());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_the_hmac_of_the_timestamp_and_the_body() {
        // From: printf '%s' '1765771200.{"event":"submitted"}' |
        //       openssl dgst -sha256 -hmac 'test-secret'
        assert_eq!(
            sign(b"test-secret", 1_765_771_200, br#"{"event":"submitted"}"#),
            "sha256=bb4eb73b96a59a0948b4fd4f6ad06d92703cc02de6099892811c14bd3510bb6b"
        );
    }

    #[test]
    fn a_webhook_is_an_http_or_https_url_with_a_host() {
        for wrong in [
            "ftp://example.gov.cn/hook",
            "example.gov.cn/hook",
            "/hook",
            "http://user:pw@example.gov.cn/hook",
        ] {
            let error = Webhook::new(wrong, b"s".to_vec()).unwrap_err();
            assert!(
                error.starts_with("--alert-webhook must"),
                "{wrong}: {error}"
            );
        }
        let hook = Webhook::new("http://[::1]:9000/hook?key=x", b"s".to_vec()).unwrap();
        assert_eq!((hook.host(), hook.port), ("::1", 9000));
        let request = hook.request(3, b"{}", 5).unwrap();
        assert_eq!(request.uri(), "/hook?key=x");
        assert_eq!(request.headers()["host"], "[::1]:9000");
        assert_eq!(request.headers()["x-xxgk-delivery"], "3");
        assert_eq!(request.headers()["x-xxgk-timestamp"], "5");
        assert!(!format!("{hook:?}").contains("key=x"));
    }
}
