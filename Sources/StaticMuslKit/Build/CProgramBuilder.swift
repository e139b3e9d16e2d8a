import Foundation

/// The C-only probe variants. Raw values are the variant names the suites
/// print ("c-glibc-dynamic", …).
public enum CVariant: String, Codable, CaseIterable, Sendable {
    case glibcDynamic = "c-glibc-dynamic"     // gcc
    case glibcStatic = "c-glibc-static"       // gcc -static
    case muslStatic = "c-musl-static"         // musl-gcc -static
    case muslStaticPie = "c-musl-static-pie"  // musl-gcc, linked by hand with rcrt1.o
    case glibcStaticPie = "c-glibc-static-pie" // gcc -static-pie

    public var libc: String { rawValue.contains("musl") ? "musl" : "glibc" }
}

public enum CBuildError: Error, CustomStringConvertible {
    case compilerMissing(String, package: String)
    case compileFailed(String, String)

    public var description: String {
        switch self {
        case .compilerMissing(let cc, let package):
            return "\(cc) is missing: install the Debian package '\(package)' (toolchain/build-static.sh does this when run as root)"
        case .compileFailed(let what, let log): return "compiling \(what) failed:\n\(log)"
        }
    }
}

/// Compiles a standalone C program from CShim/programs (plus CShim/src
/// files it needs) for one libc. Outputs are cached by content hash under
/// `cacheDirectory`, so suites can ask for them freely.
public struct CProgramBuilder: Sendable {
    public var projectRoot: String
    public var cacheDirectory: String

    public init(projectRoot: String, cacheDirectory: String? = nil) {
        self.projectRoot = projectRoot
        self.cacheDirectory = cacheDirectory ?? projectRoot + "/.build-static/c-programs"
    }

    /// - Parameters:
    ///   - sources: paths relative to the project root (e.g. "CShim/programs/dns_probe.c").
    ///   - extraFlags: added to the compile line (e.g. ["-lpthread"]).
    /// - Returns: the absolute path of the binary.
    ///   - withShim: also compile every CShim/src/*.c (the cshim_ library), so
    ///     programs call the same bindings Swift uses.
    public func build(name: String, sources: [String], variant: CVariant, extraFlags: [String] = [],
                      strip: Bool = false, withShim: Bool = true) throws -> String {
        let cc = variant.libc == "musl" ? "musl-gcc" : "gcc"
        guard ProcessRunner.which(cc) != nil else {
            throw CBuildError.compilerMissing(cc, package: cc == "musl-gcc" ? "musl-tools" : "gcc")
        }
        var absSources = sources.map { $0.hasPrefix("/") ? $0 : projectRoot + "/" + $0 }
        if withShim {
            let src = projectRoot + "/CShim/src"
            absSources += ((try? FileManager.default.contentsOfDirectory(atPath: src)) ?? [])
                .filter { $0.hasSuffix(".c") }.sorted().map { "\(src)/\($0)" }
        }
        var flags = ["-O2", "-g", "-std=gnu11", "-I", projectRoot + "/CShim/include", "-D_GNU_SOURCE", "-pthread"]
        if variant.libc == "musl" { flags.append("-DCSHIM_MUSL_VERSION=\"\(ToolchainVersions.muslVersion())\"") }
        switch variant {
        case .glibcDynamic: break
        case .glibcStatic, .muslStatic: flags.append("-static")
        case .glibcStaticPie: flags += ["-static-pie", "-fPIE"]
        case .muslStaticPie: flags += ["-fPIE"]
        }
        if strip { flags.append("-s") }
        // Cache key: the sources' bytes, the headers' bytes, the flags.
        var key = Hasher.Stable()
        for path in absSources + headerFiles() {
            key.add(path); key.add(FileManager.default.contents(atPath: path) ?? Data())
        }
        key.add((flags + extraFlags + [variant.rawValue, cc]).joined(separator: " "))
        let folder = "\(cacheDirectory)/\(variant.rawValue)"
        let output = "\(folder)/\(name)-\(key.hex)"
        if FileManager.default.isExecutableFile(atPath: output) { return output }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = output + ".tmp"
        let result: ProcessResult
        if variant == .muslStaticPie {
            // Debian's musl-gcc -static-pie silently makes a dynamic binary;
            // link a real static PIE by hand: rcrt1.o, -static -pie, no loader.
            let lib = "/usr/lib/x86_64-linux-musl"
            let objects = try absSources.enumerated().map { (i, src) -> String in
                let obj = "\(temp).\(i).o"
                let r = try ProcessRunner.run(cc, flags + ["-c", src, "-o", obj], timeout: 120)
                guard r.succeeded else { throw CBuildError.compileFailed(src, r.stderr) }
                return obj
            }
            let gccLib = (try? ProcessRunner.run("gcc", ["-print-libgcc-file-name"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? "-lgcc"
            result = try ProcessRunner.run("ld", ["-static", "-pie", "--no-dynamic-linker", "-z", "text", "-o", temp,
                                                  "\(lib)/rcrt1.o", "\(lib)/crti.o"] + objects
                                           + ["-L\(lib)", "-lc", gccLib, "\(lib)/crtn.o"] + (strip ? ["-s"] : []),
                                           timeout: 120)
            objects.forEach { try? FileManager.default.removeItem(atPath: $0) }
        } else {
            result = try ProcessRunner.run(cc, flags + absSources + ["-o", temp] + extraFlags, timeout: 300)
        }
        guard result.succeeded else { throw CBuildError.compileFailed("\(name) (\(variant.rawValue))", result.stderr) }
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.moveItem(atPath: temp, toPath: output)
        return output
    }

    private func headerFiles() -> [String] {
        let dir = projectRoot + "/CShim/include"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { "\(dir)/\($0)" }
    }
}

extension Hasher {
    /// FNV-1a 64: stable across processes (Swift's Hasher is seeded).
    struct Stable {
        private var state: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ data: Data) { for b in data { state = (state ^ UInt64(b)) &* 0x100_0000_01b3 } }
        mutating func add(_ s: String) { add(Data(s.utf8)); add(Data([0])) }
        var hex: String { String(state, radix: 16) }
    }
}
