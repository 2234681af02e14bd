// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// `signet token` against `signet serve` (both as processes): the token on stdout, refusals explained on stderr
/// with exit status 2, usage errors 64, transport failures 1.
@Suite("signet token as a process")
struct TokenCommandTests {
    let fixtures: ExampleFixtures
    init() async throws { fixtures = try await ExampleFixtures() }

    func token(_ arguments: String) async throws -> Signet.Result {
        try await Signet.shell("signet token " + arguments, in: fixtures.url, environment: fixtures.environment)
    }

    static let base = #"--key key.pem --kid prod-1 --client-id "$API_KEY" --env int --token-url "$TOKEN_URL""#

    @Test("prints the access token, or the whole answer with --json")
    func success() async throws {
        let plain = try await token(Self.base)
        #expect(plain.status == 0, "\(plain)")
        let lines = plain.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].count > 20)
        let json = try await token(Self.base + " --json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout.contains(#""expires_in":"599""#))
        #expect(!json.stderr.contains("PRIVATE KEY"))
    }

    @Test("options from --config; the command line wins; an unknown key is named")
    func configuration() async throws {
        let fromFile = try await token(#"--config token.yaml --token-url "$TOKEN_URL""#)
        #expect(fromFile.status == 0, "\(fromFile)")
        let overridden = try await token(#"--config token.yaml --token-url "$TOKEN_URL" --kid nope --jwks jwks.json"#)
        #expect(overridden.status == 2, "\(overridden)")
        try "key: key.pem\nclientid: abc\n".write(
            to: fixtures.url.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try await token("--config bad.yaml")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown key 'clientid'"))
    }

    @Test("a refusal exits 2 with APIM's string, its message_id and the doctor's findings")
    func refusalIsExplained() async throws {
        let wrongKid = try await token(Self.base.replacingOccurrences(of: "prod-1", with: "nope") + " --jwks jwks.json")
        #expect(wrongKid.status == 2, "\(wrongKid)")
        #expect(wrongKid.stdout.isEmpty)
        #expect(wrongKid.stderr.contains("Invalid 'kid' header in client_assertion JWT - no matching public key"))
        #expect(wrongKid.stderr.contains("message_id"))
        #expect(wrongKid.stderr.contains("header.kid-unknown"))

        let wrongEnv = try await token(Self.base.replacingOccurrences(of: "--env int", with: "--env prod"))
        #expect(wrongEnv.status == 2)
        #expect(wrongEnv.stderr.contains("Missing or invalid 'aud' claim in client_assertion JWT"))
        #expect(wrongEnv.stderr.contains("https://api.service.nhs.uk/oauth2/token"))
    }

    @Test("an id_token APIM would refuse is not sent: exit 2 with the string APIM would answer")
    func exchangeChecksFirst() async throws {
        let r = try await token(Self.base + " --exchange Sr5PGv19wTEHJdDr2wx2f7IGd0cw")
        #expect(r.status == 2, "\(r)")
        #expect(r.stderr.contains("token-client.request-invalid"))
        #expect(r.stderr.contains("Malformed JWT in subject_token"))
    }

    @Test("usage errors exit 64; an endpoint that cannot be reached exits 1 with the typed code")
    func usageAndTransport() async throws {
        let plainHTTP = try await token(
            "--key key.pem --kid prod-1 --client-id abc --token-url http://example.com/token")
        #expect(plainHTTP.status == 64, "\(plainHTTP)")
        #expect(plainHTTP.stderr.contains("plain http"))
        let fapi = try await token("--key key.pem --kid prod-1 --client-id abc --profile fapi")
        #expect(fapi.status == 64)
        let unreachable = try await token(
            "--key key.pem --kid prod-1 --client-id abc --token-url http://127.0.0.1:1/token --retries 0 --timeout 1")
        #expect(unreachable.status == 1, "\(unreachable)")
        #expect(
            unreachable.stderr.contains("token-client.unreachable")
                || unreachable.stderr.contains("token-client.timeout"))
    }
}
