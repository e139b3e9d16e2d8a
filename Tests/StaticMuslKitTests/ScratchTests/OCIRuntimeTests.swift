import Foundation
import XCTest
@testable import StaticMuslKit

/// The images `build --image` writes, run as a user's `docker run` would:
/// podman with runc. Each run is compared with the scratch runner's run of
/// the same binary. Where podman cannot run here, the test says why and
/// holds the scratch runner's result alone; it never skips silently.
final class OCIRuntimeTests: XCTestCase {
    func image(of binary: String, name: String) throws -> String {
        let folder = try temporaryDirectory("oci-test")
        let tar = folder + "/\(name).tar"
        _ = try OCIImage(binary: binary, name: name).write(to: tar)
        return tar
    }

    /// The image in podman against the binary in the scratch root: same
    /// exit status, same stdout.
    func compare(binary: String, name: String, arguments: [String] = [], timeout: Double = 120) throws {
        var scratchOptions = ScratchRunner.Options(binary: binary, arguments: arguments)
        scratchOptions.timeout = timeout
        scratchOptions.detectVersions = false
        let scratch = try ScratchRunner.run(scratchOptions)
        XCTAssertEqual(scratch.exitStatus, 0, scratch.stderr)
        let tar = try image(of: binary, name: name)
        var options = OCIRuntime.Options(image: tar, arguments: arguments)
        options.timeout = timeout
        let podman: OCIRuntime.Result
        do { podman = try OCIRuntime.run(options) } catch let error as OCIRuntime.RuntimeError where !error.isInputError {
            // Not this machine: the project's machines run podman as root. Say so; the scratch result stands.
            print("NOTE: \(name) was not run in podman (\(error)); the scratch runner's result stands alone")
            XCTAssertFalse(scratch.stdout.isEmpty)
            return
        }
        XCTAssertTrue(podman.engine.hasPrefix("podman "), podman.engine)
        XCTAssertTrue(podman.engine.contains("runc"), podman.engine)
        XCTAssertFalse(podman.timedOut, podman.stderr)
        XCTAssertEqual(podman.exitStatus, 0, podman.stderr)
        XCTAssertEqual(podman.stdout, scratch.stdout, "\(name): podman's run and the scratch runner's differ")
    }

    func testSampleImageRunsInPodmanLikeTheScratchRunner() throws {
        try Fixtures.requireLab([.mount, .pid])
        let sample = try Fixtures.store().artifact(product: "Sample", variant: .musl)
        try compare(binary: sample.path, name: "Sample")
    }

    /// swift-nio's echo server and client (4 event-loop threads, loopback
    /// inside the container, no network).
    func testSwiftNIOServerImageRunsInPodmanLikeTheScratchRunner() throws {
        try Fixtures.requireLab([.mount, .pid])
        let echo = try RealPackageTests.store().artifact(product: "nio-echo", variant: .musl)
        try compare(binary: echo.path, name: "nio-echo", arguments: ["--messages", "2000"])
    }

    func testBadInputIsRefusedBeforePodmanRuns() throws {
        func refusal(_ options: OCIRuntime.Options) -> OCIRuntime.RuntimeError? {
            do { _ = try OCIRuntime.run(options); return nil } catch { return error as? OCIRuntime.RuntimeError }
        }
        XCTAssertEqual(refusal(.init(image: "/nonexistent/image.tar")), .imageMissing("/nonexistent/image.tar"))
        let readme = Fixtures.projectRoot + "/README.md"
        XCTAssertEqual(refusal(.init(image: readme)), .notAnArchive(readme))
        for bad in [Double.nan, .infinity, 0, -1] {
            var o = OCIRuntime.Options(image: readme)
            o.timeout = bad
            XCTAssertEqual(refusal(o)?.isInputError, true, "\(bad)")
        }
        let args = OCIRuntime.arguments(.init(image: "/i.tar", arguments: ["--x"]), storage: "/s", runroot: "/tmp/r")
        XCTAssertEqual(Array(args.suffix(6)), ["run", "--rm", "--network", "none", "oci-archive:/i.tar", "--x"])
        XCTAssertEqual(OCIRuntime.withoutPullLog("Getting image source signatures\nCopying blob sha256:1\nreal error\n"), "real error\n")
    }
}
