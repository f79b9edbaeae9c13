// swift-tools-version:5.9
// timadmin for iOS apps, as a SwiftPM package whose Rust library is a binaryTarget: run
// `bash build-xcframework.sh` (macOS, Xcode) first; it writes build/TimAdminFFI.xcframework and
// Sources/TimAdmin/ (the generated Swift API and the hand-written additions). Then, in an app:
//   .package(path: "…/bindings-uniffi/apple")  and the product "TimAdmin"
// To publish it, replace the path with the zip the script prints and its checksum:
//   .binaryTarget(name: "TimAdminFFI", url: "https://…/TimAdminFFI-VERSION.xcframework.zip", checksum: "…")
import PackageDescription

let package = Package(
    name: "TimAdmin",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "TimAdmin", targets: ["TimAdmin"]),
    ],
    targets: [
        .binaryTarget(name: "TimAdminFFI", path: "build/TimAdminFFI.xcframework"),
        .target(
            name: "TimAdmin",
            dependencies: ["TimAdminFFI"],
            path: "Sources/TimAdmin",
            linkerSettings: [
                // rustls-platform-verifier checks certificates with the system's trust store.
                .linkedFramework("Security"),
                .linkedFramework("CoreFoundation"),
            ]
        ),
    ]
)
