import Foundation
import XCTest
@testable import StaticMuslKit

/// Builds the variants once per test process and shares them: every suite
/// asks `Fixtures.store()` and no test relinks. The build uses its own
/// scratch folder (.build-static) because `swift test` holds .build's lock.
enum Fixtures {
    static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Support/ → StaticMuslKitTests/ → Tests/ → root
        return url.path
    }()

    static let distDirectory = projectRoot + "/.build-static/dist"

    /// The products the suites need, built in every standard variant.
    static let products = ["Sample", "dns-probe", "conformance-probe", "malloc-bench"]

    /// One build per output folder and test process: its own lock, so
    /// builds of different folders (a test's and a background one) run side
    /// by side, and a second caller of one folder waits for the first.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var result: Result<ArtifactStore, Error>?
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var slots: [String: Slot] = [:]

    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: distDirectory)
        options.products = products
        // Also musl+mimalloc and musl+c-ares, as the report builds them (the
        // malloc suite compares both).
        options.allocator = .mimalloc
        options.resolver = .cAres
        return try store(options)
    }

    /// Runs build-static.sh once per test process for each output folder,
    /// and hands every later caller the same result (or the same error).
    static func store(_ options: BuildStatic.Options) throws -> ArtifactStore {
        lock.lock()
        let slot = slots[options.out] ?? Slot()
        slots[options.out] = slot
        lock.unlock()
        slot.lock.lock(); defer { slot.lock.unlock() }
        if let result = slot.result { return try result.get() }
        let result = Result { try BuildStatic.run(options, projectRoot: projectRoot) }
        slot.result = result
        return try result.get()
    }

    /// Skips (loudly, with the reason) when the lab cannot run here. On the
    /// project's machines, as root, it never skips.
    static func requireLab(_ ns: Set<Sandbox.Namespace> = [.mount, .pid, .net]) throws {
        do { try Lab.checkAvailable(ns) } catch {
            print("SKIP: the namespace lab is unavailable: \(error)")
            throw XCTSkip("the namespace lab is unavailable: \(error)")
        }
    }
}

extension Fixtures {
    /// Whether musl `version` is `minimum` or later ("1.2.5" ≥ "1.2.4"), by
    /// numeric components: for tests that expect what each musl release does.
    static func musl(_ version: String, isAtLeast minimum: String) -> Bool {
        let a = version.split(separator: ".").map { Int($0) ?? 0 }, b = minimum.split(separator: ".").map { Int($0) ?? 0 }
        for i in 0..<max(a.count, b.count) {
            let (x, y) = (i < a.count ? a[i] : 0, i < b.count ? b[i] : 0)
            if x != y { return x > y }
        }
        return true
    }
}
