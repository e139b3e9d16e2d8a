import Foundation
import XCTest
@testable import StaticMuslKit

/// The foundation: build-static.sh's variants, checked from the outside.
final class BuildStaticTests: XCTestCase {
    func sample(_ variant: Variant) throws -> Artifact {
        try Fixtures.store().artifact(product: "Sample", variant: variant)
    }

    func testManifestRecordsEveryVariantWithVersions() throws {
        let store = try Fixtures.store()
        let m = store.manifest
        XCTAssertEqual(m.schemaVersion, Manifest.currentSchema)
        XCTAssertEqual(m.toolchain.musl, MuslSource.defaultVersion)
        XCTAssertFalse(m.toolchain.glibc.isEmpty)
        let sample = try XCTUnwrap(m.products.first { $0.product == "Sample" })
        let byVariant = Dictionary(uniqueKeysWithValues: sample.variants.map { ($0.variant, $0) })
        for v in [Variant.musl, .glibcStatic, .glibcDynamic] {
            let e = try XCTUnwrap(byVariant[v.rawValue], v.rawValue)
            XCTAssertEqual(e.status, "ok", "\(v.rawValue): \(e.reason ?? "")")
            XCTAssertGreaterThan(e.size ?? 0, e.strippedSize ?? .max, "stripped must be smaller")
            XCTAssertNotNil(e.linkMap)
        }
        let sdk = try XCTUnwrap(byVariant["sdk"])
        if sdk.status == "skipped" {
            XCTAssertEqual(sdk.reason, "skipped: no Static Linux SDK installed")
        }
        let embedded = try XCTUnwrap(m.products.first { $0.product == "embedded-probe" }?.variants.first)
        XCTAssertEqual(embedded.status, "ok", embedded.reason ?? "")
        XCTAssertEqual(embedded.isStatic, true)
    }

    /// Static from the ELF program headers: no PT_INTERP, no DT_NEEDED;
    /// cross-checked with readelf.
    func testStaticVariantsHaveNoInterpreterAndNoNeeded() throws {
        for v in [Variant.musl, .glibcStatic] {
            let a = try sample(v)
            XCTAssertEqual(a.entry.isStatic, true, v.rawValue)
            XCTAssertNil(a.entry.interpreter)
            XCTAssertEqual(a.entry.needed ?? ["?"], [])
            let headers = try ProcessRunner.run("readelf", ["-lW", a.path]).stdout
            let dynamic = try ProcessRunner.run("readelf", ["-dW", a.path]).stdout
            XCTAssertFalse(headers.contains("INTERP"), "\(v.rawValue) has PT_INTERP")
            XCTAssertFalse(dynamic.contains("(NEEDED)"), "\(v.rawValue) has DT_NEEDED")
        }
        let dynamic = try sample(.glibcDynamic)
        XCTAssertEqual(dynamic.entry.isStatic, false)
        XCTAssertEqual(dynamic.entry.interpreter, "/lib64/ld-linux-x86-64.so.2")
        XCTAssertTrue(dynamic.entry.needed?.contains("libc.so.6") ?? false)
    }

    /// Every variant prints the same sample output apart from the libc line.
    func testSampleOutputIsTheSameOnEveryVariant() throws {
        func run(_ v: Variant) throws -> (libc: String, rest: [Substring]) {
            let r = try ProcessRunner.run(try sample(v).path, environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
            XCTAssertEqual(r.exitStatus, 0, "\(v.rawValue): \(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            return (String(lines.first ?? ""), Array(lines.dropFirst()))
        }
        let baseline = try run(.glibcDynamic)
        XCTAssertTrue(baseline.libc.hasPrefix("libc: glibc "), baseline.libc)
        XCTAssertGreaterThanOrEqual(baseline.rest.count, 7)
        for v in [Variant.musl, .glibcStatic] {
            let other = try run(v)
            XCTAssertTrue(other.libc.hasPrefix("libc: \(v.libc) "), other.libc)
            XCTAssertEqual(other.rest, baseline.rest, "\(v.rawValue) differs from glibc-dynamic")
        }
        XCTAssertEqual(try run(.musl).libc, "libc: musl \(MuslSource.defaultVersion)")
    }

    /// The musl binary runs in an empty root: a chroot in mount and pid
    /// namespaces holding only the binary, with /proc mounted.
    func testMuslSampleRunsInAnEmptyRoot() throws {
        try Fixtures.requireLab([.mount, .pid])
        let a = try sample(.musl)
        let root = try temporaryDirectory("empty-root")
        try FileManager.default.copyItem(atPath: a.path, toPath: root + "/Sample")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["Sample"], "the root must hold only the binary")
        var sandbox = Sandbox(namespaces: [.mount, .pid])
        sandbox.root = root
        sandbox.environment = [:]
        let r = try Lab.run(["/Sample"], in: sandbox, timeout: 60)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("libc: musl"), r.stdout)
        XCTAssertTrue(r.stdout.contains("async: primes=[2, 3, 5"), r.stdout)
        // The sample's FileManager check creates /tmp itself: nothing else was there.
        XCTAssertTrue(r.stdout.contains("filemanager: [\"a.txt\", \"b.txt\", \"c.log\"]"), r.stdout)
    }

    func testEmbeddedProbeRuns() throws {
        let a = try Fixtures.store().artifact(product: "embedded-probe", variant: .embeddedMusl)
        let r = try ProcessRunner.run(a.path, timeout: 10)
        XCTAssertEqual(r.stdout, """
            embedded-probe: Embedded Swift on musl
            fib: 0 1 1 2 3 5 8 13 21 34
            utf8-count: 7 chars: 5
            sorted: 1 3 5 7 9

            """)
        XCTAssertLessThan(a.entry.strippedSize ?? .max, 1_000_000, "Embedded Swift should stay far below a megabyte")
    }
}
