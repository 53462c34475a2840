//! How an RPC runs: authorize the caller on what its operation says it acts
//! on, run the operation (or the call), answer; a refusal becomes its
//! status through `From<LedgerError>`. Every service handler is one of these.
use std::future::Future;
use std::marker::PhantomData;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::access::allow;
use crate::extract::PAGES_IN_FLIGHT;
use crate::ledger::Ledger;
use crate::ops::{self, extract::Pages, Call, Operation};

/// What a tonic handler answers.
pub type Answer<T> = Result<Response<T>, Status>;

/// A business operation: authorized, decoded, planned on the writer, answered.
pub async fn operate<O: Operation>(
    ledger: &Ledger,
    request: Request<O::Request>,
) -> Answer<O::Response> {
    let caller = allow(ledger, &request, &O::needs(request.get_ref()))?;
    let answer = ops::operate::<O>(ledger, &caller, request.into_inner()).await?;
    Ok(Response::new(answer))
}

/// A read, or one of the ledger's own commands.
pub async fn call<C: Call>(ledger: &Ledger, request: Request<C::Request>) -> Answer<C::Response> {
    let caller = allow(ledger, &request, &C::needs(request.get_ref()))?;
    let call = C::decode(request.into_inner(), &caller)?;
    Ok(Response::new(call.run(ledger.clone()).await?))
}

/// A stream of pages, read on the blocking pool into a channel of
/// [`PAGES_IN_FLIGHT`] pages: a slow client slows the reader, and the server
/// holds at most those pages.
pub type PageStream<T> = ReceiverStream<Result<T, Status>>;

/// An extract stream: authorized and decoded like any call, then its pages
/// produced off the async workers.
pub async fn stream<C, T>(ledger: &Ledger, request: Request<C::Request>) -> Answer<PageStream<T>>
where
    C: Call<Response = Pages<T>>,
    T: Send + 'static,
{
    let produce = call::<C>(ledger, request).await?.into_inner();
    let (tx, rx) = mpsc::channel(PAGES_IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        produce(&mut |page| tx.blocking_send(page.map_err(Status::from)).is_ok());
    });
    Ok(Response::new(ReceiverStream::new(rx)))
}

/// A handler of one RPC: an [`Operation`] (`Op<O>`) or a [`Call`] (`Do<C>`).
pub trait Handler {
    type Request;
    type Response;
    fn handle(
        ledger: Ledger,
        request: Request<Self::Request>,
    ) -> impl Future<Output = Answer<Self::Response>> + Send;
}

/// The handler of a business operation.
pub struct Op<O>(PhantomData<O>);

impl<O: Operation> Handler for Op<O> {
    type Request = O::Request;
    type Response = O::Response;
    async fn handle(ledger: Ledger, request: Request<O::Request>) -> Answer<O::Response> {
        operate::<O>(&ledger, request).await
    }
}

/// The handler of any other call.
pub struct Do<C>(PhantomData<C>);

impl<C: Call> Handler for Do<C> {
    type Request = C::Request;
    type Response = C::Response;
    async fn handle(ledger: Ledger, request: Request<C::Request>) -> Answer<C::Response> {
        call::<C>(&ledger, request).await
    }
}

/// A service whose every RPC is one line, `rpc_name = Op<Operation>;` or
/// `rpc_name = Do<Call>;` (TiKV's `handle_request!`).
macro_rules! service {
    ($api:ident: $service:path { $($rpc:ident = $handler:ty;)* }) => {
        pub struct $api {
            ledger: $crate::ledger::Ledger,
        }

        impl $api {
            pub fn new(ledger: $crate::ledger::Ledger) -> Self {
                Self { ledger }
            }
        }

        #[tonic::async_trait]
        impl $service for $api {
            $(
                async fn $rpc(
                    &self,
                    request: tonic::Request<<$handler as $crate::api::run::Handler>::Request>,
                ) -> $crate::api::run::Answer<<$handler as $crate::api::run::Handler>::Response> {
                    <$handler as $crate::api::run::Handler>::handle(self.ledger.clone(), request).await
                }
            )*
        }
    };
}
pub(crate) use service;
