import Foundation
import XCTest
@testable import StaticMuslKit

/// Tests/Fixtures/RealPackages: packages people really use, built for musl
/// and glibc-dynamic from one SwiftPM build, run, and compared output for
/// output. swift-nio's C headers use clang's nullability qualifiers, so this
/// only builds because package C is compiled by clang for musl.
final class RealPackageTests: XCTestCase {
    static let packagePath = Fixtures.projectRoot + "/Tests/Fixtures/RealPackages"

    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: Fixtures.projectRoot + "/.build-static/dist-realpackages")
        options.packagePath = packagePath
        options.products = ["nio-echo", "nullability-c", "crypto-kat"]
        options.variants = ["musl", "glibc-dynamic"]
        return try Fixtures.store(options)
    }

    func artifact(_ product: String, _ variant: Variant) throws -> Artifact {
        try Self.store().artifact(product: product, variant: variant)
    }

    /// 10,000 messages over a 4-thread MultiThreadedEventLoopGroup on
    /// 127.0.0.1: the static musl binary, in an empty root with only lo,
    /// prints exactly what glibc-dynamic prints on the host.
    func testSwiftNIOEchoRunsStaticInTheScratchRootLikeGlibc() throws {
        try Fixtures.requireLab()
        let musl = try artifact("nio-echo", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertEqual(musl.entry.needed ?? ["?"], [])
        let glibc = try ProcessRunner.run(try artifact("nio-echo", .glibcDynamic).path, timeout: 120)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stderr)
        XCTAssertTrue(glibc.stdout.hasPrefix("nio-echo: 10000 messages echoed over 4 event-loop threads\n"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.hasSuffix("nio-echo: ok\n"), glibc.stdout)

        var options = ScratchRunner.Options(binary: musl.path)
        options.timeout = 120
        let scratch = try ScratchRunner.run(options)
        XCTAssertEqual(scratch.exitStatus, 0, scratch.stderr)
        XCTAssertEqual(scratch.stdout, glibc.stdout, "musl in the scratch root differs from glibc-dynamic")
        print("nio-echo: musl in scratch \(Int(scratch.elapsedMs)) ms, glibc-dynamic on the host \(Int(glibc.elapsedMs)) ms: \(glibc.stdout.split(separator: "\n").dropFirst().first ?? "")")
    }

    /// swift-nio's C (CNIOAtomics, CNIOLinux, …) was compiled by clang for
    /// musl, and the manifest says how and which flags changed.
    func testManifestRecordsTheMuslCompiler() throws {
        let musl = try artifact("nio-echo", .musl)
        XCTAssertTrue(musl.entry.compiler?.contains("clang \(HostTriple.musl)") ?? false, musl.entry.compiler ?? "nil")
        let notes = musl.entry.flagNotes ?? []
        XCTAssertTrue(notes.contains { $0.flag.hasPrefix("-target \(HostTriple.gnu)") && $0.action == "replaced" }, "\(notes)")
        let toolchain = try Self.store().manifest.toolchain
        XCTAssertNotNil(toolchain.sysroot, "the manifest names no sysroot")
        XCTAssertEqual(toolchain.sysroot?.musl, toolchain.musl)
        XCTAssertNotNil(toolchain.clang)
    }

    /// A C target whose header uses _Nonnull/_Nullable and swift_name (GCC
    /// rejects it) behaves the same on musl, and its C saw musl's headers.
    func testNullabilityCTargetBuildsForMusl() throws {
        func run(_ v: Variant) throws -> [Substring] {
            let r = try ProcessRunner.run(try artifact("nullability-c", v).path, timeout: 30)
            XCTAssertEqual(r.exitStatus, 0, r.stderr)
            return r.stdout.split(separator: "\n")
        }
        let musl = try run(.musl), glibc = try run(.glibcDynamic)
        XCTAssertEqual(musl.last, "c-target-libc: musl")
        XCTAssertEqual(glibc.last, "c-target-libc: glibc")
        XCTAssertGreaterThan(glibc.count, 5)
        XCTAssertEqual(musl.dropLast(), glibc.dropLast())
        XCTAssertTrue(musl.contains("cnullSum(40, 2): 42"), "\(musl)")
    }

    /// swift-crypto on its vendored BoringSSL (C and C++, compiled for musl):
    /// known answers, published vectors among them, byte for byte as on glibc,
    /// and in the scratch root.
    func testSwiftCryptoKnownAnswersMatchGlibc() throws {
        let musl = try artifact("crypto-kat", .musl)
        XCTAssertEqual(musl.entry.isStatic, true)
        XCTAssertTrue(musl.entry.compiler?.contains("C++") ?? false, musl.entry.compiler ?? "nil")
        XCTAssertGreaterThan((musl.entry.sources?.compiled ?? 0) + (musl.entry.sources?.reused ?? 0), 100,
                             "BoringSSL's sources were not compiled for musl")
        let check = try XCTUnwrap(musl.entry.cxxSymbols, "the manifest has no cxx_symbols for BoringSSL's C++")
        XCTAssertGreaterThan(check.objects, 100)
        XCTAssertEqual(check.missing, [], "BoringSSL's C++ wants symbols the musl link lacks")
        let glibc = try ProcessRunner.run(try artifact("crypto-kat", .glibcDynamic).path, timeout: 60)
        XCTAssertEqual(glibc.exitStatus, 0, glibc.stderr)
        // FIPS 180-2 "abc" and RFC 4231 case 2 are among the published vectors the program checks.
        XCTAssertTrue(glibc.stdout.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.contains("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), glibc.stdout)
        XCTAssertTrue(glibc.stdout.hasSuffix("all match\n"), glibc.stdout)
        XCTAssertEqual(try ProcessRunner.run(musl.path, timeout: 60).stdout, glibc.stdout)
        try Fixtures.requireLab()
        var options = ScratchRunner.Options(binary: musl.path)
        options.timeout = 60
        let scratch = try ScratchRunner.run(options)
        XCTAssertEqual(scratch.exitStatus, 0, scratch.stderr)
        XCTAssertEqual(scratch.stdout, glibc.stdout)
    }
}
