//! The transport door, with a raw HTTP/2 client: a request that is not gRPC
//! is answered HTTP 415 before any service sees it, even when its body is a
//! well-formed gRPC message; the same bytes as `application/grpc+proto` are
//! served.
mod common;

use bytes::Bytes;
use common::TestServer;
use http::{Request, StatusCode};
use huzhu::pb;
use prost::Message;

/// A CreateBook request as gRPC frames it: no compression, its length, its bytes.
fn create_book_frame(book_id: &str) -> Bytes {
    let message = pb::CreateBookRequest {
        request_id: format!("raw-{book_id}"),
        book_id: book_id.into(),
        kind: pb::BookKind::Fund as i32,
        name: "Raw HTTP/2".into(),
    }
    .encode_to_vec();
    let mut frame = vec![0u8];
    frame.extend_from_slice(&u32::try_from(message.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(&message);
    Bytes::from(frame)
}

/// POSTs `body` to CreateBook with this content-type over a fresh HTTP/2
/// connection, as admin; answers the HTTP status and the grpc-status
/// (from the headers or the trailers), if any.
async fn post(
    server: &TestServer,
    content_type: &str,
    body: Bytes,
) -> (StatusCode, Option<String>) {
    let authority = server.addr.trim_start_matches("http://").to_string();
    let tcp = tokio::net::TcpStream::connect(&authority).await.unwrap();
    let (client, connection) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(connection);
    let mut client = client.ready().await.unwrap();
    let request = Request::post(format!(
        "http://{authority}/huzhu.v1.LedgerService/CreateBook"
    ))
    .header("content-type", content_type)
    .header("te", "trailers")
    .header("authorization", format!("Bearer {}", server.admin_token()))
    .body(())
    .unwrap();
    let (response, mut stream) = client.send_request(request, false).unwrap();
    stream.send_data(body, true).unwrap();
    let response = response.await.unwrap();
    let status = response.status();
    let in_headers = response.headers().get("grpc-status").cloned();
    let mut body = response.into_body();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        body.flow_control().release_capacity(chunk.len()).unwrap();
    }
    let trailers = body.trailers().await.unwrap();
    let grpc_status = in_headers
        .or_else(|| trailers.and_then(|t| t.get("grpc-status").cloned()))
        .map(|v| v.to_str().unwrap().to_string());
    (status, grpc_status)
}

async fn book_exists(server: &TestServer, book_id: &str) -> bool {
    let mut client = server.client().await;
    match client
        .get_book(pb::GetBookRequest {
            book_id: book_id.into(),
        })
        .await
    {
        Ok(_) => true,
        Err(s) if s.code() == tonic::Code::NotFound => false,
        Err(s) => panic!("GetBook: {s:?}"),
    }
}

#[tokio::test]
async fn a_request_that_is_not_grpc_is_refused_with_415_and_records_nothing() {
    let server = TestServer::start();
    for (content_type, book) in [
        ("application/json", "fund-json"),
        ("text/plain", "fund-text"),
        ("application/grpc-web", "fund-grpc-web"),
    ] {
        let (status, grpc_status) = post(&server, content_type, create_book_frame(book)).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert_eq!(grpc_status, None, "{content_type}: no service answered");
        assert!(
            !book_exists(&server, book).await,
            "{content_type}: nothing recorded"
        );
    }
    assert!(
        server.logs().contains("refused a request that is not gRPC"),
        "the server logs the refusal:\n{}",
        server.logs()
    );
}

#[tokio::test]
async fn grpc_with_a_codec_suffix_is_served() {
    let server = TestServer::start();
    let (status, grpc_status) = post(
        &server,
        "application/grpc+proto",
        create_book_frame("fund-proto"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(grpc_status.as_deref(), Some("0"));
    assert!(book_exists(&server, "fund-proto").await);
}

#[tokio::test]
async fn the_start_up_line_logs_plain_fields() {
    let server = TestServer::start_with(&["--rate-limit", "7", "--rate-burst", "9"]);
    // The address file appears just before the line is written: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let line = loop {
        let logs = server.logs();
        if let Some(line) = logs.lines().find(|l| l.contains("serving huzhu.v1")) {
            break line.to_string();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no start-up line:\n{logs}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(
        line.contains("rate_limit_per_second=7 rate_burst=9"),
        "{line}"
    );
    assert!(
        !line.contains("RateLimit {"),
        "no debug struct in the log: {line}"
    );
}
