//! Generates the gRPC code and its proto3 JSON mapping from `proto/` with a
//! vendored protoc, so a build needs nothing installed beyond cargo.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // SAFETY: build scripts are single-threaded; prost-build reads PROTOC.
    unsafe { std::env::set_var("PROTOC", protoc) };
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let protos = [
        "proto/huzhu/v1/ledger.proto",
        "proto/huzhu/v1/fund.proto",
        "proto/huzhu/v1/extract.proto",
        "proto/huzhu/v1/riskfund.proto",
        "proto/huzhu/v1/federation.proto",
        "proto/huzhu/v1/auth.proto",
    ];
    let descriptors = out_dir.join("huzhu_descriptor.bin");
    tonic_prost_build::configure()
        .file_descriptor_set_path(&descriptors)
        .compile_protos(&protos, &["proto"])?;
    // The proto3 canonical JSON mapping for every message (`--output json`
    // of the thin client), as grpcurl and every proto3 JSON tool print it:
    // lowerCamelCase names, enums by name, 64-bit integers as strings; every
    // field present, so a script finds a zero or an empty list too.
    pbjson_build::Builder::new()
        .register_descriptors(&std::fs::read(&descriptors)?)?
        .emit_fields()
        .build(&[".huzhu.v1"])?;
    for p in protos {
        println!("cargo:rerun-if-changed={p}");
    }
    Ok(())
}
