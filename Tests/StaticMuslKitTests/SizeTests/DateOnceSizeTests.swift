import Foundation
import XCTest
@testable import StaticMuslKit

/// Tests/Fixtures/DateOnce: `date-once` formats one date with DateFormatter,
/// `date-once-twin` prints the same line without it. build-static.sh
/// (--diet, which implies --explain-size, and --image) builds both once per test process; the
/// manifest must name the reference that pulls ICU in and its cost, and
/// the twin must show the saving, measured.
final class DateOnceSizeTests: XCTestCase {
    static let packagePath = Fixtures.projectRoot + "/Tests/Fixtures/DateOnce"
    static let dist = Fixtures.projectRoot + "/.build-static/dist-dateonce"
    static let image = dist + "/date-once.tar"

    static func store() throws -> ArtifactStore {
        var options = BuildStatic.Options(out: dist)
        options.packagePath = packagePath
        options.products = ["date-once", "date-once-twin"]
        options.variants = ["musl"]
        options.diet = true
        options.image = image
        options.imageWith = ["passwd"]
        return try Fixtures.store(options)
    }

    func entry(_ product: String) throws -> Artifact {
        try Self.store().artifact(product: product, variant: .musl)
    }

    func testManifestNamesTheSymbolAndObjectThatPullICUIn() throws {
        let once = try entry("date-once")
        let heavy = try XCTUnwrap(once.entry.heavyArchives, "no heavy_archives in the manifest entry")
        let icu = try XCTUnwrap(heavy.first { $0.archive == "lib_FoundationICU.a" }, "ICU not among \(heavy.map(\.archive))")
        XCTAssertGreaterThan(icu.bytes, 0)
        // The program's own object and the DateFormatter symbol it references.
        let root = try XCTUnwrap(icu.rootReferences.first, "no root reference for ICU")
        XCTAssertEqual(root.object, "DateOnce.build/main.swift.o")
        XCTAssertEqual(root.module, "DateOnce")
        XCTAssertTrue(root.symbol.contains("DateFormatter"), root.symbol)
        XCTAssertGreaterThanOrEqual(root.attributedBytes, icu.bytes)
        XCTAssertTrue(icu.chain?.text.hasSuffix("DateOnce.build/main.swift.o (\(root.symbol))") ?? false, icu.chain?.text ?? "")
        print("size: date-once: ICU \(icu.bytes) bytes, pulled in by \(root.object) (\(root.symbol)); chain: \(icu.chain?.text ?? "-")")
    }

    func testTwinWithoutDateFormatterHasNoICUAndIsSmaller() throws {
        let once = try entry("date-once"), twin = try entry("date-once-twin")
        XCTAssertFalse(twin.entry.heavyArchives?.contains { $0.archive == "lib_FoundationICU.a" } ?? true,
                       "the twin still links ICU: \(twin.entry.heavyArchives?.map(\.archive) ?? [])")
        let onceSize = try XCTUnwrap(once.entry.strippedSize), twinSize = try XCTUnwrap(twin.entry.strippedSize)
        XCTAssertLessThan(twinSize, onceSize)
        let icuBytes = once.entry.heavyArchives?.first { $0.archive == "lib_FoundationICU.a" }?.bytes ?? 0
        print("size: date-once stripped \(onceSize) bytes, twin \(twinSize): saving \(onceSize - twinSize) bytes "
              + "(ICU archive \(icuBytes) bytes unstripped); musl \(MuslSource.defaultVersion), glibc \(ToolchainVersions.glibcVersion())")
        // Both print the same line.
        for artifact in [once, twin] {
            let r = try ProcessRunner.run(artifact.path, [], timeout: 60)
            XCTAssertEqual(r.exitStatus, 0, r.stderr)
            XCTAssertEqual(r.stdout, "2023-11-14\n", artifact.product)
        }
    }

    func testEverySizeOptionIsMeasuredAndSmokeChecked() throws {
        for product in ["date-once", "date-once-twin"] {
            let artifact = try entry(product)
            let rows = try XCTUnwrap(artifact.entry.sizeOptions, "no size_options for \(product)")
            XCTAssertEqual(rows.map(\.option), ["gc-sections", "strip", "Osize", "diet"])
            for row in rows {
                XCTAssertEqual(row.status, "ok", "\(product) \(row.option): \(row.reason ?? "")")
                XCTAssertEqual(row.runs, true, "\(product) built with \(row.option) does not run (exit \(row.exitStatus ?? -1))")
                XCTAssertEqual(row.sameOutput, true, "\(product) built with \(row.option) prints something else")
                let before = try XCTUnwrap(row.sizeBefore), after = try XCTUnwrap(row.sizeAfter)
                XCTAssertEqual(row.saved, before - after)
                print("size: \(product) musl \(row.option): \(before) -> \(after) bytes (saved \(before - after))")
            }
            // The rows measure the binary the manifest describes.
            let strip = try XCTUnwrap(rows.first { $0.option == "strip" })
            XCTAssertEqual(strip.sizeBefore, artifact.entry.size)
            XCTAssertEqual(strip.sizeAfter, artifact.entry.strippedSize)
            let diet = try XCTUnwrap(rows.first { $0.option == "diet" })
            // The diet binary is kept beside the variant, and it is the one measured.
            let kept = try FileManager.default.attributesOfItem(atPath: artifact.path + ".diet")[.size] as? Int
            XCTAssertEqual(kept, diet.sizeAfter)
        }
    }

    func testImageHookWritesARunnableImageOfTheFirstProduct() throws {
        try Fixtures.requireLab()
        let once = try entry("date-once")
        let info = try XCTUnwrap(once.entry.image, "no image in the manifest entry")
        XCTAssertEqual(info.image, Self.image)
        XCTAssertEqual(info.variant, "musl")
        XCTAssertEqual(info.diet, true, "with --diet the image holds the diet binary")
        XCTAssertGreaterThan(info.layerSize, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.image))
        // Unpack the layer by hand (tar) and run it in a scratch root.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("size-dateonce-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/rootfs", withIntermediateDirectories: true)
        XCTAssertEqual(try ProcessRunner.run("tar", ["-xf", Self.image, "-C", dir], timeout: 60).exitStatus, 0)
        let layer = dir + "/blobs/sha256/" + info.layerDigest.dropFirst("sha256:".count)
        XCTAssertEqual(try ProcessRunner.run("tar", ["-xzf", layer, "-C", dir + "/rootfs"], timeout: 120).exitStatus, 0)
        var sandbox = Sandbox(namespaces: [.mount, .pid, .net])
        sandbox.root = dir + "/rootfs"
        let r = try Lab.run(["/date-once"], in: sandbox, timeout: 60)
        XCTAssertEqual(r.exitStatus, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2023-11-14\n")
    }
}
