//! The web client from outside: plain HTTP/1.1 requests (a form posted with
//! or without its CSRF token, a cookie of our choosing), and a real headless
//! Chromium driven through chromedriver (fantoccini), with screenshots kept
//! in `target/screenshots/`.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client as Driver, ClientBuilder, Locator};

/// An HTTP answer: status, headers (names lower-case), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body's bytes as they came (an archive).
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value a `Set-Cookie` of the answer gives cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .next_back()
    }

    /// The value of the first hidden input `name` in the page.
    pub fn field(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\" value=\""))?;
        let rest = &self.body[at + name.len() + 15..];
        Some(rest[..rest.find('"')?].to_string())
    }
}

/// One request to the web client at `web` (`http://host:port`).
pub fn http(
    web: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<(&str, Vec<u8>)>,
) -> Reply {
    let host = web.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to the web client");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    if let Some(c) = cookie {
        head += &format!("Cookie: huzhu_session={c}\r\n");
    }
    let (kind, bytes) = body.unwrap_or(("", Vec::new()));
    if !kind.is_empty() {
        head += &format!("Content-Type: {kind}\r\n");
    }
    head += &format!("Content-Length: {}\r\n\r\n", bytes.len());
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&bytes).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let bytes = raw[split + 4..].to_vec();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
        raw: bytes,
    }
}

pub fn get(web: &str, path: &str, cookie: Option<&str>) -> Reply {
    http(web, "GET", path, cookie, None)
}

/// A value as a urlencoded form carries it: every byte but the unreserved
/// ones as %XX (so Chinese text and amounts with commas go as typed).
fn form_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A urlencoded form POST.
pub fn post_form(web: &str, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", form_encoded(v)))
        .collect::<Vec<_>>()
        .join("&");
    http(
        web,
        "POST",
        path,
        cookie,
        Some(("application/x-www-form-urlencoded", body.into_bytes())),
    )
}

/// Signs in with `token` as the sign-in form would (multipart, with the
/// CSRF token of the sign-in page's session); answers the session cookie.
pub fn sign_in(web: &str, token: &str) -> String {
    let r = sign_in_part(web, "token", None, token.as_bytes());
    assert_eq!(r.status, 303, "signed in: {}", r.body);
    r.set_cookie("huzhu_session")
        .expect("the new session's cookie")
}

/// The sign-in form posted with one token part: `name` is `token` (pasted)
/// or `token_file` (a file chosen, with its `file_name`).
pub fn sign_in_part(web: &str, name: &str, file_name: Option<&str>, value: &[u8]) -> Reply {
    let page = get(web, "/signin", None);
    let visitor = page
        .set_cookie("huzhu_session")
        .expect("a visitor's session");
    let csrf = page.field("csrf").expect("the CSRF token");
    let boundary = "huzhu-test-boundary";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .into_bytes();
    let file = file_name.map_or(String::new(), |f| format!("; filename=\"{f}\""));
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n")
            .into_bytes(),
    );
    body.extend_from_slice(value);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let kind = format!("multipart/form-data; boundary={boundary}");
    http(web, "POST", "/signin", Some(&visitor), Some((&kind, body)))
}

/// Where the browser tests keep what they saw: `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Headless Chromium through a chromedriver this test started on a free port.
pub struct Browser {
    pub driver: Driver,
    chromedriver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn on_path(tool: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(tool)).find(|f| f.is_file()))
        .unwrap_or_else(|| panic!("{tool} is not installed: run ./scripts/test, which installs chromium and chromium-driver"))
}

impl Browser {
    /// A browser window of 1024×768, Chinese first.
    pub async fn start() -> Browser {
        let chromium = on_path("chromium");
        let port = free_port();
        let chromedriver = Command::new(on_path("chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let options = serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1024,768", "--lang=zh-CN", "--hide-scrollbars"],
        });
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let driver = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a chromium session");
        Browser {
            driver,
            chromedriver,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.driver.goto(url).await.expect("open the page");
    }

