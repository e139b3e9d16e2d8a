import Foundation
import XCTest
import CShimProbe
@testable import StaticMuslKit

/// The built malloc-bench variants: each carries the allocator it claims
/// (from the ELF and from the binary itself), and runs every workload.
final class MallocVariantTests: XCTestCase {
    /// The suites' own builds, and the other musl's beside them (built by the
    /// engine when missing, as `bench malloc` has it do).
    static func artifacts() throws -> [MallocVariant: Artifact] {
        lock.lock(); defer { lock.unlock() }
        if let built { return try built.get() }
        let result = Result { () throws -> [MallocVariant: Artifact] in
            let all = MallocVariant.allCases
            let own = SuiteProbes.malloc(all, from: try Fixtures.store().artifacts(product: MallocBench.product))
            let other = try SuiteProbes.otherMuslMalloc(all, besides: Fixtures.projectRoot + "/.build-static/bench-malloc",
                                                        projectRoot: Fixtures.projectRoot, progress: nil)
            return own.merging(other) { a, _ in a }
        }
        built = result
        return try result.get()
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<[MallocVariant: Artifact], Error>?
    func artifacts() throws -> [MallocVariant: Artifact] { try Self.artifacts() }

    /// Lookup by variant and musl: the default musl's build never stands for another musl's, nor the reverse.
    func testProbesAreMatchedByVariantAndMusl() throws {
        let found = try artifacts()
        XCTAssertEqual(Set(found.keys), Set(MallocVariant.allCases), "every variant has its build")
        XCTAssertFalse(try XCTUnwrap(found[.muslStatic]).isOtherMuslVersion)
        XCTAssertEqual(found[.muslOtherStatic]?.muslVersion, MuslSource.otherVersion)
        let onlyDefault = SuiteProbes.malloc(MallocVariant.allCases, from: [try XCTUnwrap(found[.muslStatic])])
        XCTAssertEqual(Array(onlyDefault.keys), [.muslStatic], "musl's build is not the other musl's")
        let onlyOther = SuiteProbes.malloc(MallocVariant.allCases, from: [try XCTUnwrap(found[.muslOtherStatic])])
        XCTAssertEqual(Array(onlyOther.keys), [.muslOtherStatic])
    }

    func testEachVariantCarriesTheAllocatorItClaims() throws {
        for (variant, artifact) in try artifacts() {
            let info = try MallocBench.identify(artifact, variant: variant)
            XCTAssertEqual(info.allocator.found, variant.claimedAllocator, "\(variant.rawValue): \(info.allocator.evidence)")
            XCTAssertTrue(info.allocator.verified, "\(variant.rawValue): \(info.allocator)")
            XCTAssertEqual(info.libc, variant.buildVariant.libc, variant.rawValue)
            if let version = variant.muslVersion { XCTAssertEqual(info.libcVersion, version, variant.rawValue) }
            XCTAssertTrue(info.allocator.runtime?.hasPrefix(variant.claimedAllocator) ?? false, "\(variant.rawValue) reports \(info.allocator.runtime ?? "nothing")")
        }
    }

    func testMimallocReallyReplacesMallocng() throws {
        let a = try artifacts()
        let mi = try AllocatorCheck.check(path: a[.muslMimalloc]!.path, claimed: "mimalloc")
        XCTAssertTrue(mi.evidence.contains { $0.hasPrefix("malloc = mi_malloc") }, "\(mi.evidence)")
        // The check can fail: the plain musl build is not mimalloc, and the mimalloc one is not mallocng.
        let musl = try AllocatorCheck.check(path: a[.muslStatic]!.path, claimed: "mimalloc")
        XCTAssertFalse(musl.verified)
        XCTAssertEqual(musl.found, "mallocng")
        let wrong = try AllocatorCheck.check(path: a[.muslMimalloc]!.path, claimed: "mallocng")
        XCTAssertFalse(wrong.verified)
    }

    func testEveryWorkloadRunsInEveryVariant() throws {
        // The child's own peak RSS, not its parent's (ru_maxrss survives fork+exec).
        var user = 0.0, sys = 0.0
        var selfPeak: Int64 = 0
        XCTAssertEqual(cshim_malloc_rusage(&user, &sys, &selfPeak), 0)
        for (variant, artifact) in try artifacts() {
            for w in MallocWorkload.allCases {
                let s = try MallocBench.measure(artifact, variant: variant, workload: w, threads: 2, spawned: true, duration: 0.02, seed: 3)
                XCTAssertGreaterThan(s.ops, 0, "\(variant.rawValue) \(w.rawValue)")
                XCTAssertGreaterThan(s.peakRssKb, 0)
                if w == .threadLocal {
                    XCTAssertLessThan(s.peakRssKb, selfPeak, "\(variant.rawValue): peak RSS \(s.peakRssKb) KiB is not the child's own")
                }
            }
            let main = try MallocBench.measure(artifact, variant: variant, workload: .crossThread, threads: 1, spawned: false, duration: 0.02, seed: 3)
            XCTAssertGreaterThan(main.ops, 0, "\(variant.rawValue) cross-thread on the main thread")
        }
    }

    func testBadInputToTheBinaryExitsTwoWithAReason() throws {
        let a = try artifacts()
        for v in [MallocVariant.muslStatic, .glibcStatic] {
            let r = try ProcessRunner.run(a[v]!.path, ["--workload", "nope"], timeout: 10)
            XCTAssertEqual(r.exitStatus, 2, v.rawValue)
            XCTAssertTrue(r.stderr.contains("unknown workload 'nope'"), r.stderr)
            let t = try ProcessRunner.run(a[v]!.path, ["--workload", "medium", "--threads", "0"], timeout: 10)
            XCTAssertEqual(t.exitStatus, 2)
            XCTAssertTrue(t.stderr.contains("--threads"), t.stderr)
        }
    }

    /// The fix for users: `build-static.sh --allocator mimalloc` on the Swift
    /// Sample passes the same output check as the other variants (same lines
    /// as glibc-dynamic apart from the libc line).
    func testSampleBuiltWithMimallocPassesTheOutputCheck() throws {
        let store = try Fixtures.store()
        func run(_ v: Variant) throws -> [Substring] {
            let r = try ProcessRunner.run(try store.artifact(product: "Sample", variant: v).path,
                                          environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
            XCTAssertEqual(r.exitStatus, 0, "\(v.rawValue): \(r.stderr)")
            return r.stdout.split(separator: "\n")
        }
        let mimalloc = try run(.muslMimalloc), baseline = try run(.glibcDynamic)
        XCTAssertEqual(mimalloc.first.map(String.init), "libc: musl \(MuslSource.defaultVersion)")
        XCTAssertGreaterThanOrEqual(baseline.count, 8)
        XCTAssertEqual(Array(mimalloc.dropFirst()), Array(baseline.dropFirst()))
        let check = try AllocatorCheck.check(path: try store.artifact(product: "Sample", variant: .muslMimalloc).path, claimed: "mimalloc")
        XCTAssertTrue(check.verified, "\(check.evidence)")
    }
}
