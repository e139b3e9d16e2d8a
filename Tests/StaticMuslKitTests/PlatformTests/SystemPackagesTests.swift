import Foundation
import XCTest
@testable import StaticMuslKit

/// Which Debian -dev package a failed SwiftPM build asks for, read from the
/// lines the linkers and clang print.
final class SystemPackagesTests: XCTestCase {
    func testDevelopmentPackagesFromBuildLogs() {
        let gold = "/usr/bin/ld.gold: error: cannot find -lcurl\nclang: error: linker command failed with exit code 1"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: gold), ["libcurl4-openssl-dev"])
        let bfd = "/usr/bin/ld: cannot find -lxml2: No such file or directory"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: bfd), ["libxml2-dev"])
        let lld = "ld.lld: error: unable to find library -lsqlite3"
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: lld), ["libsqlite3-dev"])
        let header = """
        /pkg/Sources/CSQLite/shim.h:1:10: error: 'sqlite3.h' file not found
        #include <sqlite3.h>
        """
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: header), ["libsqlite3-dev"])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: gold + "\n" + header + "\n" + gold),
                       ["libcurl4-openssl-dev", "libsqlite3-dev"])
    }

    /// Libraries the map does not know, and near misses, ask for nothing.
    func testUnknownLibrariesAskForNothing() {
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "/usr/bin/ld: cannot find -lfrob"), [])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "/usr/bin/ld: cannot find -lcurlpp"), [])
        XCTAssertEqual(SystemPackages.developmentPackages(wantedBy: "warning: 'zlib.h' is deprecated"), [])
    }
}

/// `SystemPackages.install` against a fake apt-get (`ProcessRunner.launcher`):
/// what it runs, in what order, and the error that names the packages.
final class SystemPackagesInstallTests: XCTestCase {
    /// Answers every request from a script of results and records the requests.
    final class ScriptedLauncher: ProcessLaunching, @unchecked Sendable {
        private let lock = NSLock()
        private var results: [ProcessResult]
        private(set) var requests: [ProcessRequest] = []
        init(_ results: [ProcessResult]) { self.results = results }
        func run(_ request: ProcessRequest) throws -> ProcessResult {
            lock.lock(); defer { lock.unlock() }
            requests.append(request)
            return results.isEmpty ? ScriptedLauncher.result(0) : results.removeFirst()
        }
        static func result(_ status: Int32, stderr: String = "") -> ProcessResult {
            ProcessResult(exitStatus: status, signal: nil, stdout: "", stderr: stderr, timedOut: false, elapsedMs: 1)
        }
    }

    func requireRootWithAptGet() throws {
        guard geteuid() == 0, ProcessRunner.which("apt-get") != nil else {
            throw XCTSkip("install() refuses before running anything unless root with apt-get; this test needs both")
        }
    }

    func testAFailedInstallUpdatesRetriesAndNamesThePackages() throws {
        try requireRootWithAptGet()
        let fake = ScriptedLauncher([.init(exitStatus: 100, signal: nil, stdout: "", stderr: "E: first", timedOut: false, elapsedMs: 1),
                                     ScriptedLauncher.result(0),
                                     ScriptedLauncher.result(100, stderr: "W: noise\nE: Unable to locate package libnothing-dev")])
        XCTAssertThrowsError(try ProcessRunner.$launcher.withValue(fake) {
            try SystemPackages.install(["libnothing-dev", "libother-dev"], forWhat: "a test")
        }) { error in
            guard let missing = error as? SystemPackages.Missing else { return XCTFail("\(error)") }
            XCTAssertEqual(missing.package, "libnothing-dev libother-dev")
            XCTAssertEqual(missing.why, "apt-get install failed: E: Unable to locate package libnothing-dev")
        }
        XCTAssertEqual(fake.requests.map(\.executable), ["apt-get", "apt-get", "apt-get"])
        XCTAssertEqual(fake.requests.map(\.arguments), [["install", "-y", "-qq", "libnothing-dev", "libother-dev"], ["update", "-qq"],
                                                        ["install", "-y", "-qq", "libnothing-dev", "libother-dev"]])
        XCTAssertEqual(fake.requests.first?.environment?["DEBIAN_FRONTEND"], "noninteractive")
    }

    func testAnInstallThatWorksRunsOnce() throws {
        try requireRootWithAptGet()
        let fake = ScriptedLauncher([ScriptedLauncher.result(0)])
        try ProcessRunner.$launcher.withValue(fake) { try SystemPackages.install(["libfine-dev"], forWhat: "a test") }
        XCTAssertEqual(fake.requests.count, 1)
        // Outside the fake's scope, real children run again.
        XCTAssertNil(ProcessRunner.launcher)
        XCTAssertEqual(try ProcessRunner.run("true").exitStatus, 0)
    }
}
