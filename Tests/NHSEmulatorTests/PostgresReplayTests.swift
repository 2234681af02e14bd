// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Foundation
import NHSEmulator
import PostgresNIO
import ReplayGuard
import ReplayGuardPostgres
import TestSupport
import Testing

/// `SIGNET_TEST_POSTGRES_URL` (`./dev test` starts a throwaway server and sets it).
enum SharedDatabase {
    static let url: String? = ProcessInfo.processInfo.environment["SIGNET_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    static func configuration() throws -> PostgresClient.Configuration {
        guard let url, let parts = URLComponents(string: url), let host = parts.host, let user = parts.user else {
            throw ConfigurationError("SIGNET_TEST_POSTGRES_URL is not postgres://user@host:port/database")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        return PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password,
            database: database.isEmpty ? nil : database, tls: .disable)
    }
}

@Suite("Two signet serve instances sharing one PostgreSQL replay window")
struct PostgresReplayTests {
    @Test(
        "an assertion accepted by one instance is a replay at the other (E19)",
        .enabled(
            if: SharedDatabase.url != nil,
            "SIGNET_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (`./dev test` starts one)"))
    func replayAcrossInstances() async throws {
        let table = "signet_replay_emulator_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let clients = [
            PostgresClient(configuration: try SharedDatabase.configuration()),
            PostgresClient(configuration: try SharedDatabase.configuration()),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            defer { group.cancelAll() }
            let guards = try clients.map { client in
                // A generous timeout: the suite runs beside CPU-heavy tests on two cores.
                try PostgresReplayGuard(client: client, configuration: .init(tableName: table, timeout: hangGuard))
            }
            try await guards[0].migrate()
            var configuration = try RunningEmulator.configuration()
            configuration.apim.audience = "https://token.example/oauth2/token"
            let form = Assertion.form(
                Assertion.token(claims: Assertion.claims(aud: "https://token.example/oauth2/token")))
            let first = try await RunningEmulator.with(configuration, replayGuard: guards[0]) {
                try await $0.token(form)
            }
            let second = try await RunningEmulator.with(configuration, replayGuard: guards[1]) {
                try await $0.token(form)
            }
            #expect(first.status == 200, "\(first.body)")
            #expect(second.status == 400)
            #expect(second.description == NHSEndpointMessages.assertionJtiReused)
            _ = try? await clients[0].query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"))
        }
    }
}
