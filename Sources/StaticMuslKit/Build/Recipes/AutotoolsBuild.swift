import Foundation

/// A configure-and-make build of one library in a working copy of its Debian
/// tree (the unpacked tree is shared, so it is never configured in place),
/// compiled for musl.
///
/// **How `CC` links.** configure compiles *and links* its test programs, and
/// runs some of them, so `CC` must link a static musl executable that runs
/// here. clang with `--sysroot` finds the sysroot's crt1.o and libc.a, but
/// not crtbegin/crtend or libgcc (it looks for a GCC installation for the
/// musl triple inside the sysroot, and there is none), so a bare link fails
/// (`cannot open crtend.o`, `undefined reference to __divti3`). `-B` and `-L`
/// to the host GCC's folder make clang's driver use that GCC's crtbeginT.o,
/// crtend.o, libgcc.a and libgcc_eh.a, the very objects the sysroot's
/// musl-gcc (and so the final musl link) uses; `-fuse-ld=bfd` picks GNU ld,
/// the final link's linker, over clang's default (gold here). The
/// alternative, `--rtlib=compiler-rt -fuse-ld=lld`, also links and runs, but
/// with another runtime library than the product's link, so configure would
/// test a different link. `-static` cannot go into LDFLAGS: libtool takes
/// it as its own option and drops it, so a program linked through libtool
/// (sqlite3's lemon) came out dynamic and failed for want of libgcc_s.so.1.
/// So `CC` is a small script in the build folder, `musl-cc`: clang for musl,
/// plus `-static -B -L -fuse-ld=bfd` when the command links (no `-c`, `-S`,
/// `-E`, `-M`, `-MM`, `-fsyntax-only`). One exec of /bin/sh per compile costs
/// about a millisecond.
///
/// **CFLAGS.** `-O2 -fPIC` as Debian builds them, `-ffunction-sections
/// -fdata-sections` so the musl link's `--gc-sections` drops what a program
/// does not call, and GCC 12's leniency: clang 16 and later reject implicit
/// `int` and implicit function declarations, which the configure scripts of
/// 2022 still write (`main() { … }`); as errors they turn "yes" into a silent
/// "no" (curl's IPv6 check did). Debian built these trees with GCC 12, which
/// only warns, so `-Wno-error=` on those four diagnostics gives the answers
/// Debian got.
public struct AutotoolsBuild {
    public let compiler: MuslCCompiler
    /// The working copy, where configure and make run.
    public let source: String
    /// The `CC` script.
    public let cc: String
    /// What configure and make run with; a recipe may add to it before it runs them.
    public var environment: [String: String]

    public static let compatibilityFlags = ["-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
                                            "-Wno-error=int-conversion", "-Wno-error=incompatible-function-pointer-types"]
    public static let baseCFlags = ["-O2", "-fPIC", "-ffunction-sections", "-fdata-sections"]

    /// Copies `tree` to `workDirectory/src` and writes `workDirectory/musl-cc`.
    /// `dependencies`' include and lib folders go into CPPFLAGS and LDFLAGS.
    public init(compiler: MuslCCompiler, tree: String, workDirectory: String, dependencies: [BuiltLibrary],
                extraCFlags: [String] = []) throws {
        self.compiler = compiler
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        source = workDirectory + "/src"
        try Self.copyTree(tree, to: source)
        cc = workDirectory + "/musl-cc"
        try Self.wrapperScript(compiler: compiler, gccDirectory: try compiler.gccLibraryDirectory())
            .write(toFile: cc, atomically: true, encoding: .utf8)
        guard chmod(cc, 0o755) == 0 else { throw LibraryError.compileFailed(source: cc, error: "chmod failed") }
        let pkgconfig = workDirectory + "/pkgconfig"
        try FileManager.default.createDirectory(atPath: pkgconfig, withIntermediateDirectories: true)

        var env = ProcessInfo.processInfo.environment
        // Nothing of the host's compiler setup or of a calling make leaks in.
        for name in ["CPATH", "C_INCLUDE_PATH", "LIBRARY_PATH", "LIBS", "CPP", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                     "GNUMAKEFLAGS", "CCACHE_DIR", "LD_LIBRARY_PATH"] {
            env[name] = nil
        }
        env["CC"] = cc
        env["CFLAGS"] = (Self.baseCFlags + Self.compatibilityFlags + extraCFlags).joined(separator: " ")
        env["CPPFLAGS"] = dependencies.map { "-I" + $0.includeDirectory }.joined(separator: " ")
        env["LDFLAGS"] = dependencies.map { "-L" + $0.libDirectory }.joined(separator: " ")
        env["AR"] = "ar"
        env["RANLIB"] = "ranlib"
        env["NM"] = "nm"
        env["STRIP"] = "strip"
        // The host's .pc files (libpsl, zstd, …) must not be found: only what a
        // recipe names exists for it.
        env["PKG_CONFIG_LIBDIR"] = pkgconfig
        env["PKG_CONFIG_PATH"] = ""
        env["CONFIG_SITE"] = "/dev/null"
        env["LC_ALL"] = "C"
        environment = env
    }

