//! `huzhu bench-web`: the server-side render time of the web client's main
//! pages. Signs in with the token as a browser would, finds the first fund
//! and federation of the server (ListBooks), then opens each page `--runs`
//! times and prints, per page, its size and the server's own time
//! (`Server-Timing`, the gRPC calls behind the page included) at the median,
//! the 95th percentile and the worst. Numbers are printed, never asserted.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

use clap::Args;

use super::client::{describe, Conn};
use super::output::table;
use super::{CliError, CliResult};
use crate::auth::client::resolve_token;
use crate::pb::{self, ledger_service_client::LedgerServiceClient};

#[derive(Args)]
pub struct BenchWebArgs {
    /// The web client: http://HOST:PORT.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    web: String,
    /// Times each page is opened.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    #[command(flatten)]
    conn: Conn,
}

/// One HTTP/1.1 exchange: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str())
    }
}

fn exchange(host: &str, request: &[u8]) -> Result<Reply, String> {
    let mut stream = TcpStream::connect(host).map_err(|e| format!("cannot reach {host}: {e}"))?;
    stream.write_all(request).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("not an HTTP answer")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("not an HTTP status line")?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    })
}

fn get(host: &str, path: &str, cookie: &str) -> Result<Reply, String> {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: huzhu_session={cookie}\r\nConnection: close\r\n\r\n"
    );
    exchange(host, request.as_bytes())
}

fn cookie_of(reply: &Reply) -> Option<String> {
    reply
        .headers
        .iter()
        .filter(|(n, _)| n == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next()?.strip_prefix("huzhu_session="))
        .map(str::to_string)
        .next_back()
}

/// Signs in with `token` through the sign-in form; answers the session cookie.
fn sign_in(host: &str, token: &str) -> Result<String, String> {
    let form = get(host, "/signin", "")?;
    let visitor = cookie_of(&form).ok_or("the sign-in page set no session")?;
    let page = String::from_utf8_lossy(&form.body).to_string();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the sign-in page has no CSRF token")?;
    let b = "huzhu-bench-boundary";
    let part = |name: &str, value: &str| {
        format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let body = format!("{}{}--{b}--\r\n", part("csrf", csrf), part("token", token));
    let request = format!(
        "POST /signin HTTP/1.1\r\nHost: {host}\r\nCookie: huzhu_session={visitor}\r\nContent-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let reply = exchange(host, request.as_bytes())?;
    match (reply.status, cookie_of(&reply)) {
        (303, Some(cookie)) => Ok(cookie),
        (status, _) => Err(format!("signing in was refused (HTTP {status})")),
    }
}

/// The pages to time: the first fund's and the first federation's, the books.
async fn pages(conn: &Conn) -> Result<Vec<String>, String> {
    let mut l = LedgerServiceClient::new(conn.channel().await?);
    let books = l
        .list_books(pb::ListBooksRequest {})
        .await
        .map_err(|s| describe(&s))?
        .into_inner()
        .books;
    let first = |kind: pb::BookKind| {
        let found = books.iter().find(|b| b.kind == kind as i32);
        found.map(|b| b.book_id.clone())
    };
    let mut paths = vec!["/books".to_string()];
    if let Some(f) = first(pb::BookKind::Fund) {
        for page in ["", "/members", "/collection", "/approvals", "/notice"] {
            paths.push(format!("/fund/{f}{page}"));
        }
    }
    if let Some(g) = first(pb::BookKind::Federation) {
        paths.push(format!("/federation/{g}"));
    }
    Ok(paths)
}

/// The server's time of an answer, in milliseconds.
fn server_ms(reply: &Reply) -> Option<f64> {
    let timing = reply.header("server-timing")?;
    timing.split("dur=").nth(1)?.parse().ok()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[at]
}

/// Opens `path` `runs` times: its bytes and the sorted server times.
fn time_page(
    host: &str,
    path: &str,
    cookie: &str,
    runs: usize,
) -> Result<(usize, Vec<f64>), String> {
    let (mut bytes, mut times) = (0, Vec::with_capacity(runs));
    for _ in 0..runs {
        let reply = get(host, path, cookie)?;
        if reply.status != 200 {
            return Err(format!("{path} answered HTTP {}", reply.status));
        }
        bytes = reply.body.len();
        times.push(server_ms(&reply).ok_or_else(|| format!("{path} has no Server-Timing"))?);
    }
    times.sort_by(f64::total_cmp);
    Ok((bytes, times))
}

pub async fn run(args: BenchWebArgs) -> CliResult {
    let fail = CliError::from;
    let runs = args.runs.max(1);
    let token = resolve_token(args.conn.token_file.as_deref(), &args.conn.server).map_err(fail)?;
    let paths = pages(&args.conn).await.map_err(fail)?;
    let host = args
        .web
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let started = Instant::now();
    let rows = tokio::task::spawn_blocking(move || {
        let cookie = sign_in(&host, &token)?;
        let mut rows = Vec::new();
        for (k, path) in paths.iter().enumerate() {
            eprintln!("[{}/{}] {path}", k + 1, paths.len());
            let (bytes, t) = time_page(&host, path, &cookie, runs)?;
            let ms = |v: f64| format!("{v:.2}");
            let cells = [
                ms(quantile(&t, 0.5)),
                ms(quantile(&t, 0.95)),
                ms(t[t.len() - 1]),
            ];
            rows.push([vec![path.clone(), bytes.to_string()], cells.to_vec()].concat());
        }
        Ok::<_, String>(rows)
    })
    .await
    .map_err(|e| fail(e.to_string()))?
    .map_err(fail)?;
    println!(
        "server-side render time of the web client's pages, {runs} runs each (ms, Server-Timing)"
    );
    let header = ["page", "bytes", "median", "p95", "max"];
    println!("{}", table(&header, &[1, 2, 3, 4], rows));
    println!("{:.1} s in all", started.elapsed().as_secs_f64());
    Ok(std::process::ExitCode::SUCCESS)
}
