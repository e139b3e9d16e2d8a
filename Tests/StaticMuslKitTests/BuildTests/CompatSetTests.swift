import Foundation
import XCTest
@testable import StaticMuslKit

/// The compat set is measured, not guessed, and every symbol is tested.
final class BuildCompatSetTests: XCTestCase {
    struct Measurement: Decodable {
        struct Symbol: Decodable { var symbol: String; var wanted_by: String; var set: String }
        var musl: String
        var unresolved: [Symbol]
    }

    /// The project's musl sysroot, prepared in-process once; the scripts get
    /// it as SYSROOT, so they never build the CLI.
    static let sysroot = Result { try Sysroot.prepare(projectRoot: Fixtures.projectRoot) }

    func scriptEnvironment() throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SYSROOT"] = try Self.sysroot.get().path
        return env
    }

    func measure(withCompat: Bool) throws -> Measurement {
        let r = try ProcessRunner.run("/bin/bash", [Fixtures.projectRoot + "/toolchain/missing-symbols.sh", "--json"]
                                      + (withCompat ? ["--with-compat"] : []), environment: try scriptEnvironment(), timeout: 300)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        return try JSONDecoder().decode(Measurement.self, from: Data(r.stdout.utf8))
    }

    func testMeasuredSetIsExactlyWhatCompatSupplies() throws {
        let before = try measure(withCompat: false)
        let missing = Set(before.unresolved.filter { $0.set == "supported" }.map(\.symbol))
        print("measured compat set against musl \(before.musl): \(missing.sorted())")
        XCTAssertFalse(missing.isEmpty, "linking the runtime against musl resolved everything: the measurement is broken")
        let compatFiles = try FileManager.default.contentsOfDirectory(atPath: Fixtures.projectRoot + "/CShim/compat")
        let tests = try FileManager.default.contentsOfDirectory(atPath: Fixtures.projectRoot + "/Probes/c-tests")
        // musl 1.2.4 and later lack the LFS64 link symbols: CShim/compat/lfs64 has them, Probes/c-tests/lfs64.c tests all five.
        let lfs64 = try FileManager.default.contentsOfDirectory(atPath: Fixtures.projectRoot + "/CShim/compat/lfs64")
        for symbol in missing {
            // backtrace.c tests backtrace and backtrace_symbols, and so on.
            let stems = tests.map { String($0.split(separator: ".").first ?? "") }
            let file = symbol.hasPrefix("__libc") ? "libc_single_threaded.c" : symbol.trimmingCharacters(in: CharacterSet(charactersIn: "_")) + ".c"
            if lfs64.contains(file) {
                XCTAssertTrue(tests.contains("lfs64.c"), "no Probes/c-tests/lfs64.c for \(symbol)")
                continue
            }
            XCTAssertTrue(stems.contains { !$0.isEmpty && symbol.hasPrefix($0) }, "no test in Probes/c-tests for \(symbol)")
            XCTAssertTrue(compatFiles.contains(file), "no CShim/compat/\(file) for \(symbol)")
        }
        let after = try measure(withCompat: true)
        XCTAssertEqual(after.unresolved.filter { $0.set == "supported" }.map(\.symbol), [],
                       "CShim/compat leaves symbols unresolved")
        // Networking and XML stay unsupported, with their exact missing pieces.
        XCTAssertTrue(after.unresolved.contains { $0.set == "FoundationNetworking" && $0.symbol == "curl_easy_init" })
        XCTAssertTrue(after.unresolved.contains { $0.set == "FoundationXML" && $0.symbol.hasPrefix("xml") })
    }

    func testEveryCompatSymbolPassesItsBehaviourTest() throws {
        let r = try ProcessRunner.run("/bin/bash", [Fixtures.projectRoot + "/toolchain/test-compat.sh"],
                                      environment: try scriptEnvironment(), timeout: 300)
        print(r.stdout)
        XCTAssertEqual(r.exitStatus, 0, r.stdout + r.stderr)
        for symbol in ["_dl_find_object", "_dl_find_object_unwind", "backtrace", "backtrace_symbols", "arc4random",
                       "arc4random_uniform", "arc4random_buf", "__libc_single_threaded",
                       "fopen64", "fseeko64", "ftello64", "fstat64", "lseek64"] {
            XCTAssertTrue(r.stdout.split(separator: "\n").contains { $0 == "PASS \(symbol)" || $0.hasPrefix("PASS \(symbol) ") },
                          "no PASS line for \(symbol)")
        }
        XCTAssertFalse(r.stdout.contains("FAIL"))
    }

    /// The LFS64 configure step: shims only when libc.a lacks the symbols.
    /// The sysroot checks its libc.a for `fstat64`; `libcArchiveOverride`
    /// points the check at a libc.a without them.
    func testLFS64ShimsOnlyWhenMuslLacksThem() throws {
        // musl-dev 1.2.3 still has the LFS64 symbols (1.2.4 removed them from the link).
        let real = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, musl: .debianPackage)
        XCTAssertFalse(real.metadata.compat.lfs64Included)
        XCTAssertFalse(real.metadata.compat.members.contains { $0.hasPrefix("lfs64-") },
                       "musl \(real.muslVersion) has LFS64 symbols; no shim expected: \(real.metadata.compat.members)")

        let dir = try temporaryDirectory("lfs64")
        let empty = dir + "/empty-libc.a"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data("!<arch>\n".utf8)))
        let lacking = try Sysroot.prepare(projectRoot: Fixtures.projectRoot, cacheDirectory: dir + "/cache", musl: .debianPackage,
                                          libcArchiveOverride: empty)
        XCTAssertTrue(lacking.metadata.compat.lfs64Included)
        XCTAssertEqual(lacking.metadata.compat.lfs64CheckedLibc, empty)
        XCTAssertNotEqual(lacking.key, real.key, "the LFS64 decision must be part of the key")
        let members = lacking.metadata.compat.members
        for symbol in ["fstat64", "lseek64", "fopen64", "fseeko64", "ftello64"] {
            XCTAssertTrue(members.contains("lfs64-\(symbol).o"), "no \(symbol) shim when libc.a lacks it: \(members)")
        }
        XCTAssertEqual(Set(members).subtracting(real.metadata.compat.members).count, 5, "\(members)")
        let listed = try ProcessRunner.run("ar", ["t", lacking.compatArchive], timeout: 60)
        XCTAssertEqual(listed.stdout.split(separator: "\n").map(String.init), members)
        let nm = try ProcessRunner.run("nm", [lacking.compatArchive], timeout: 60)
        XCTAssertTrue(nm.stdout.contains(" T fstat64\n"), nm.stdout)
    }
}
