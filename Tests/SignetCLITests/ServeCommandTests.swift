// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("signet serve as a process")
struct ServeCommandTests {
    @Test("--port 0 prints the URL; a token request is answered; SIGTERM stops it gracefully with status 0")
    func quickStart() async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try await Signet.run(
            [
                "keygen", "--bits", "2048", "--kid", "k1", "--out", dir.appendingPathComponent("key.pem").path,
                "--jwks", dir.appendingPathComponent("jwks.json").path,
            ])
        try #require(keygen.status == 0, "\(keygen)")

        let (process, url) = try Signet.launch(
            [
                "serve", "--api-key", "KEY-1", "--jwks", dir.appendingPathComponent("jwks.json").path, "--port", "0",
                "--log-level", "warning",
            ], expectedPrefix: "signet serve: listening on http://127.0.0.1:")
        defer { if process.isRunning { process.terminate() } }
        // The server runs on the system allocator: the benchmark's allocation counter is not in the process.
        let maps = try String(contentsOfFile: "/proc/\(process.processIdentifier)/maps", encoding: .utf8)
        #expect(!maps.contains("SignetMallocCounter"))

        let mint = try await Signet.run(
            [
                "mint", "--key", dir.appendingPathComponent("key.pem").path, "--kid", "k1", "--client-id", "KEY-1",
                "--profile", "rfc7523", "--aud", url + "/oauth2/token", "--alg", "RS512",
            ])
        try #require(mint.status == 0, "\(mint)")
        let assertion = mint.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var request = URLRequest(url: try #require(URL(string: url + "/oauth2/token")))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(
            ("grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
                + assertion).utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
        #expect(String(decoding: body, as: UTF8.self).contains(#""expires_in":"599""#))

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    @Test("--config with an unknown key fails with the key named, status 1")
    func badConfiguration() async throws {
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("serve.yaml")
        try Data("apim:\n  applicatons: []\n".utf8).write(to: file)
        let r = try await Signet.run(["serve", "--config", file.path, "--check"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("applicatons"), "\(r)")
    }

    /// `replay.store: postgres` is the CLI's to compose (the emulator module has no database): two `signet serve`
    /// processes on one PostgreSQL database share the replay window, as several APIM instances do.
    @Test(
        "two serve processes with replay.store postgres: an assertion used at one is a replay at the other",
        .enabled(if: ProcessInfo.processInfo.environment["SIGNET_TEST_POSTGRES_URL"].map { !$0.isEmpty } ?? false))
    func postgresReplayStoreAcrossProcesses() async throws {
        let database = try #require(ProcessInfo.processInfo.environment["SIGNET_TEST_POSTGRES_URL"])
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try await Signet.run([
            "keygen", "--bits", "2048", "--kid", "k1", "--out", dir.appendingPathComponent("key.pem").path,
            "--jwks", dir.appendingPathComponent("jwks.json").path,
        ])
        try #require(keygen.status == 0, "\(keygen)")
        let audience = "https://emulated.example/oauth2/token"
        let config = dir.appendingPathComponent("serve.yaml")
        try Data(
            """
            port: 0
            apim:
              audience: \(audience)
              applications: [{name: a, apiKey: KEY-1, jwks: jwks.json}]
            replay:
              store: postgres
              postgresURL: \(database)
              timeoutSeconds: 60

            """.utf8
        ).write(to: config)
        var servers: [(process: Process, url: String)] = []
        defer { for server in servers where server.process.isRunning { server.process.terminate() } }
        for _ in 0..<2 {
            servers.append(try Signet.launch(["serve", "--config", config.path, "--log-level", "error"]))
        }
        let mint = try await Signet.run([
            "mint", "--key", dir.appendingPathComponent("key.pem").path, "--kid", "k1", "--client-id", "KEY-1",
            "--profile", "rfc7523", "--aud", audience, "--alg", "RS512",
        ])
        try #require(mint.status == 0, "\(mint)")
        let form =
            "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
            + mint.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var answers: [(Int, String)] = []
        for server in servers {
            var request = URLRequest(url: try #require(URL(string: server.url + "/oauth2/token")))
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(form.utf8)
            let (body, response) = try await URLSession.shared.data(for: request)
            answers.append(((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: body, as: UTF8.self)))
        }
        #expect(answers[0].0 == 200, "\(answers[0].1)")
        #expect(answers[1].0 == 400, "\(answers[1].1)")
        #expect(answers[1].1.contains("jti"), "\(answers[1].1)")
    }
}
