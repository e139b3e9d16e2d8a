import Foundation

/// SQLite (Debian's `sqlite3`, 3.40): libsqlite3.a from the amalgamation.
///
/// Debian's source is SQLite's full tree, not the amalgamation, so the recipe
/// configures a copy (with the musl `CC`, so `sqlite_cfg.h` describes musl)
/// and runs `make sqlite3.c`: tclsh (the host's) and two helper programs,
/// lemon and mkkeywordhash, which the same `CC` builds as static musl
/// executables that run here, generate it. Then sqlite3.c is compiled once by
/// clang for musl with the flags below.
///
/// Flags, and why:
/// - `-D_HAVE_SQLITE_CONFIG_H`: read the configure results (`HAVE_USLEEP`,
///   `HAVE_LOCALTIME_R`, `HAVE_GMTIME_R`, `HAVE_FDATASYNC`, `HAVE_PREAD`, …).
///   Without them `sqlite3_sleep` rounds up to whole seconds and
///   `localtime()` is used unlocked.
/// - `SQLITE_THREADSAFE=1` (serialized: one connection may be used from
///   several threads, as Debian builds it).
/// - `SQLITE_OMIT_LOAD_EXTENSION`: `load_extension()` needs dlopen, which a
///   static musl binary does not have; the omission also drops the dlopen
///   reference.
/// - The features Debian's libsqlite3 has, so SQL that runs against it runs
///   here: FTS3 (with parentheses), FTS4, FTS5, R*Tree, column metadata,
///   unlock notify, the dbstat table, secure delete, URI file names,
///   250000 host parameters, the math functions. Left out of Debian's list:
///   `SQLITE_OMIT_LOOKASIDE` (slower), `SQLITE_ENABLE_FTS3_TOKENIZER` (off
///   upstream for security), `SQLITE_ENABLE_UPDATE_DELETE_LIMIT` (needs a
///   parser generated with it), and a few rarely used ones (session,
///   preupdate hook, soundex, stmt vtab).
/// - `-O2 -fPIC -ffunction-sections -fdata-sections`.
public struct SQLite3Recipe: LibraryRecipe {
    public var name: String { "sqlite3" }
    public var debianSource: String { "sqlite3" }
    public var linkNames: [String] { ["sqlite3"] }
    public var recipeVersion: Int { 1 }

    static let features = ["-DSQLITE_THREADSAFE=1", "-DSQLITE_OMIT_LOAD_EXTENSION",
                           "-DSQLITE_ENABLE_FTS3", "-DSQLITE_ENABLE_FTS3_PARENTHESIS", "-DSQLITE_ENABLE_FTS4",
                           "-DSQLITE_ENABLE_FTS5", "-DSQLITE_ENABLE_RTREE", "-DSQLITE_ENABLE_COLUMN_METADATA",
                           "-DSQLITE_ENABLE_UNLOCK_NOTIFY", "-DSQLITE_ENABLE_DBSTAT_VTAB", "-DSQLITE_SECURE_DELETE",
                           "-DSQLITE_USE_URI=1", "-DSQLITE_MAX_VARIABLE_NUMBER=250000", "-DSQLITE_ENABLE_MATH_FUNCTIONS"]

    public init() {}

    public func build(tree: String, prefix: String, compiler: MuslCCompiler, dependencies: [BuiltLibrary]) throws {
        let build = try AutotoolsBuild(compiler: compiler, tree: tree, workDirectory: prefix + "/build", dependencies: dependencies)
        try build.configure(["--disable-shared", "--enable-static", "--disable-tcl", "--disable-readline",
                             "--disable-load-extension", "--enable-threadsafe", "--enable-fts5", "--disable-amalgamation"],
                            variables: ["TCLSH_CMD=tclsh"])
        try build.make(["sqlite3.c"], jobs: 1)
        let object = prefix + "/build/obj/sqlite3.o"
        try compiler.compile(build.path("sqlite3.c"), to: object,
                             flags: AutotoolsBuild.baseCFlags + ["-D_HAVE_SQLITE_CONFIG_H", "-I", build.source] + Self.features)
        try compiler.archive([object], into: prefix + "/lib/libsqlite3.a")
        try compiler.install(headers: [build.path("sqlite3.h"), build.path("sqlite3ext.h")], into: prefix + "/include")
    }
}
