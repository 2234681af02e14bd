// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Foundation
import NHSEmulator
import Testing
import Yams

@Suite("The serve configuration file")
struct ConfigurationTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/serve.yaml")

    /// YAML read as `signet serve` reads it: Yams's decoder inside ``EmulatorConfiguration/decoded(_:)``.
    static func yaml(_ text: String) throws(ConfigurationError) -> EmulatorConfiguration {
        try EmulatorConfiguration.decoded { try YAMLDecoder().decode(EmulatorConfiguration.self, from: text) }
    }

    @Test("examples/serve.yaml loads, and its paths resolve next to the file")
    func exampleLoads() throws {
        let text = try String(contentsOf: Self.example, encoding: .utf8)
        let c = try Self.yaml(text).resolvingPaths(relativeTo: "/etc/signet")
        #expect(c.apim.environment == .integration)
        #expect(c.apim.applications.map(\.apiKey) == ["my-api-key"])
        #expect(c.apim.applications.first?.jwks == "/etc/signet/jwks.json")
        #expect(c.cis2.clients.first?.clientID == "1234.apps.supplier")
        #expect(c.checks.isOn(.jtiReplay))
        #expect(c.host == "127.0.0.1")
    }

    @Test("defaults: loopback, APIM's lifetimes, every check on")
    func defaults() throws {
        let c = try Self.yaml("{}")
        #expect(c.host == "127.0.0.1")
        #expect(c.apim.accessTokenLifetime == 599)
        #expect(c.apim.jwksCacheSeconds == 3600)
        #expect(!c.apim.jwksRefetchOnUnknownKeyID)
        #expect(c.apim.cis2JWKSCacheSeconds == 86_400)
        #expect(APIMCheck.allCases.allSatisfy { c.checks.isOn($0) })
    }

    @Test(
        "misspelt keys, unknown checks and wrong types are errors that name them",
        arguments: [
            ("apim: {applicatons: []}", "applicatons"),
            ("checks: {apim: {jtiReplayy: false}}", "jtiReplayy"),
            ("port: high", "port"),
            ("apim: {applications: [{jwks: x.json}]}", "apiKey"),
            ("replay: {store: redis}", "redis"),
            ("replay: {timeoutSeconds: 0}", "timeoutSeconds"),
        ])
    func rejects(_ yaml: String, _ named: String) {
        do {
            _ = try Self.yaml(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)".contains(named), "\(error)")
        }
    }

    @Test("JSON loads without a YAML parser, and its errors name the path too")
    func jsonLoads() throws {
        let c = try EmulatorConfiguration.load(json: #"{"port": 8080, "apim": {"environment": "int"}}"#)
        #expect(c.port == 8080)
        #expect(c.apim.environment == .integration)
        do {
            _ = try EmulatorConfiguration.load(json: #"{"apim": {"applicatons": []}}"#)
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect("\(error)".contains("applicatons"), "\(error)")
        }
    }

    /// A postgres store named in the file is the composition root's to make: the server alone refuses it instead
    /// of silently keeping replays in memory.
    @Test("replay.store postgres without a store given is refused, naming what to do")
    func postgresStoreIsTheCallersToMake() throws {
        let c = try Self.yaml("replay: {store: postgres, postgresURL: 'postgres://u@127.0.0.1:1/db'}")
        do {
            _ = try NHSEmulatorServer(configuration: c)
            Issue.record("the server started without its PostgreSQL store")
        } catch {
            #expect(error.reason.contains("no PostgreSQL store"), "\(error)")
        }
    }

    @Test("a switched-off check lets the next fault through: exp too far, then jti replay off")
    func switches() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.checks.apimOff = [.expTooFar, .jtiReplay]
        try await RunningEmulator.with(configuration) { run in
            let form = cc(["exp": String(RunningEmulator.now + 3600)])(run)
            let first = try await run.token(form)
            let second = try await run.token(form)
            #expect(first.status == 200, "\(first.body)")
            #expect(second.status == 200, "\(second.body)")
        }
    }
}
