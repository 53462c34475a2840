//! Generates the gRPC code from `proto/` with a vendored protoc, so a build needs
//! nothing installed beyond cargo.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // SAFETY: build scripts are single-threaded; prost-build reads PROTOC.
    unsafe { std::env::set_var("PROTOC", protoc) };
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let protos = [
        "proto/huzhu/v1/ledger.proto",
        "proto/huzhu/v1/fund.proto",
        "proto/huzhu/v1/federation.proto",
    ];
    tonic_prost_build::configure()
        .file_descriptor_set_path(out_dir.join("huzhu_descriptor.bin"))
        .compile_protos(&protos, &["proto"])?;
    for p in protos {
        println!("cargo:rerun-if-changed={p}");
    }
    Ok(())
}
