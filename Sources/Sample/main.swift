// The sample product: build-static.sh builds it in every variant, and
// every variant must print the same lines except the one naming the libc.
import CShimPlatform
import Dispatch
import Foundation

struct Order: Codable, Equatable {
    var id: Int
    var customer: String
    var items: [String: Double]
    var shipped: Bool
}

func section(_ name: String, _ body: () throws -> String) {
    do { print("\(name): \(try body())") } catch { print("\(name): error \(error)") }
}

// The one line that may differ between variants.
print("libc: \(String(cString: cshim_libc_name())) \(String(cString: cshim_libc_version()))")

section("json") {
    let order = Order(id: 42, customer: "Zoë", items: ["apple": 1.5, "pear": 2.25], shipped: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(order)
    let back = try JSONDecoder().decode(Order.self, from: data)
    return "\(String(decoding: data, as: UTF8.self)) roundtrip=\(back == order)"
}

section("filemanager") {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("static-musl-sample-\(getpid())")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    for name in ["b.txt", "a.txt", "c.log"] {
        try Data(name.utf8).write(to: dir.appendingPathComponent(name))
    }
    let listing = try fm.contentsOfDirectory(atPath: dir.path).sorted()
    let size = try fm.attributesOfItem(atPath: dir.appendingPathComponent("c.log").path)[.size] as? Int
    return "\(listing) size(c.log)=\(size ?? -1)"
}

section("date") {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(secondsFromGMT: 3600)
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZZZZZ EEEE"
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    let iso = ISO8601DateFormatter().string(from: date)
    return "\(formatter.string(from: date)) iso=\(iso)"
}

section("dispatch") {
    let queue = DispatchQueue(label: "sample.concurrent", attributes: .concurrent)
    let group = DispatchGroup()
    final class Total: @unchecked Sendable { let lock = NSLock(); var value = 0 }
    let total = Total()
    for i in 1...100 {
        queue.async(group: group) { total.lock.lock(); total.value += i; total.lock.unlock() }
    }
    group.wait()
    return "sum=\(total.value)"
}

func primes(upTo n: Int) async -> [Int] {
    await withTaskGroup(of: Int?.self) { group in
        for candidate in 2...n {
            group.addTask { (2..<candidate).allSatisfy { candidate % $0 != 0 } ? candidate : nil }
        }
        var found: [Int] = []
        for await p in group { if let p { found.append(p) } }
        return found.sorted()
    }
}

let asyncDone = DispatchSemaphore(value: 0)
nonisolated(unsafe) var asyncLine = ""
Task {
    asyncLine = "primes=\(await primes(upTo: 50))"
    asyncDone.signal()
}
asyncDone.wait()
print("async: \(asyncLine)")

section("unicode") {
    let s = "Straße café 👩‍👩‍👧 ﬁ"
    let composed = "e\u{301}" == "é"
    return "chars=\(s.count) scalars=\(s.unicodeScalars.count) utf8=\(s.utf8.count) upper=\(s.uppercased()) canonical-equal=\(composed)"
}

section("regex") {
    let text = "order-17 shipped to bay-4; order-23 pending"
    let order = try Regex(#"order-(\d+)"#)
    let matches = text.matches(of: order).compactMap { $0.output[1].substring.map(String.init) }
    let replaced = text.replacing(try Regex(#"\d+"#), with: "#")
    return "ids=\(matches) replaced=\(replaced)"
}
