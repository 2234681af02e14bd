// SPDX-License-Identifier: Apache-2.0

import Foundation
import Logging
import PostgresNIO
import ReplayGuard
import ReplayGuardPostgres
import TestSupport
import Testing

/// The test database: `SIGNET_TEST_POSTGRES_URL`, `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE` over TCP without
/// TLS (`./dev test` starts a throwaway server with `.ci/postgres` and sets it; trust authentication on loopback).
enum TestDatabase {
    static let variable = "SIGNET_TEST_POSTGRES_URL"
    static let url: String? = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    static let skipReason: Comment =
        "SIGNET_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (`./dev test` starts one)"

    struct BadURL: Error, CustomStringConvertible {
        let url: String
        var description: String { "\(TestDatabase.variable) is not postgres://user@host:port/database: \(url)" }
    }

    static func configuration() throws -> PostgresClient.Configuration {
        guard let url, let parts = URLComponents(string: url), let host = parts.host, let user = parts.user,
            parts.scheme == "postgres" || parts.scheme == "postgresql"
        else { throw BadURL(url: url ?? "") }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        return PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password,
            database: database.isEmpty ? nil : database, tls: .disable)
    }

    /// A table name no other test uses.
    static func uniqueTable() -> String {
        "signet_replay_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    /// Runs `body` with `count` independent clients (each its own connection pool, as separate server instances
    /// have), running for the duration, and drops `table` afterwards.
    static func withClients<T: Sendable>(
        _ count: Int, table: String, _ body: @Sendable ([PostgresClient]) async throws -> T
    ) async throws -> T {
        let configuration = try configuration()
        let clients = (0..<count).map { _ in PostgresClient(configuration: configuration) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            do {
                let result = try await body(clients)
                try await clients[0].query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"))
                return result
            } catch {
                _ = try? await clients[0].query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"))
                throw error
            }
        }
    }

    /// One migrated guard per client, all on `table`.
    static func guards(
        _ clients: [PostgresClient], table: String, batch: Int = 1000
    ) async throws
        -> [PostgresReplayGuard]
    {
        let guards = try clients.map { client in
            try PostgresReplayGuard(
                client: client, configuration: .init(tableName: table, timeout: hangGuard, purgeBatchSize: batch))
        }
        for replayGuard in guards { try await replayGuard.migrate() }
        return guards
    }
}

