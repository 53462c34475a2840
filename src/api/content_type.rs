//! The door before every service: a request that is not gRPC (its
//! content-type does not begin with `application/grpc`) is answered HTTP 415
//! Unsupported Media Type, as the gRPC over HTTP/2 specification says,
//! before any service, the token gate included, sees it.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{header, Request, Response, StatusCode};
use tonic::body::Body;
use tower::{Layer, Service};

/// What every gRPC content-type begins with: `application/grpc`, or
/// `application/grpc+proto` and the other `application/grpc+<codec>`.
const GRPC: &str = "application/grpc";

/// Whether `content_type` names gRPC: `application/grpc` alone, or followed
/// by `+codec` or `;parameters`.
pub fn is_grpc(content_type: &str) -> bool {
    let Some(rest) = content_type
        .get(..GRPC.len())
        .filter(|head| head.eq_ignore_ascii_case(GRPC))
        .map(|_| &content_type[GRPC.len()..])
    else {
        return false;
    };
    rest.is_empty() || rest.starts_with('+') || rest.starts_with(';')
}

/// The layer that puts [`GrpcOnly`] in front of the server's routes.
#[derive(Clone, Copy, Default)]
pub struct GrpcOnlyLayer;

impl<S> Layer<S> for GrpcOnlyLayer {
    type Service = GrpcOnly<S>;

    fn layer(&self, inner: S) -> GrpcOnly<S> {
        GrpcOnly { inner }
    }
}

/// Passes gRPC requests to `inner`; answers any other with 415.
#[derive(Clone)]
pub struct GrpcOnly<S> {
    inner: S,
}

type Answer<E> = Pin<Box<dyn Future<Output = Result<Response<Body>, E>> + Send>>;

impl<S, B> Service<Request<B>> for GrpcOnly<S>
where
    S: Service<Request<B>, Response = Response<Body>>,
    S::Error: Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Answer<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if content_type.is_some_and(is_grpc) {
            return Box::pin(self.inner.call(request));
        }
        tracing::info!(
            path = %request.uri().path(),
            content_type = content_type.unwrap_or(""),
            "refused a request that is not gRPC (HTTP 415)"
        );
        let refusal = Response::builder()
            .status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .header(header::ACCEPT, GRPC)
            .body(Body::empty())
            .expect("a status and a static header make a valid response");
        Box::pin(std::future::ready(Ok(refusal)))
    }
}

#[cfg(test)]
mod tests {
    use super::is_grpc;

    #[test]
    fn grpc_and_its_codecs_pass_everything_else_does_not() {
        assert!(is_grpc("application/grpc"));
        assert!(is_grpc("application/grpc+proto"));
        assert!(is_grpc("application/grpc+json"));
        assert!(is_grpc("Application/GRPC; charset=utf-8"));
        assert!(!is_grpc("application/json"));
        assert!(!is_grpc("application/grpc-web"));
        assert!(!is_grpc("application/grpcx"));
        assert!(!is_grpc("text/plain"));
        assert!(!is_grpc(""));
    }
}
