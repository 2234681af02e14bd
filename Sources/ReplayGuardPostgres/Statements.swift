// SPDX-License-Identifier: Apache-2.0

import PostgresNIO
import ReplayGuard

/// The guard's SQL for one table, built once from a checked identifier; every value is a bind parameter.
struct Statements: Sendable {
    /// `INSERT … ON CONFLICT`: binds subject, jti, now, expiry; returns (uses, first_seen). All `SET` expressions
    /// read the row as it was, so an expired record is re-admitted (uses back to 1) and a live one only counted.
    let claim: String
    /// Deletes up to $2 rows expired at $1 (locked with SKIP LOCKED); returns the count.
    let purge: String
    let createTable: String
    let createIndex: String
    /// The advisory-lock key `migrate()` takes: FNV-1a of the table name, stable across processes.
    let lockKey: Int64

    init(tableName: String) throws(ReplayGuardError) {
        let parts = tableName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, parts.allSatisfy(Self.isPlainIdentifier),
            let last = parts.last, last.utf8.count <= 48
        else {
            throw ReplayGuardError(
                .invalidConfiguration,
                reason: "table name \"\(tableName)\" is not [schema.]identifier of letters, digits and _ (≤ 48)")
        }
        let table = parts.map { "\"\($0)\"" }.joined(separator: ".")
        let index = "\"\(last)_expires_at\""
        claim = """
            INSERT INTO \(table) AS r (subject, jti, first_seen, expires_at, uses) VALUES ($1, $2, $3, $4, 1)
            ON CONFLICT (subject, jti) DO UPDATE SET
                first_seen = CASE WHEN r.expires_at <= $3 THEN EXCLUDED.first_seen ELSE r.first_seen END,
                expires_at = CASE WHEN r.expires_at <= $3 THEN EXCLUDED.expires_at ELSE r.expires_at END,
                uses = CASE WHEN r.expires_at <= $3 THEN 1 ELSE r.uses + 1 END
            RETURNING uses, first_seen
            """
        purge = """
            WITH doomed AS (
                SELECT subject, jti FROM \(table) WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED),
            deleted AS (
                DELETE FROM \(table) AS r USING doomed d
                WHERE r.subject = d.subject AND r.jti = d.jti AND r.expires_at <= $1 RETURNING 1)
            SELECT count(*) FROM deleted
            """
        createTable = """
            CREATE TABLE IF NOT EXISTS \(table) (
                subject bytea NOT NULL,
                jti bytea NOT NULL,
                first_seen bigint NOT NULL,
                expires_at bigint NOT NULL,
                uses bigint NOT NULL,
                PRIMARY KEY (subject, jti))
            """
        createIndex = "CREATE INDEX IF NOT EXISTS \(index) ON \(table) (expires_at)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in tableName.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        lockKey = Int64(bitPattern: hash)
    }

    /// `SELECT pg_advisory_xact_lock($1)` for this table.
    func lock() -> PostgresQuery {
        var binds = PostgresBindings(capacity: 1)
        binds.append(lockKey)
        return PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock($1)", binds: binds)
    }

    /// Letters, digits and `_`, not starting with a digit, not empty (ASCII only: no quoting subtleties).
    static func isPlainIdentifier(_ part: Substring) -> Bool {
        guard let first = part.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return part.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
