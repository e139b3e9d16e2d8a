import Foundation
import XCTest
@testable import StaticMuslKit

/// The build caches under concurrency: one key filled from several threads
/// at once is built once, published whole, and leaves no temporary files.
final class CacheSlotTests: XCTestCase {
    func temporaryFolder() throws -> String {
        let dir = try temporaryDirectory("cache-slot")
        return dir
    }

    func testOneKeyFromManyThreadsIsBuiltOnce() throws {
        let dir = try temporaryFolder()
        let slot = CacheSlot(path: dir + "/entry.bin")
        let builds = Counter(), results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do {
                let path = try slot.fill { temp in
                    builds.increment()
                    // Written slowly, in pieces: a reader must never see a partial file.
                    FileManager.default.createFile(atPath: temp, contents: nil)
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
                    for _ in 0..<20 { handle.write(Data(repeating: 0x5a, count: 1000)); usleep(5_000) }
                    try handle.close()
                }
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
                results.append("\(i):\(size)")
            } catch { results.append("\(i):error \(error)") }
        }
        XCTAssertEqual(builds.value, 1, "the entry was built more than once")
        XCTAssertEqual(results.values.count, 8)
        XCTAssertTrue(results.values.allSatisfy { $0.hasSuffix(":20000") }, "\(results.values)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [])
    }

    /// Two processes (the suites of a report, or two builds) at once: the
    /// C programs' shim archive, the one that broke the README's main command.
    func testShimArchiveFromManyThreadsAtOnce() throws {
        let dir = try temporaryFolder()
        let builder = CProgramBuilder(projectRoot: Fixtures.projectRoot, cacheDirectory: dir)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { results.append(try builder.shimArchive(.muslStatic)) } catch { results.append("error: \(error)") }
        }
        XCTAssertEqual(Set(results.values).count, 1, "\(results.values)")
        let archive = try XCTUnwrap(results.values.first)
        XCTAssertFalse(archive.hasPrefix("error"), archive)
        let members = try ProcessRunner.run("ar", ["t", archive]).stdout.split(separator: "\n")
        XCTAssertGreaterThan(members.count, 10)
        let left = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        XCTAssertEqual(left, [])
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock(); private var n = 0
        func increment() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock(); private var items: [String] = []
        func append(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
        var values: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }
}
