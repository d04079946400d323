//! The loads of the comparison, as scripts of the auth API (`/api/v1/auth`), and single calls for the setup.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;

use crate::load::Script;

/// Where the auth routers are mounted, in fullauth and in the Python library alike.
const PREFIX: &str = "/api/v1/auth";

/// The password of every benchmark account.
pub const PASSWORD: &str = "benchmark password 1";

fn request(
    address: SocketAddr,
    method: Method,
    path: &str,
    body: Option<&Value>,
    bearer: Option<&str>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("{PREFIX}{path}"))
        .header(header::HOST, address.to_string());
    if let Some(token) = bearer {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Bytes::from(json.to_string())
        }
        None => Bytes::new(),
    };
    builder
        .body(Full::new(body))
        .unwrap_or_else(|_| Request::new(Full::new(Bytes::new())))
}

fn refresh_token_in(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    json.get("refresh_token")?.as_str().map(str::to_owned)
}

fn access_token_in(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    json.get("access_token")?.as_str().map(str::to_owned)
}

/// `GET /me` with one access token.
pub struct Me {
    pub address: SocketAddr,
    pub access_token: String,
}

impl Script for Me {
    fn next(&mut self) -> Request<Full<Bytes>> {
        request(
            self.address,
            Method::GET,
            "/me",
            None,
            Some(&self.access_token),
        )
    }

    fn answered(&mut self, status: StatusCode, _: &[u8]) -> bool {
        status == StatusCode::OK
    }
}

/// `POST /login` for one account, again and again: a full password verification each time.
pub struct Login {
    pub address: SocketAddr,
    pub email: String,
}

impl Script for Login {
    fn next(&mut self) -> Request<Full<Bytes>> {
        let body = json!({"email": self.email, "password": PASSWORD});
        request(self.address, Method::POST, "/login", Some(&body), None)
    }

    fn answered(&mut self, status: StatusCode, _: &[u8]) -> bool {
        status == StatusCode::OK
    }
}

/// `POST /refresh` along one session's chain: each answer's refresh token is the next request's.
pub struct Refresh {
    pub address: SocketAddr,
    pub refresh_token: String,
}

impl Script for Refresh {
    fn next(&mut self) -> Request<Full<Bytes>> {
        let body = json!({"refresh_token": self.refresh_token});
        request(self.address, Method::POST, "/refresh", Some(&body), None)
    }

    fn answered(&mut self, status: StatusCode, body: &[u8]) -> bool {
        match refresh_token_in(body) {
            Some(next) if status == StatusCode::OK => {
                self.refresh_token = next;
                true
            }
            _ => false,
        }
    }
}

/// `POST /register` with a new address each time: a password hash and an insert.
pub struct Register {
    pub address: SocketAddr,
    pub prefix: String,
    pub count: u64,
}

impl Script for Register {
    fn next(&mut self) -> Request<Full<Bytes>> {
        self.count += 1;
        let email = format!("{}-{}@bench.example.com", self.prefix, self.count);
        let body = json!({"email": email, "password": PASSWORD});
        request(self.address, Method::POST, "/register", Some(&body), None)
    }

    fn answered(&mut self, status: StatusCode, _: &[u8]) -> bool {
        status == StatusCode::CREATED || status == StatusCode::ACCEPTED
    }
}

/// A signed-in benchmark account.
pub struct Account {
    pub email: String,
    pub access_token: String,
    pub refresh_token: String,
}

/// Registers `email` and signs it in, on a connection of its own.
pub async fn sign_up(address: SocketAddr, email: &str) -> Result<Account, String> {
    let credentials = json!({"email": email, "password": PASSWORD});
    let (status, body) = call(
        address,
        request(address, Method::POST, "/register", Some(&credentials), None),
    )
    .await?;
    if !matches!(status.as_u16(), 201 | 202) {
        return Err(format!(
            "register {email}: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    let (status, body) = call(
        address,
        request(address, Method::POST, "/login", Some(&credentials), None),
    )
    .await?;
    match (status, access_token_in(&body), refresh_token_in(&body)) {
        (StatusCode::OK, Some(access_token), Some(refresh_token)) => Ok(Account {
            email: email.to_owned(),
            access_token,
            refresh_token,
        }),
        _ => Err(format!(
            "login {email}: {status} {}",
            String::from_utf8_lossy(&body)
        )),
    }
}

/// Whether anything answers HTTP on `address`.
pub async fn answers(address: SocketAddr) -> bool {
    call(address, request(address, Method::GET, "/me", None, None))
        .await
        .is_ok()
}

async fn call(
    address: SocketAddr,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), String> {
    let stream = TcpStream::connect(address)
        .await
        .map_err(|error| error.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| error.to_string())?;
    tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| error.to_string())?;
    Ok((status, body.to_bytes()))
}
