import Foundation
import XCTest

extension XCTestCase {
    /// A new empty folder under the system's temporary folder, removed when
    /// the test ends, with every folder the code under test wrote beside it
    /// (`<folder>-musl-1.2.3`, the other musl's dist next to a dist). A test
    /// run must leave nothing behind: the leftovers of many runs fill /tmp.
    func temporaryDirectory(_ label: String) throws -> String {
        let name = "static-musl-test-\(label)-\(UUID().uuidString)"
        let parent = (NSTemporaryDirectory() as NSString).standardizingPath
        let dir = parent + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock {
            let fm = FileManager.default
            let siblings = (try? fm.contentsOfDirectory(atPath: parent))?.filter { $0.hasPrefix(name + "-") } ?? []
            for entry in [name] + siblings { try? fm.removeItem(atPath: parent + "/" + entry) }
        }
        return dir
    }
}
