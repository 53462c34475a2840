//! What every handler shares: the sessions, the gRPC server to call, the
//! extract archives waiting to be downloaded.
use std::sync::Arc;

use super::{grpc, session};
use crate::auth::client::Target;

/// What every handler shares: the sessions and the gRPC server to call.
#[derive(Clone)]
pub struct Web(Arc<Shared>);

pub struct Shared {
    pub sessions: session::Sessions,
    pub backend: grpc::Backend,
    /// Extract archives made and not yet downloaded.
    pub archives: super::archives::Archives,
}

impl Web {
    /// A web client calling the gRPC server at `grpc` (its own server).
    pub fn new(grpc: &Target) -> Result<Self, String> {
        Ok(Web(Arc::new(Shared {
            sessions: session::Sessions::default(),
            backend: grpc::Backend::new(grpc)?,
            archives: Default::default(),
        })))
    }

    pub fn sessions(&self) -> &session::Sessions {
        &self.0.sessions
    }

    pub fn backend(&self) -> &grpc::Backend {
        &self.0.backend
    }

    pub fn archives(&self) -> &super::archives::Archives {
        &self.0.archives
    }
}