    /// The `CC` script: see the type's comment.
    static func wrapperScript(compiler: MuslCCompiler, gccDirectory: String) -> String {
        let compile = ([compiler.clang] + compiler.targetFlags).map(shellQuoted).joined(separator: " ")
        let link = ["-static", "-B" + gccDirectory, "-L" + gccDirectory, "-fuse-ld=bfd"].map(shellQuoted).joined(separator: " ")
        return """
        #!/bin/sh
        # clang for \(HostTriple.musl) against the musl sysroot, written by static-musl
        # for one library build. A command that links also gets -static and the
        # host GCC's crtbeginT.o/crtend.o/libgcc.a/libgcc_eh.a (those musl-gcc
        # links with), linked by GNU ld like the final musl link.
        for arg in "$@"; do
            case $arg in
            -c|-S|-E|-M|-MM|-fsyntax-only) exec \(compile) "$@" ;;
            esac
        done
        exec \(compile) "$@" \(link)

        """
    }

    static func shellQuoted(_ word: String) -> String {
        if word.allSatisfy({ $0.isLetter || $0.isNumber || "-_=./+,:@%".contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `cp -a`: keeps the timestamps, so make does not try to rerun
    /// autoconf/automake on a file that only looks newer.
    public static func copyTree(_ tree: String, to destination: String) throws {
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let r = try ProcessRunner.run("cp", ["-a", tree + "/.", destination], timeout: 600)
        guard r.succeeded else { throw LibraryError.compileFailed(source: tree, error: "cp -a failed: " + r.stderr) }
    }

    /// `./configure ARGS` in the working copy; a failure reports configure's
    /// last words and the end of config.log (the failed check and its compiler
    /// output), not the variable dump that closes the log.
    public func configure(_ arguments: [String], variables: [String] = []) throws {
        let r = try ProcessRunner.run("/bin/sh", ["./configure"] + arguments + variables, environment: environment,
                                      currentDirectory: source, timeout: 1800)
        guard r.succeeded else {
            let log = (try? String(contentsOfFile: source + "/config.log", encoding: .utf8)) ?? ""
            throw LibraryError.compileFailed(source: source + "/configure",
                                             error: BuildLogSummary.configureFailure(output: r.stdout + r.stderr, configLog: log, timedOut: r.timedOut))
        }
    }

    /// `make -jN TARGETS` (in `directory`, relative to the working copy).
    public func make(_ targets: [String], directory: String? = nil, variables: [String] = [], jobs: Int = 2) throws {
        var args = ["-j\(jobs)"]
        if let directory { args += ["-C", directory] }
        try run("make", args + variables + targets, what: "make \(targets.joined(separator: " "))")
    }

    /// Runs a tool in the working copy with the build's environment.
    @discardableResult
    public func run(_ tool: String, _ arguments: [String], what: String, timeout: Double = 3600) throws -> ProcessResult {
        let r = try ProcessRunner.run(tool, arguments, environment: environment, currentDirectory: source, timeout: timeout)
        guard r.succeeded else {
            throw LibraryError.compileFailed(source: "\(source) (\(what))",
                                             error: BuildLogSummary.toolFailure(output: r.stdout + "\n" + r.stderr, timedOut: r.timedOut))
        }
        return r
    }

    public func path(_ relative: String) -> String { source + "/" + relative }
}

/// A few useful lines from a failed build, instead of its whole output.
public enum BuildLogSummary {
    static let maxLines = 14
    static let maxLineLength = 300

    /// The first error lines (the first one is usually the cause), then the
    /// last lines of the output.
    public static func toolFailure(output: String, timedOut: Bool) -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let errors = lines.filter(isErrorLine)
        var picked = Array(errors.prefix(8))
        for line in lines.suffix(4) where !picked.contains(line) { picked.append(line) }
        return (timedOut ? "timed out; " : "") + format(picked)
    }

    /// configure's last lines ("configure: error: …") and, from config.log, the
    /// lines before its closing dump of cache and output variables, without
    /// the confdefs listing of each failed test program.
    public static func configureFailure(output: String, configLog: String, timedOut: Bool) -> String {
        let said = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).suffix(3)
        var log = configLog.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if let end = log.firstIndex(where: { $0.contains("## Cache variables. ##") }) { log = Array(log[..<end]) }
        let body = log.filter { !$0.hasPrefix("| ") && !$0.hasPrefix("## ") && !$0.allSatisfy { $0 == "#" || $0 == "-" } }
        let picked = Array(said) + ["config.log:"] + body.suffix(maxLines - said.count)
        return (timedOut ? "timed out; " : "") + format(picked)
    }

    static func isErrorLine(_ line: String) -> Bool {
        let l = line.lowercased()
        return l.contains("error:") || l.contains("error ") && l.contains("***") || l.contains("undefined reference")
            || l.contains("no such file") || l.contains("fatal") || l.hasPrefix("make: ***") || l.contains("cannot find")
    }

    static func format(_ lines: [String]) -> String {
        lines.prefix(maxLines).map { $0.count > maxLineLength ? String($0.prefix(maxLineLength)) + "…" : $0 }
            .joined(separator: "\n")
    }
}
