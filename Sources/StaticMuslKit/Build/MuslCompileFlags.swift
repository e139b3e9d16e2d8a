import Foundation

/// One flag of SwiftPM's compile command that the musl compile did not
/// pass through as it was. Recorded in the manifest: nothing is dropped
/// silently.
public struct FlagNote: Codable, Sendable, Equatable, Hashable {
    public var flag: String
    public var action: String          // "dropped" or "replaced"
    public var reason: String
}

/// Where a musl compile finds its headers.
public struct MuslHeaderPaths: Sendable, Equatable {
    public var sysroot: String            // --sysroot
    public var include: String            // musl's and the kernel's headers
    public var clangResource: String      // clang's own headers (stddef.h, intrinsics)
    public var moduleCache: String        // a module cache apart from SwiftPM's glibc one
    /// C++ only: libstdc++'s headers configured for musl (the sysroot's), searched first.
    public var cxxInclude: [String] = []
    /// The include folders of the libraries built for this link (zlib, …), after musl's.
    public var libraryInclude: [String] = []
}

/// Turns SwiftPM's compile command (clang, glibc target) into the same
/// compile for musl. Every flag of the target is kept (defines, include
/// paths, language standard, -fblocks, -fPIC, optimisation, module maps);
/// only what names the glibc target, the host's headers or SwiftPM's
/// incremental bookkeeping changes, and each change is noted.
public enum MuslCompileFlags {
    /// Folders whose headers are glibc's: a package that adds them would
    /// mix glibc's headers into a musl compile.
    static let hostHeaderFolders: Set<String> = ["/usr/include", "/usr/local/include", "/usr/include/\(HostTriple.gnu)",
                                                  "/usr/include/\(HostTriple.arch)-linux-gnu"]   // Debian/Ubuntu multiarch

    /// clang, `--target=<arch>-unknown-linux-musl`, `-nostdinc` and explicit
    /// include paths: the package's targets.
    public static func clang(_ command: CompileCommand, output: String, headers: MuslHeaderPaths) -> (arguments: [String], notes: [FlagNote]) {
        var out: [String] = []
        var notes: [FlagNote] = []
        let a = command.arguments
        var i = 0
        func next() -> String? { i + 1 < a.count ? a[i + 1] : nil }
        while i < a.count {
            let flag = a[i]
            switch flag {
            case "-target", "--target":
                notes.append(FlagNote(flag: "\(flag) \(next() ?? "")", action: "replaced", reason: "--target=\(HostTriple.musl)"))
                i += 2; continue
            case "-c", "-o":
                i += 2; continue                     // re-added for this compile's own paths
            case "-MD", "-MMD":
                i += 1; continue                     // dependency files (see the note below)
            case "-MT", "-MF", "-MQ":
                i += 2; continue
            case "-index-store-path":
                notes.append(FlagNote(flag: "-index-store-path", action: "dropped", reason: "editor index only"))
                i += 2; continue
            case "-I", "-isystem", "-idirafter":
                if let dir = next(), hostHeaderFolders.contains(normalized(dir)) {
                    notes.append(FlagNote(flag: "\(flag) \(dir)", action: "dropped", reason: "the host's glibc headers"))
                } else if let dir = next() {
                    out += [flag, dir]
                }
                i += 2; continue
            case "--sysroot", "-isysroot":
                notes.append(FlagNote(flag: "\(flag) \(next() ?? "")", action: "replaced", reason: "the musl sysroot"))
                i += 2; continue
            default: break
            }
            if flag.hasPrefix("--target=") {
                notes.append(FlagNote(flag: flag, action: "replaced", reason: "--target=\(HostTriple.musl)"))
            } else if flag.hasPrefix("-I") || flag.hasPrefix("-isystem"), hostHeaderFolders.contains(normalized(String(flag.drop(while: { $0 != "/" })))) {
                notes.append(FlagNote(flag: flag, action: "dropped", reason: "the host's glibc headers"))
            } else if flag.hasPrefix("--sysroot=") {
                notes.append(FlagNote(flag: flag, action: "replaced", reason: "the musl sysroot"))
            } else if flag.hasPrefix("-fmodules-cache-path=") {
                out.append("-fmodules-cache-path=" + headers.moduleCache)   // glibc-built modules must not be reused
            } else {
                out.append(flag)
            }
            i += 1
        }
        if a.contains("-MD") || a.contains("-MMD") {
            notes.append(FlagNote(flag: "-MD -MT -MF", action: "dropped", reason: "dependency files for SwiftPM's incremental build; each musl link recompiles"))
        }
        var musl = ["--target=\(HostTriple.musl)", "--sysroot=\(headers.sysroot)", "-nostdinc"]
        if command.language == .cxx {
            musl.append("-nostdinc++")
            for dir in headers.cxxInclude { musl += ["-isystem", dir] }
        }
        musl += ["-isystem", headers.clangResource + "/include", "-isystem", headers.include]
        for dir in headers.libraryInclude { musl += ["-isystem", dir] }
        return (musl + out + ["-c", command.source, "-o", output], notes)
    }

    /// The project's own C (CShim) goes through the sysroot's musl-gcc, as
    /// the design asks: GCC takes the flags it shares with clang.
    public static func gcc(_ command: CompileCommand, output: String, muslVersion: String) -> (arguments: [String], notes: [FlagNote]) {
        var out = ["-O2"]
        var notes: [FlagNote] = []
        let a = command.arguments
        var i = 0
        let withValue: Set<String> = ["-I", "-D", "-U", "-iquote", "-isystem", "-include"]
        let kept = ["-I", "-D", "-U", "-std=", "-O", "-W", "-fno-builtin", "-fno-omit", "-fPIC", "-fvisibility",
                    "-ffunction", "-fdata", "-fno-strict"]
        while i < a.count {
            let flag = a[i]
            if withValue.contains(flag), i + 1 < a.count {
                out += [flag, a[i + 1]]; i += 2; continue
            }
            if ["-c", "-o", "-MT", "-MF"].contains(flag) { i += 2; continue }
            if flag == "-target" || flag == "-index-store-path" {
                notes.append(FlagNote(flag: "\(flag) \(i + 1 < a.count ? a[i + 1] : "")", action: "dropped",
                                      reason: flag == "-target" ? "musl-gcc compiles for the sysroot's musl" : "editor index only"))
                i += 2; continue
            }
            if flag == "-g" || flag == "-w" || kept.contains(where: { flag.hasPrefix($0) }) {
                out.append(flag)
            } else if flag != "-MD" {
                notes.append(FlagNote(flag: flag, action: "dropped", reason: "clang-only; CShim is compiled by musl-gcc"))
            }
            i += 1
        }
        out += ["-DCSHIM_MUSL_VERSION=\"\(muslVersion)\"", "-c", command.source, "-o", output]
        return (out, notes)
    }

    static func normalized(_ dir: String) -> String {
        var d = dir
        while d.count > 1 && d.hasSuffix("/") { d.removeLast() }
        return d
    }
}
