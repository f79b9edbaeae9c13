// swift-tools-version:5.9
// The Swift quickstart: `swift run` here (after `bash bindings-uniffi/generate.sh`), with
// TIMADMIN_EMULATOR and TIMADMIN_FIXTURE set as `make test-swift` sets them, and the Rust
// library on the loader path (LD_LIBRARY_PATH / DYLD_LIBRARY_PATH = target/debug).
import PackageDescription

let package = Package(
    name: "TimAdminQuickstart",
    platforms: [.macOS(.v12), .iOS(.v15)],
    dependencies: [
        .package(path: "../../bindings-uniffi/swift"),
    ],
    targets: [
        .executableTarget(
            name: "Quickstart",
            dependencies: [.product(name: "TimAdmin", package: "swift")],
            path: "Sources/Quickstart"
        ),
    ]
)
