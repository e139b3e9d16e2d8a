import Foundation
import XCTest
@testable import StaticMuslKit

/// `static-musl image` (`OCIImage`): a FROM scratch OCI image, byte-identical
/// across builds, accepted by skopeo and umoci, whose rootfs runs in the
/// scratch runner.
final class OCIImageTests: XCTestCase {
    /// skopeo and umoci come from Debian's packages: installed here when
    /// missing and we are root; otherwise the test skips, saying why.
    static func requireTool(_ tool: String, package: String) throws -> String {
        do { return try SystemPackages.ensure(tool, package: package) } catch {
            print("SKIP: \(error)")
            throw XCTSkip("\(error)")
        }
    }

    func tempDir() throws -> String {
        let dir = try temporaryDirectory("size-image")
        return dir
    }

    func makeImage(_ binary: String, out: String, with: String? = nil, name: String = "hello") throws -> ProcessResult {
        var args = ["image", "--binary", binary, "--out", out, "--name", name]
        if let with { args += ["--with", with] }
        return try ProcessRunner.run(try BuildCLI.path(), args, timeout: 300)
    }

    func helloBinary() throws -> String {
        try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "hello", sources: ["Probes/programs/hello.c"], variant: .muslStatic)
    }

    func testImageIsByteIdenticalAcrossBuildsAndReportsTheLayerSize() throws {
        let hello = try helloBinary()
        let dir = try tempDir()
        let first = try makeImage(hello, out: dir + "/a.tar", with: "certs,passwd,tzdata")
        XCTAssertEqual(first.exitStatus, 0, first.stderr)
        // A second build, later, with a different copy of the same binary (new mtime).
        Thread.sleep(forTimeInterval: 1.1)
        let copy = dir + "/hello"
        try FileManager.default.copyItem(atPath: hello, toPath: copy)
        let second = try makeImage(copy, out: dir + "/b.tar", with: "certs,passwd,tzdata")
        XCTAssertEqual(second.exitStatus, 0, second.stderr)
        let a = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/a.tar"))
        let b = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/b.tar"))
        XCTAssertEqual(a, b, "two builds of the same inputs differ")
        let info = try JSONDecoder().decode(Manifest.ImageInfo.self, from: Data(first.stdout.utf8))
        XCTAssertGreaterThan(info.layerSize, 0)
        XCTAssertLessThan(info.layerSize, info.layerUncompressedSize)
        XCTAssertEqual(info.with, ["certs", "passwd", "tzdata"])
        XCTAssertEqual(info.entrypoint, "/hello")
        // A different --with gives a different image.
        let third = try makeImage(hello, out: dir + "/c.tar", with: "passwd")
        XCTAssertEqual(third.exitStatus, 0, third.stderr)
        XCTAssertNotEqual(FileManager.default.contents(atPath: dir + "/c.tar"), a)
    }

    func testSkopeoReadsTheArchive() throws {
        let skopeo = try Self.requireTool("skopeo", package: "skopeo")
        let dir = try tempDir()
        let made = try makeImage(try helloBinary(), out: dir + "/img.tar", with: "passwd")
        XCTAssertEqual(made.exitStatus, 0, made.stderr)
        let info = try JSONDecoder().decode(Manifest.ImageInfo.self, from: Data(made.stdout.utf8))
        let r = try ProcessRunner.run(skopeo, ["inspect", "oci-archive:\(dir)/img.tar"], timeout: 120)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["Os"] as? String, "linux")
        XCTAssertEqual(json["Layers"] as? [String], [info.layerDigest])
        XCTAssertEqual(json["Digest"] as? String, info.manifestDigest)
    }

    func testUmociUnpacksARootfsThatRunsInTheScratchRunner() throws {
        try Fixtures.requireLab()
        let umoci = try Self.requireTool("umoci", package: "umoci")
        let dir = try tempDir()
        let made = try makeImage(try helloBinary(), out: dir + "/img.tar", with: "passwd")
        XCTAssertEqual(made.exitStatus, 0, made.stderr)
        try FileManager.default.createDirectory(atPath: dir + "/layout", withIntermediateDirectories: true)
        let untar = try ProcessRunner.run("tar", ["-xf", dir + "/img.tar", "-C", dir + "/layout"], timeout: 60)
        XCTAssertEqual(untar.exitStatus, 0, untar.stderr)
        let unpack = try ProcessRunner.run(umoci, ["unpack", "--image", dir + "/layout:latest", dir + "/bundle"], timeout: 120)
        XCTAssertEqual(unpack.exitStatus, 0, unpack.stderr)
        let rootfs = dir + "/bundle/rootfs"
        let entries = try FileManager.default.contentsOfDirectory(atPath: rootfs).sorted()
        XCTAssertEqual(entries, ["etc", "hello", "home"])
        XCTAssertTrue(try String(contentsOfFile: rootfs + "/etc/passwd", encoding: .utf8).contains("nonroot:x:65532:65532"))
        var sandbox = Sandbox(namespaces: [.mount, .pid, .net])
        sandbox.root = rootfs
        let r = try Lab.run(["/hello"], in: sandbox, timeout: 30)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hello from musl\n")
    }

    func testBadInputIsRefusedWithAReason() throws {
        let dir = try tempDir()
        let dynamic = try CProgramBuilder(projectRoot: Fixtures.projectRoot)
            .build(name: "hello", sources: ["Probes/programs/hello.c"], variant: .glibcDynamic)
        let r1 = try makeImage(dynamic, out: dir + "/x.tar")
        XCTAssertEqual(r1.exitStatus, 2)
        XCTAssertTrue(r1.stderr.contains("dynamically linked"), r1.stderr)
        let r2 = try makeImage(try helloBinary(), out: dir + "/y.tar", with: "certs,fonts")
        XCTAssertEqual(r2.exitStatus, 2)
        XCTAssertEqual(r2.stderr, "static-musl image: unknown --with item 'fonts' (certs, passwd, tzdata)\n")
        let r3 = try makeImage(dir + "/missing", out: dir + "/z.tar")
        XCTAssertEqual(r3.exitStatus, 2)
        XCTAssertEqual(r3.stderr, "static-musl image: \(dir)/missing is not a file\n")
        let r4 = try makeImage(try helloBinary(), out: dir + "/w.tar", name: "../evil")
        XCTAssertEqual(r4.exitStatus, 2)
        XCTAssertTrue(r4.stderr.contains("--name '../evil' must be a plain file name"), r4.stderr)
        let r5 = try makeImage(try helloBinary(), out: dir)
        XCTAssertEqual(r5.exitStatus, 2)
        XCTAssertEqual(r5.stderr, "static-musl image: --out \(dir) is a folder: name the image's file\n")
        for name in ["x.tar", "y.tar", "z.tar", "w.tar"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + name), "refused input wrote \(name)")
        }
    }
}
