import Foundation

private struct Sample: Codable, Equatable {
    var id: Int
    var name: String
    var ratio: Double
    var tags: [String]
    var missing: Int?
    var flag: Bool
    var nested: [String: Int]
}

private let sample = Sample(id: -42, name: "Grüße \"q\" / \u{1F600}", ratio: 0.1, tags: ["a", "b"],
                            missing: nil, flag: true, nested: ["z": 1, "a": 2])

let foundationChecks: [Check] = [
    Check("foundation.json.encode") {
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(sample), as: UTF8.self)
    },
    Check("foundation.json.encode.pretty") {
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try e.encode(["k": [1, 2]]), as: UTF8.self)
    },
    Check("foundation.json.doubles") {
        let e = JSONEncoder()
        return String(decoding: try e.encode([0.1, 1e300, -0.0, 3.141592653589793, 5e-324, 1e16]), as: UTF8.self)
    },
    Check("foundation.json.decode") {
        let text = #"{"id":9007199254740993,"name":"\u00e9\ud83d\ude00\n","ratio":1e-7,"tags":[],"flag":false,"nested":{}}"#
        struct Loose: Decodable { var id: Int64; var name: String; var ratio: Double; var flag: Bool }
        let v = try JSONDecoder().decode(Loose.self, from: Data(text.utf8))
        return "\(v.id) \(v.name.unicodeScalars.map { String($0.value, radix: 16) }) \(v.ratio) \(v.flag)"
    },
    Check("foundation.json.error") {
        do { _ = try JSONDecoder().decode([Int].self, from: Data("[1,".utf8)); return "no error" }
        catch DecodingError.dataCorrupted(let c) { return "dataCorrupted path=\(c.codingPath.count)" }
    },
    Check("foundation.jsonserialization") {
        let obj = try JSONSerialization.jsonObject(with: Data(#"{"a":[1,2.5,"x",null,true]}"#.utf8))
        let back = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        return String(decoding: back, as: UTF8.self)
    },
    Check("foundation.plist.xml") {
        let e = PropertyListEncoder(); e.outputFormat = .xml
        let data = try e.encode(sample)
        let back = try PropertyListDecoder().decode(Sample.self, from: data)
        return "\(data.count) bytes, roundtrip=\(back == sample)"
    },
    Check("foundation.plist.binary") {
        let e = PropertyListEncoder(); e.outputFormat = .binary
        let data = try e.encode(sample)
        let back = try PropertyListDecoder().decode(Sample.self, from: data)
        return "\(hex(data.prefix(8))) \(data.count) bytes, roundtrip=\(back == sample)"
    },
    Check("foundation.data.base64") {
        let d = Data((0..<40).map { UInt8($0 * 7 & 0xff) })
        let b = d.base64EncodedString(options: [.lineLength64Characters])
        return "\(b) \(Data(base64Encoded: b, options: .ignoreUnknownCharacters) == d)"
    },
    Check("foundation.data.ops") {
        var d = Data("hello".utf8); d.append(contentsOf: [0, 255]); d.replaceSubrange(0..<1, with: Data("J".utf8))
        return "\(hex(d)) \(d.range(of: Data("llo".utf8)).map { "\($0)" } ?? "nil")"
    },
    Check("foundation.fm.create_move") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            let a = dir.appendingPathComponent("a.txt"), b = dir.appendingPathComponent("sub/b.txt")
            let created = fm.createFile(atPath: a.path, contents: Data("x".utf8))
            try fm.createDirectory(at: b.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.moveItem(at: a, to: b)
            try fm.copyItem(at: b, to: a)
            var overwrite = "ok"
            do { try fm.moveItem(at: a, to: b) } catch { overwrite = describe(error) }
            return "created=\(created) a=\(fm.fileExists(atPath: a.path)) b=\(fm.fileExists(atPath: b.path)) moveOntoExisting=\(overwrite)"
        }
    },
    Check("foundation.fm.attributes") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            let f = dir.appendingPathComponent("f")
            fm.createFile(atPath: f.path, contents: Data(count: 1234))
            try fm.setAttributes([.posixPermissions: 0o640], ofItemAtPath: f.path)
            let a = try fm.attributesOfItem(atPath: f.path)
            let perms = (a[.posixPermissions] as? NSNumber)?.intValue ?? -1
            let size = (a[.size] as? NSNumber)?.intValue ?? -1
            let type = (a[.type] as? FileAttributeType)?.rawValue ?? "nil"
            let hasDates = a[.modificationDate] is Date && a[.creationDate] != nil
            let owner = (a[.ownerAccountID] as? NSNumber)?.intValue == Int(getuid())
            return "perms=\(String(perms, radix: 8)) size=\(size) type=\(type) dates=\(hasDates) owner=\(owner) readable=\(fm.isReadableFile(atPath: f.path)) executable=\(fm.isExecutableFile(atPath: f.path))"
        }
    },
    Check("foundation.fm.symlink") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            try fm.createDirectory(at: dir.appendingPathComponent("real"), withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "real")
            let dest = try fm.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link").path)
            let type = (try fm.attributesOfItem(atPath: dir.appendingPathComponent("link").path)[.type] as? FileAttributeType)?.rawValue ?? "nil"
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: dir.appendingPathComponent("link").path, isDirectory: &isDir)
            let resolved = dir.appendingPathComponent("link").resolvingSymlinksInPath().lastPathComponent
            return "dest=\(dest) type=\(type) exists=\(exists) isDir=\(isDir.boolValue) resolved=\(resolved)"
        }
    },
    Check("foundation.fm.enumerate") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            for p in ["a/b/c.txt", "a/d.txt", ".hidden/e", "f"] {
                let u = dir.appendingPathComponent(p)
                try fm.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = fm.createFile(atPath: u.path, contents: nil)
            }
            let all = (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).sorted()
            let shallow = try fm.contentsOfDirectory(atPath: dir.path).sorted()
            let skip = fm.enumerator(at: dir, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])?
                .compactMap { ($0 as? URL)?.lastPathComponent }.sorted() ?? []
            return "all=\(all) shallow=\(shallow) skipHidden=\(skip)"
        }
    },
    Check("foundation.fm.remove_tree") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            let tree = dir.appendingPathComponent("t")
            for p in ["x/y/z.txt", "x/w.txt", "v.txt"] {
                let u = tree.appendingPathComponent(p)
                try fm.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = fm.createFile(atPath: u.path, contents: Data("data".utf8))
            }
            try fm.copyItem(at: tree, to: dir.appendingPathComponent("copy"))
            let subpaths = try fm.subpathsOfDirectory(atPath: dir.appendingPathComponent("copy").path).sorted()
            try fm.removeItem(at: tree)
            return "copied=\(subpaths) removed=\(!fm.fileExists(atPath: tree.path))"
        }
    },
    Check("foundation.fm.errors") {
        let fm = FileManager.default
        var out: [String] = []
        do { try fm.removeItem(atPath: "/nonexistent-conformance/x") } catch { out.append(describe(error)) }
        do { _ = try fm.contentsOfDirectory(atPath: "/nonexistent-conformance") } catch { out.append(describe(error)) }
        do { _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent-conformance")) } catch { out.append(describe(error)) }
        return out.joined(separator: "; ")
    },
    Check("foundation.fm.tempfile") {
        let tmp = FileManager.default.temporaryDirectory
        let url = tmp.appendingPathComponent("conformance-\(UUID().uuidString).txt")
        try "äöü\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let back = try String(contentsOf: url, encoding: .utf8)
        return "tmp=\(tmp.path) NSTemporaryDirectory=\(NSTemporaryDirectory()) roundtrip=\(back == "äöü\n")"
    },
    Check("foundation.fm.cwd") {
        try withScratchFolder { dir in
            let fm = FileManager.default
            let old = fm.currentDirectoryPath
            defer { fm.changeCurrentDirectoryPath(old) }
            let ok = fm.changeCurrentDirectoryPath(dir.path)
            let now = fm.currentDirectoryPath
            return "changed=\(ok) matches=\(URL(fileURLWithPath: now).resolvingSymlinksInPath().path == dir.resolvingSymlinksInPath().path)"
        }
    },
    Check("foundation.url.parse") {
        guard let u = URL(string: "https://user:pw@例え.jp:8443/a b/../c/%7Euser?q=1&r=a%20b#frag") ?? URL(string: "https://user:pw@xn--r8jz45g.jp:8443/a%20b/../c/%7Euser?q=1&r=a%20b#frag") else { return "nil" }
        let c = URLComponents(url: u, resolvingAgainstBaseURL: false)
        return "\(u.absoluteString) host=\(u.host ?? "nil") port=\(u.port ?? -1) path=\(u.path) std=\(u.standardized.path) items=\(c?.queryItems?.map { "\($0.name)=\($0.value ?? "")" } ?? [])"
    },
    Check("foundation.url.file") {
        let u = URL(fileURLWithPath: "/tmp/a b/c.tar.gz")
        let rel = URL(string: "../x/y?z", relativeTo: URL(string: "http://h/a/b/c"))!
        return "\(u.absoluteString) ext=\(u.pathExtension) last=\(u.lastPathComponent) parent=\(u.deletingLastPathComponent().path) rel=\(rel.absoluteString) enc=\("a b/ü?".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "nil")"
    },
    Check("foundation.path.nsstring") {
        let p = "~/dir/../file.tar.gz" as NSString
        return "\(p.lastPathComponent) \(p.deletingPathExtension) \(p.pathExtension) \(("/a/./b/../c/" as NSString).standardizingPath) \(NSString.path(withComponents: ["/", "x", "y"])) tilde=\(p.expandingTildeInPath.hasPrefix("~") ? "unexpanded" : "expanded")"
    },
    Check("foundation.uuid") {
        let u = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        let r = UUID().uuidString
        let version = r[r.index(r.startIndex, offsetBy: 14)]
        return "\(u.uuidString) \(u.uuid.0) randomVersion=\(version)"
    },
]