@Suite(.enabled(if: TestDatabase.url != nil, TestDatabase.skipReason))
struct PostgresReplayGuardTests {
    @Test func firstUseThenReplay() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.firstUseThenReplay(TestDatabase.guards(clients, table: table)[0])
        }
    }

    @Test func expiryReadmits() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.expiryReadmits(TestDatabase.guards(clients, table: table)[0])
        }
    }

    @Test func comparesBytes() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.comparesBytes(TestDatabase.guards(clients, table: table)[0])
        }
    }

    @Test func rejectsBadInput() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.rejectsBadInput(
                TestDatabase.guards(clients, table: table)[0],
                maximumFieldLength: ReplayGuardLimits.defaultMaximumFieldLength)
        }
    }

    @Test func oneThousandConcurrentClaimsOneFirstUse() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.concurrentClaims(TestDatabase.guards(clients, table: table), count: 1000)
        }
    }

    /// Two instances (two clients, two pools, two guards) on one database: a pair claimed on one is a replay on the
    /// other, and 1,000 concurrent claims split across both still give exactly one first use.
    @Test func twoInstancesShareOneWindow() async throws {
        let t0 = GuardBehaviour.t0
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(2, table: table) { clients in
            let guards = try await TestDatabase.guards(clients, table: table)
            try await check(guards[0], "app", "shared", until: t0 + 300, now: t0, .firstUse)
            try await check(guards[1], "app", "shared", until: t0 + 300, now: t0 + 1, .replay(firstSeen: t0))
            try await check(guards[1], "app", "other", until: t0 + 300, now: t0, .firstUse)
            try await check(guards[0], "app", "other", until: t0 + 300, now: t0 + 1, .replay(firstSeen: t0))
            try await GuardBehaviour.concurrentClaims(guards, count: 1000)
        }
    }

    /// Expired rows go in bounded batches; live rows stay and still count as replays; a purge finds nothing twice.
    @Test func purgesExpiredRowsInBatches() async throws {
        let t0 = GuardBehaviour.t0
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            let replayGuard = try await TestDatabase.guards(clients, table: table, batch: 7)[0]
            for index in 0..<50 {
                _ = try await replayGuard.claim(subject: "s", jti: "old\(index)", until: t0 + 10, now: t0)
            }
            for index in 0..<5 {
                _ = try await replayGuard.claim(subject: "s", jti: "live\(index)", until: t0 + 1000, now: t0)
            }
            // Bounded: 3 batches of 7 delete 21 of the 50 expired rows.
            let bounded = try await replayGuard.purgeExpired(now: t0 + 10, maximumBatches: 3)
            #expect(bounded == 21)
            let rest = try await replayGuard.purgeExpired(now: t0 + 10)
            #expect(rest == 29)
            let again = try await replayGuard.purgeExpired(now: t0 + 10)
            #expect(again == 0)
            let rows = try await clients[0].query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))
            for try await count in rows.decode(Int64.self) { #expect(count == 5) }
            try await check(replayGuard, "s", "live3", until: t0 + 2000, now: t0 + 20, .replay(firstSeen: t0))
            try await check(replayGuard, "s", "old3", until: t0 + 2000, now: t0 + 20, .firstUse)
        }
    }

    /// The scheduled purge runs until cancelled and deletes what expired.
    @Test func scheduledPurgeRuns() async throws {
        let t0 = GuardBehaviour.t0
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            let replayGuard = try await TestDatabase.guards(clients, table: table)[0]
            for index in 0..<10 {
                _ = try await replayGuard.claim(subject: "s", jti: "j\(index)", until: t0 + 10, now: t0)
            }
            let purging = Task { await replayGuard.runPurging(every: .milliseconds(20)) { t0 + 60 } }
            let emptied = try await eventually {
                var remaining: Int64 = -1
                let rows = try await clients[0].query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"))
                for try await count in rows.decode(Int64.self) { remaining = count }
                return remaining == 0
            }
            purging.cancel()
            await purging.value
            #expect(emptied)
        }
    }

    /// Differential: the same random sequence gives the same outcomes from PostgreSQL as from the model.
    @Test func matchesModel() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            try await GuardBehaviour.matchesModel(
                TestDatabase.guards(clients, table: table)[0], capacity: .max, seed: 7, count: 1_500)
        }
    }

    @Test func missingTableIsAConfigurationError() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClients(1, table: table) { clients in
            let replayGuard = try PostgresReplayGuard(
                client: clients[0], configuration: .init(tableName: table, timeout: hangGuard))
            let t0 = GuardBehaviour.t0
            await #expect(throws: ReplayGuardError(.invalidConfiguration, reason: "")) {
                try await replayGuard.claim(subject: "s", jti: "j", until: t0 + 1, now: t0)
            }
        }
    }
}

/// What needs no server: configuration checks, and a store that is not there.
@Suite struct PostgresReplayGuardOfflineTests {
    static let unreachable = PostgresClient.Configuration(
        host: "127.0.0.1", port: 1, username: "nobody", password: nil, database: nil, tls: .disable)

    static let badNames: [String] = [
        "", "1table", "t-x", "a.b.c", "t;drop", "\"t\"", "t\u{E5}", String(repeating: "t", count: 49),
    ]
    static let goodNames: [String] = [
        "signet_replay", "public.signet_replay", "_T9", String(repeating: "t", count: 48),
    ]

    @Test(arguments: badNames)
    func rejectsTableName(_ name: String) {
        let client = PostgresClient(configuration: Self.unreachable)
        #expect(throws: ReplayGuardError(.invalidConfiguration, reason: "")) {
            try PostgresReplayGuard(client: client, configuration: .init(tableName: name))
        }
    }

    @Test(arguments: goodNames)
    func acceptsTableName(_ name: String) throws {
        let client = PostgresClient(configuration: Self.unreachable)
        _ = try PostgresReplayGuard(client: client, configuration: .init(tableName: name))
    }

    /// Nothing listens on port 1: the claim fails closed with `replay.timeout` instead of waiting for the pool, which
    /// keeps trying to connect and would hold the lease for ever. Alone it returns after its 300 ms; under the full
    /// suite on 2 cores, CPU-bound tests hold both cooperative threads and every timer resumes late (128 s in one CI
    /// run, the loopback suites alike), so the bound is the time limit, which still fails a claim that never returns.
    @Test(.timeLimit(.minutes(10)))
    func unreachableStoreTimesOut() async throws {
        let client = PostgresClient(configuration: Self.unreachable)
        let replayGuard = try PostgresReplayGuard(
            client: client, configuration: .init(timeout: .milliseconds(300)))
        let t0 = GuardBehaviour.t0
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            await #expect(throws: ReplayGuardError(.timeout, reason: "")) {
                try await replayGuard.claim(subject: "s", jti: "j", until: t0 + 1, now: t0)
            }
            group.cancelAll()
        }
    }
}
