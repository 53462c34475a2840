//! Huzhu (互助): the books of village mutual-aid funds, subsidized microcredit
//! and township federations, kept as a double-entry ledger on sled behind gRPC.
//!
//! Layers, one direction of dependency: [`cli`] → [`api`] → [`ledger`] → [`domain`];
//! [`auth`] (roles, scopes, the policy, the client's token) serves [`api`] and [`cli`];
//! [`extract`] serves [`api`] (store to pages) and [`cli`] (pages to files).
//! See ARCHITECTURE.md for the map.
pub mod api;
pub mod auth;
pub mod cli;
pub mod domain;
pub mod extract;
pub mod ledger;

/// Code generated from `proto/huzhu/v1/*.proto`.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("huzhu.v1");
    include!(concat!(env!("OUT_DIR"), "/huzhu.v1.serde.rs"));

    /// Encoded descriptors for server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("huzhu_descriptor");
}
