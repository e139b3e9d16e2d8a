import CSQLite
import Foundation

// An in-memory database: a table, 1,000 rows inserted through one prepared
// statement in a transaction, then a sum, a LIKE and SQLite's own version.
func check(_ code: Int32, _ what: String, _ db: OpaquePointer?) {
    guard code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW else {
        print("sqlite-sum: \(what) failed: \(String(cString: sqlite3_errmsg(db)))")
        exit(1)
    }
}

func queryInt(_ db: OpaquePointer?, _ sql: String) -> Int64 {
    var statement: OpaquePointer?
    check(sqlite3_prepare_v2(db, sql, -1, &statement, nil), sql, db)
    defer { sqlite3_finalize(statement) }
    check(sqlite3_step(statement), sql, db)
    return sqlite3_column_int64(statement, 0)
}

var db: OpaquePointer?
check(sqlite3_open(":memory:", &db), "open", db)
check(sqlite3_exec(db, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount INTEGER NOT NULL)", nil, nil, nil), "create", db)
check(sqlite3_exec(db, "BEGIN", nil, nil, nil), "begin", db)
var insert: OpaquePointer?
check(sqlite3_prepare_v2(db, "INSERT INTO items (name, amount) VALUES (?, ?)", -1, &insert, nil), "prepare insert", db)
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
for i in 1...1000 {
    let name = i % 7 == 0 ? "widget-\(i)" : "item-\(i)"
    sqlite3_bind_text(insert, 1, name, -1, transient)
    sqlite3_bind_int64(insert, 2, Int64(i * 3))
    check(sqlite3_step(insert), "insert \(i)", db)
    sqlite3_reset(insert)
}
sqlite3_finalize(insert)
check(sqlite3_exec(db, "COMMIT", nil, nil, nil), "commit", db)
print("rows: \(queryInt(db, "SELECT count(*) FROM items"))")
print("sum(amount): \(queryInt(db, "SELECT sum(amount) FROM items"))")
print("LIKE 'widget-%': \(queryInt(db, "SELECT count(*) FROM items WHERE name LIKE 'widget-%'"))")
print("LIKE '%-99_': \(queryInt(db, "SELECT count(*) FROM items WHERE name LIKE '%-99_'"))")
print("max(id) where amount < 1500: \(queryInt(db, "SELECT max(id) FROM items WHERE amount < 1500"))")
sqlite3_close(db)
print("sqlite-sum: ok")
