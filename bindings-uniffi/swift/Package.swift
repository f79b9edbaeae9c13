// swift-tools-version:5.9
// timadmin for Swift: the UniFFI-generated module `TimAdmin` (Sources/TimAdmin/TimAdmin.swift,
// written by ../generate.sh), its C FFI module `TimAdminFFI` (header + module map, also
// generated), hand-written additions (MemberPager+AsyncSequence.swift) and XCTest tests that run
// against the emulator. `make test-swift` runs them where a Swift toolchain exists.
//
// The Rust library is linked from TIMADMIN_LIB_DIR (default: the workspace's target/debug). On
// iOS, ship it as an xcframework instead (see the README's "Kotlin and Swift" section).
import Foundation
import PackageDescription

let libDir = ProcessInfo.processInfo.environment["TIMADMIN_LIB_DIR"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../target/debug").standardized.path

let package = Package(
    name: "TimAdmin",
    platforms: [.macOS(.v12), .iOS(.v15)],
    products: [
        .library(name: "TimAdmin", targets: ["TimAdmin"]),
    ],
    targets: [
        .systemLibrary(name: "TimAdminFFI", path: "Sources/TimAdminFFI"),
        .target(
            name: "TimAdmin",
            dependencies: ["TimAdminFFI"],
            path: "Sources/TimAdmin",
            linkerSettings: [
                .linkedLibrary("timadmin_uniffi"),
                .unsafeFlags(["-L", libDir]),
            ]
        ),
        .testTarget(
            name: "TimAdminTests",
            dependencies: ["TimAdmin"],
            path: "Tests/TimAdminTests"
        ),
    ]
)