    /// The page's text as a person reads it.
    pub async fn text(&self) -> String {
        self.driver
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits until the page's text shows `needle` (a part the page's script
    /// fills in), and answers the text; fails after 20 s.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.text().await;
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {needle}:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the element and waits until the browser shows another URL,
    /// loaded; answers its path.
    pub async fn click(&self, locator: Locator<'_>) -> String {
        let from = self.driver.current_url().await.unwrap();
        self.driver
            .find(locator)
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let url = self.driver.current_url().await.unwrap();
            let ready = self
                .driver
                .execute("return document.readyState", vec![])
                .await
                .unwrap();
            if url != from && ready == "complete" {
                return url.path().to_string();
            }
            assert!(Instant::now() < deadline, "still on {from}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in by pasting `token` into the form and submitting it; answers
    /// the path of the page the browser lands on.
    pub async fn sign_in(&self, web: &str, token: &str) -> String {
        self.goto(&format!("{web}/signin")).await;
        let field = self.driver.find(Locator::Id("token")).await.unwrap();
        field.send_keys(token).await.unwrap();
        self.click(Locator::Css("form.stack button")).await
    }

    /// Clicks the header's sign-out button; the sign-in page follows.
    pub async fn sign_out(&self) {
        assert_eq!(self.click(Locator::Css("header button")).await, "/signin");
    }

    /// Saves the whole page as `target/screenshots/{name}.png`, at the
    /// window's width (`width` px) and the page's full height.
    pub async fn screenshot(&self, name: &str, width: u32) {
        let js = |script: &'static str| async move {
            let v = self.driver.execute(script, vec![]).await.ok();
            v.and_then(|v| v.as_u64()).unwrap_or(768) as u32
        };
        // The window's height is its outer height: grow it until the
        // viewport holds the whole page (at the new width).
        self.driver.set_window_size(width, 768).await.unwrap();
        for _ in 0..3 {
            let page = js("return document.documentElement.scrollHeight").await;
            let viewport = js("return window.innerHeight").await;
            if viewport >= page {
                break;
            }
            let (_, _, _, outer) = self.driver.get_window_rect().await.unwrap();
            self.driver
                .set_window_size(width, outer as u32 + page - viewport)
                .await
                .unwrap();
        }
        let png = self.driver.screenshot().await.expect("a screenshot");
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
        self.driver.set_window_size(1024, 768).await.unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.driver.clone().close().await;
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.chromedriver.kill();
    }
}

/// The village fund the web tests open, worked by hand:
/// - capital: fiscal 200,000.00 and special 50,000.00 into the bank, a
///   donation of 1,234.56 in cash;
/// - 王军 (registered poor) buys 500.00 and 李梅 (低保) 300.00 of shares, in cash;
/// - loan L1 of 5,000.00 to 王军 from the bank on 2025-03-01 (bullet, 3
///   months: past due since 2025-06-01, so PAR30 is 100.00%).
///
/// Cash 1,234.56 + 800.00 = ¥2,034.56; bank 250,000.00 − 5,000.00 =
/// ¥245,000.00; capital 250,000.00 + 1,234.56 + 800.00 = ¥252,034.56.
pub const FUND: &str = "fund-dongcun";
pub const FUND_NAME: &str = "东村互助社";

pub async fn village_fund(s: &super::TestServer) {
    use super::fund::*;
    use huzhu::pb::{self, PovertyStatus};
    let (mut f, mut checker) = (s.fund_client().await, s.checker_fund_client().await);
    let mut create = create_fund_request(FUND, None);
    create.name = FUND_NAME.into();
    super::ok(f.create_fund(create).await, "the fund");
    let date = "2025-02-20";
    for (k, c) in [
        Capital::fiscal("200000"),
        Capital::special("50000"),
        Capital::donation("1234.56"),
    ]
    .into_iter()
    .enumerate()
    {
        add_capital(&mut f, &format!("capital-{k}"), FUND, c, date).await;
    }
    for (member, name, flag, shares) in [
        ("M1", "王军", pb::HouseholdFlag::RegisteredPoor, "500"),
        ("M2", "李梅", pb::HouseholdFlag::Dibao, "300"),
    ] {
        let mut join_req = join_request(FUND, member, PovertyStatus::Unspecified, date);
        join_req.name = name.into();
        join_req.flags = vec![flag as i32];
        join(&mut f, join_req).await;
        buy_shares(&mut f, FUND, member, shares, date).await;
    }
    disbursed_loan(
        &mut f,
        &mut checker,
        &LoanTerms::new(FUND, "L1", "M1", "5000"),
    )
    .await;
}
