//! The edge between the wire and the rules: protobuf requests decoded into
//! domain and ledger inputs ([`decode`], every refusal naming its field), and
//! domain records and ledger results encoded into protobuf messages
//! ([`encode`]). Conversion by hand, in these two places only.
pub mod decode;
pub mod encode;
