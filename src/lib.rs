//! Huzhu (互助): the books of village mutual-aid funds, subsidized microcredit
//! and township federations, kept as a double-entry ledger on sled behind gRPC.
//!
//! Layers, one direction of dependency: [`cli`] → [`api`] → [`ops`] →
//! [`registry`] → [`ledger`] → [`domain`]; [`wire`] converts between the
//! protobuf messages and the domain for [`ops`], [`extract`] and [`cli`];
//! [`auth`] (roles, scopes, the policy, the client's token) serves [`api`],
//! [`ops`] and [`cli`]; [`extract`] serves [`ops`] (store to pages) and
//! [`cli`] (pages to files); [`web`], the web client `serve` also serves,
//! reaches the server only as a gRPC client; [`i18n`], the message catalog,
//! serves [`web`] and [`cli`]. See ARCHITECTURE.md for the map.
pub mod api;
pub mod auth;
pub mod cli;
pub mod domain;
pub mod extract;
pub mod i18n;
pub mod ledger;
pub mod ops;
pub mod registry;
pub mod web;
pub mod wire;

/// Code generated from `proto/huzhu/v1/*.proto`.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("huzhu.v1");
    include!(concat!(env!("OUT_DIR"), "/huzhu.v1.serde.rs"));

    /// Encoded descriptors for server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("huzhu_descriptor");
}
