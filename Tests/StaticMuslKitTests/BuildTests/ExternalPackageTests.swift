import Foundation
import XCTest
@testable import StaticMuslKit

/// build-static.sh on packages that this project does not otherwise use.
final class BuildExternalPackageTests: XCTestCase {
    func build(_ fixture: String, product: String, variants: [String]) throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-\(fixture)")
        options.packagePath = Fixtures.projectRoot + "/Tests/Fixtures/\(fixture)"
        options.products = [product]
        options.variants = variants
        return try Fixtures.store(options)
    }

    /// swift-argument-parser + its own C target, as a static musl binary.
    func testArgumentParserPackageWithCTargetBuildsAndRuns() throws {
        let store = try build("ExternalCLI", product: "checksum-cli", variants: ["musl"])
        let a = try store.artifact(product: "checksum-cli", variant: .musl)
        XCTAssertEqual(a.entry.isStatic, true)
        let ok = try ProcessRunner.run(a.path, ["--upper", "-c", "2", "abc"], timeout: 30)
        XCTAssertEqual(ok.exitStatus, 0, ok.stderr)
        // Adler-32("ABC") = 0x018d00c7, computed by the C target compiled by musl-gcc.
        XCTAssertEqual(ok.stdout, "ABC 18d00c7\nABC 18d00c7\nc-target-libc: musl\n")
        let bad = try ProcessRunner.run(a.path, ["-c", "0", "x"], timeout: 30)
        XCTAssertNotEqual(bad.exitStatus, 0)
        XCTAssertTrue(bad.stderr.contains("--count must be positive"), bad.stderr)
    }

    /// FoundationNetworking needs libcurl: the musl variant fails, saying so.
    func testFoundationNetworkingIsReportedAsUnsupported() throws {
        let store = try build("NeedsNetworking", product: "fetch", variants: ["musl"])
        let entry = try XCTUnwrap(store.manifest.products.first?.variants.first { $0.variant == "musl" })
        XCTAssertEqual(entry.status, "failed")
        XCTAssertTrue(entry.reason?.contains("FoundationNetworking is not supported on the musl variant") ?? false, entry.reason ?? "")
        XCTAssertTrue(entry.reason?.contains("curl") ?? false)
    }

    /// A C++ target cannot be recompiled for musl: the variant fails naming
    /// the source file instead of linking glibc-built objects.
    func testCxxTargetFailsTheMuslVariantByName() throws {
        let store = try build("NeedsCxx", product: "app", variants: ["musl"])
        let entry = try XCTUnwrap(store.manifest.products.first?.variants.first { $0.variant == "musl" })
        XCTAssertEqual(entry.status, "failed")
        XCTAssertTrue(entry.reason?.hasPrefix("C++/Objective-C source ") ?? false, entry.reason ?? "")
        XCTAssertTrue(entry.reason?.contains("answer.cpp") ?? false, entry.reason ?? "")
    }

    func testBadArgumentsFailWithAMessage() throws {
        let script = Fixtures.projectRoot + "/toolchain/build-static.sh"
        let unknown = try ProcessRunner.run("/bin/bash", [script, "--variant", "bogus", "--no-report"], timeout: 60)
        XCTAssertNotEqual(unknown.exitStatus, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown variant 'bogus'"), unknown.stderr)
        let noPackage = try ProcessRunner.run("/bin/bash", [script, "--package-path", "/tmp", "--no-report"], timeout: 60)
        XCTAssertNotEqual(noPackage.exitStatus, 0)
        XCTAssertTrue(noPackage.stderr.contains("has no Package.swift"), noPackage.stderr)
    }
}
