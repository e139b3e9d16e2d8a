import Foundation
import XCTest
@testable import StaticMuslKit

final class SizeDevTests: XCTestCase {
    func testDevMap() throws {
        guard let path = ProcessInfo.processInfo.environment["DEV_MAP"] else { throw XCTSkip("dev") }
        let t0 = Date()
        let map = try LinkMap.load(path: path)
        print("parse", Date().timeIntervalSince(t0), map.flavor, map.inputs.count, map.inclusions.count, map.outputSections.count)
        var perSection: [String: Int] = [:]
        for (_, s) in map.bytes { for (k, v) in s { perSection[k, default: 0] += v } }
        for o in map.outputSections where o.size > 0 {
            let g = map.generated[o.name]?.values.reduce(0, +) ?? 0
            print(o.name, o.size, perSection[o.name] ?? 0, g, map.generated[o.name] ?? [:])
        }
        let layout = BinaryLayout(fileSize: map.outputSections.reduce(0) { $0 + $1.size }, sections: map.outputSections.map {
            .init(name: $0.name, type: 1, typeName: "PROGBITS", address: $0.address, size: $0.size, alloc: true, occupiesFile: true) }, segments: [])
        let r = try SizeAttribution.analyze(layout: layout, map: map, binary: "x", mapPath: path, versions: ToolchainVersions(swift: "", root: "", musl: "", glibc: ""))
        print("explained", r.explainedFraction, "inputs", r.inputFractionOfMapped)
        for b in r.buckets.prefix(25) { print(b.kind, b.name, b.bytes) }
        for h in r.heavyArchives { print(h.archive, h.bytes, h.chain?.text ?? "-"); for e in h.entryReferences.prefix(5) { print("  entry", e.symbol, e.from) }; for rr in h.rootReferences.prefix(5) { print("  root", rr.object, rr.symbol, rr.attributedBytes) } }
        for a in r.archives.prefix(6) { print(a.archive, a.bytes, a.why?.text ?? "") }
    }
}
