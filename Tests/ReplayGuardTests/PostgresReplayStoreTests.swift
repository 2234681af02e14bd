// SPDX-License-Identifier: Apache-2.0

import Logging
import PostgresNIO
import ReplayGuard
import ReplayGuardPostgres
import TestSupport
import Testing

/// The store `signet serve` makes from `replay.postgresURL`: its URL reading, and its run around a server.
@Suite("PostgresReplayStore")
struct PostgresReplayStoreTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(
        "a URL that is not postgres://user[:password]@host[:port]/database is refused before anything connects",
        arguments: [
            "", "mysql://u@h/db", "postgres://h/db", "postgres://@h/db", "postgres://u@/db", "postgres://u@h:0/db",
            "postgres://u@h:65536/db", "postgres://u@h:x/db", "postgres://u@h:1:2/db",
        ])
    func badURLs(_ url: String) {
        do {
            _ = try PostgresReplayStore(url: url, logger: Self.logger, now: { 0 })
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == .invalidConfiguration, "\(error)")
        }
    }

    @Test(
        "good URLs make a store without connecting",
        arguments: [
            "postgres://u@127.0.0.1/db", "postgresql://u:p@localhost:5433/db",
            "postgres://u@localhost/db?sslmode=disable",
            "postgres://u:p%40ss@h:1/db",
        ])
    func goodURLs(_ url: String) throws {
        _ = try PostgresReplayStore(url: url, logger: Self.logger, now: { 0 })
    }

    /// Run around a "server": the table exists before the server's first claim, a second claim of the same pair
    /// is a replay, and the pool stops with the server.
    @Test("run(beside:) creates the table first and claims go through it", .enabled(if: TestDatabase.url != nil))
    func runsAroundTheServer() async throws {
        let table = TestDatabase.uniqueTable()
        let url = try #require(TestDatabase.url)
        let store = try PostgresReplayStore(
            url: url, tableName: table, timeout: hangGuard, logger: Self.logger, now: { 1_000 })
        try await store.run {
            let first = try await store.claim(subject: "s", jti: "j", until: 2_000, now: 1_000)
            let second = try await store.claim(subject: "s", jti: "j", until: 2_000, now: 1_001)
            #expect(first == .firstUse)
            #expect(second == .replay(firstSeen: 1_000))
        }
        try await TestDatabase.withClients(1, table: table) { _ in }
    }
}
