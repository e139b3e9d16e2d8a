import Foundation
import XCTest
@testable import StaticMuslKit

/// ManifestWriter in a temporary dist folder: what a rewrite replaces,
/// keeps and drops. No build: the "binaries" are small files.
final class ManifestWriterTests: XCTestCase {
    var out = ""
    let toolchain = Manifest.ToolchainInfo(swift: "6.3.1", root: "/opt/swift", musl: "1.2.3", glibc: "2.36",
                                           gcc: "12.2.0", clang: nil, sysroot: nil)

    override func setUpWithError() throws {
        out = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: out)
    }

    // MARK: helpers

    /// A binary at `<out>/<variant>/<product>` and its "ok" entry.
    func ok(_ variant: Variant, _ product: String, size: Int = 1000) throws -> Manifest.VariantEntry {
        let rel = "\(variant.rawValue)/\(product)"
        try FileManager.default.createDirectory(atPath: out + "/" + variant.rawValue, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: out + "/" + rel, contents: Data(repeating: 0x7f, count: 16)))
        var e = Manifest.VariantEntry(variant: variant.rawValue, status: "ok")
        e.path = rel
        e.size = size
        e.isStatic = variant != .glibcDynamic
        return e
    }

    func failed(_ variant: Variant, _ reason: String) -> Manifest.VariantEntry {
        Manifest.VariantEntry(variant: variant.rawValue, status: "failed", reason: reason)
    }

    func write(_ product: String, package: String = "/pkg/one", _ entries: [Manifest.VariantEntry],
               generated: Date = Date(timeIntervalSince1970: 1_700_000_000)) throws {
        try ManifestWriter.write([.init(product: product, packagePath: package, entries: entries)],
                                 toolchain: toolchain, out: out, generated: generated)
    }

    var path: String { out + "/manifest.json" }

    func json() throws -> [String: Any] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func product(_ name: String) throws -> [String: Any]? {
        let products = try XCTUnwrap(try json()["products"] as? [[String: Any]])
        return products.first { $0["product"] as? String == name }
    }

    /// [variant, status] of a product, in the file's order.
    func variants(_ name: String) throws -> [[String]] {
        let p = try XCTUnwrap(try product(name), "no product \(name)")
        let vs = try XCTUnwrap(p["variants"] as? [[String: Any]])
        return vs.map { [$0["variant"] as? String ?? "?", $0["status"] as? String ?? "?"] }
    }

    func edit(_ change: (inout [String: Any]) throws -> Void) throws {
        var object = try json()
        try change(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    // MARK: tests

    func testRebuiltVariantIsReplacedAndTheOthersKept() throws {
        try write("A", [try ok(.musl, "A", size: 111), try ok(.glibcStatic, "A", size: 222)])
        XCTAssertEqual(try variants("A"), [["musl", "ok"], ["glibc-static", "ok"]])

        try write("A", [failed(.musl, "link failed: sqlite3_open (wanted by libfoo.a(y.o))")])
        XCTAssertEqual(try variants("A"), [["musl", "failed"], ["glibc-static", "ok"]])
        let m = try Manifest.load(from: path)
        let a = try XCTUnwrap(m.products.first { $0.product == "A" })
        let musl = try XCTUnwrap(a.variants.first { $0.variant == "musl" })
        XCTAssertEqual(musl.reason, "link failed: sqlite3_open (wanted by libfoo.a(y.o))")
        XCTAssertNil(musl.path, "the failed entry replaced the ok one entirely")
        XCTAssertNil(musl.size)
        let glibc = try XCTUnwrap(a.variants.first { $0.variant == "glibc-static" })
        XCTAssertEqual(glibc.size, 222)
        XCTAssertEqual(glibc.path, "glibc-static/A")
        XCTAssertEqual(a.variants.count, 2)
    }

    func testOkEntryWhoseBinaryIsGoneDisappears() throws {
        try write("A", [try ok(.musl, "A"), try ok(.glibcStatic, "A"), failed(.sdk, "no Static Linux SDK")])
        try FileManager.default.removeItem(atPath: out + "/glibc-static/A")
        // Another product's build rewrites the file: A's stale entry goes, its failed one (no binary) stays.
        try write("B", [try ok(.musl, "B")])
        XCTAssertEqual(try variants("A"), [["musl", "ok"], ["sdk", "failed"]])
        XCTAssertEqual(try variants("B"), [["musl", "ok"]])
        // And when A itself is rebuilt in another variant.
        try FileManager.default.removeItem(atPath: out + "/musl/A")
        try write("A", [try ok(.glibcDynamic, "A")])
        XCTAssertEqual(try variants("A"), [["glibc-dynamic", "ok"], ["sdk", "failed"]])
    }

    func testUnknownKeysSurviveARewriteOfAnotherProduct() throws {
        try write("A", [try ok(.musl, "A"), try ok(.glibcStatic, "A")])
        try edit { object in
            var products = try XCTUnwrap(object["products"] as? [[String: Any]])
            var variants = try XCTUnwrap(products[0]["variants"] as? [[String: Any]])
            variants[0]["extra"] = ["inspect.class": "static"]
            variants[0]["future_key"] = ["nested": [1, 2, 3], "flag": true]
            products[0]["product_note"] = "kept by hand"
            products[0]["variants"] = variants
            object["products"] = products
        }
        try write("B", package: "/pkg/two", [try ok(.musl, "B")])

        let a = try XCTUnwrap(try product("A"))
        XCTAssertEqual(a["product_note"] as? String, "kept by hand")
        XCTAssertEqual(a["package_path"] as? String, "/pkg/one")
        let musl = try XCTUnwrap((a["variants"] as? [[String: Any]])?.first { $0["variant"] as? String == "musl" })
        XCTAssertEqual(musl["extra"] as? [String: String], ["inspect.class": "static"])
        let future = try XCTUnwrap(musl["future_key"] as? [String: Any])
        XCTAssertEqual(future["nested"] as? [Int], [1, 2, 3])
        XCTAssertEqual(future["flag"] as? Bool, true)
        XCTAssertEqual(try variants("A"), [["musl", "ok"], ["glibc-static", "ok"]])

        // The typed reader sees the kept entries, booleans and numbers intact.
        let m = try Manifest.load(from: path)
        XCTAssertEqual(m.products.map(\.product), ["A", "B"])
        let typed = try XCTUnwrap(m.products[0].variants.first { $0.variant == "musl" })
        XCTAssertEqual(typed.extra, ["inspect.class": "static"])
        XCTAssertEqual(typed.isStatic, true)
        XCTAssertEqual(typed.size, 1000)
        XCTAssertEqual(m.products[1].packagePath, "/pkg/two")
    }

    func testProductFromAnotherPackageDropsItsOldVariants() throws {
        try write("A", package: "/pkg/one", [try ok(.musl, "A"), try ok(.glibcStatic, "A"), failed(.sdk, "no SDK")])
        try write("A", package: "/pkg/elsewhere", [failed(.musl, "compile failed")])
        XCTAssertEqual(try variants("A"), [["musl", "failed"]])
        XCTAssertEqual(try product("A")?["package_path"] as? String, "/pkg/elsewhere")
        // The same package again keeps what it has.
        try write("A", package: "/pkg/elsewhere", [try ok(.glibcStatic, "A")])
        XCTAssertEqual(try variants("A"), [["musl", "failed"], ["glibc-static", "ok"]])
    }

    func testWrittenManifestDecodes() throws {
        var musl = try ok(.musl, "A")
        musl.unresolved = [.init(symbol: "curl_easy_init", wantedBy: "libfoo.a(x.o)")]
        musl.flagNotes = [FlagNote(flag: "-fblocks", action: "dropped", reason: "clang-only")]
        musl.compiler = "clang"
        try write("A", [musl, try ok(.glibcDynamic, "A")], generated: Date(timeIntervalSince1970: 1_700_000_000))
        try write("0-first", [failed(.embeddedMusl, "Embedded Swift cannot build Foundation")])

        let raw = try json()
        XCTAssertEqual(raw["schema_version"] as? Int, 1)
        let m = try Manifest.load(from: path)
        XCTAssertEqual(m.schemaVersion, 1)
        XCTAssertEqual(m.schemaVersion, Manifest.currentSchema)
        XCTAssertEqual(m.generated, "2023-11-14T22:13:20Z")
        XCTAssertEqual(m.toolchain, toolchain)
        XCTAssertEqual(m.products.map(\.product), ["0-first", "A"], "sorted by name")
        let a = m.products[1]
        XCTAssertEqual(a.packagePath, "/pkg/one")
        XCTAssertEqual(a.variants.map(\.variant), ["musl", "glibc-dynamic"])
        XCTAssertEqual(a.variants[0].unresolved, [.init(symbol: "curl_easy_init", wantedBy: "libfoo.a(x.o)")])
        XCTAssertEqual(a.variants[0].flagNotes, [FlagNote(flag: "-fblocks", action: "dropped", reason: "clang-only")])
        XCTAssertEqual(a.variants[0].isStatic, true)
        XCTAssertEqual(a.variants[1].isStatic, false)
        // snake_case keys on disk.
        let text = String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: path)), as: UTF8.self)
        for key in ["\"wanted_by\"", "\"flag_notes\"", "\"package_path\"", "\"static\""] { XCTAssertTrue(text.contains(key), key) }
        XCTAssertFalse(text.contains("wantedBy"))
    }

    func testAnUnreadableOldManifestIsReplaced() throws {
        try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
        try write("A", [try ok(.musl, "A")])
        XCTAssertEqual(try Manifest.load(from: path).products.map(\.product), ["A"])
    }
}
