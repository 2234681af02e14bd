// SPDX-License-Identifier: Apache-2.0

import Foundation
import TestSupport
import Testing

/// `signet verify --jwks URL` and `signet doctor --jwks URL` against a real JWKS server on loopback.
@Suite struct JWKSURLTests {
    static let unreachable = "The JWKS endpoint, for your client_assertion can't be reached"

    /// Runs `signet` on a thread of its own: waiting for the process must not hold a Swift concurrency thread that
    /// the loopback server (in this process) needs to answer it.
    static func signet(_ arguments: [String], in directory: URL? = nil) async throws -> Signet.Result {
        try await Signet.run(arguments, in: directory)
    }

    static func serving(_ body: String) -> LoopbackJWKSServer.Behaviour {
        LoopbackJWKSServer.Behaviour(body: Array(body.utf8))
    }

    @Test func verifyAndDoctorWithAJWKSURL() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        let jwks = try String(contentsOfFile: keys.path("jwks.json"), encoding: .utf8)
        try await LoopbackJWKSServer.with(Self.serving(jwks)) { server, url in
            // The server runs in this process, beside other suites: a generous fetch timeout, so that a busy
            // machine never turns a slow answer into a failure.
            let verified = try await Self.signet([
                "verify", "--jwks", url, "--jwks-timeout", "60", "--iss", "abc", "--aud",
                "https://int.api.service.nhs.uk/oauth2/token", token,
            ])
            #expect(verified.status == 0, "\(verified)")
            #expect(verified.stdout.contains(#""iss":"abc""#))
            let doctor = try await Self.signet([
                "doctor", "--jwks", url, "--jwks-timeout", "60", "--client-id", "abc", "--env", "int", token,
            ])
            #expect(doctor.status == 0, "\(doctor)")
            #expect(doctor.stdout.contains("signature verified"), "\(doctor)")
            #expect(server.hits == 2)
        }
        // The same set as a file gives the same verdict (the URL path is not a different verifier).
        let fromFile = try await Self.signet(["verify", "--jwks", keys.path("jwks.json"), "--iss", "abc", token])
        #expect(fromFile.status == 0, "\(fromFile)")
        // A token signed by another key does not verify against the served set.
        let other = try await KeyDirectory()
        let foreign = try await other.mint()
        try await LoopbackJWKSServer.with(Self.serving(jwks)) { _, url in
            let rejected = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "60", foreign])
            #expect(rejected.status == 2, "\(rejected)")
            #expect(rejected.stderr.contains("JWSError."))
        }
    }

    @Test func anUnreachableURLIsTypedAndNamesAPIMsString() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        // A port held by a socket that does not listen refuses connections (and no other test's server can take it).
        let closed = try #require(PortReservation.any())
        defer { withExtendedLifetime(closed) {} }
        let url = "http://127.0.0.1:\(closed.port)/jwks"
        // Refused connections are retried until the timeout; then they are reported as unreachable.
        let verify = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "2", token])
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.unreachable: "), "\(verify)")
        #expect(verify.stdoutBytes.isEmpty)
        let doctor = try await Self.signet(["doctor", "--jwks", url, "--jwks-timeout", "2", "--env", "int", token])
        #expect(doctor.status == 2, "\(doctor)")
        #expect(doctor.stdout.contains("ERROR jwks.unreachable  [jwks]"), "\(doctor)")
        #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
        #expect(doctor.stdout.contains("signature could not be checked"), "\(doctor)")
        let json = try await Self.signet([
            "doctor", "--jwks", url, "--jwks-timeout", "2", "--env", "int", "--json", token,
        ])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdoutBytes)) as? [String: Any], "\(json)")
        let findings = try #require(object["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["code"] as? String == "jwks.unreachable" })
        #expect(finding["endpointError"] as? String == Self.unreachable)
        #expect(finding["severity"] as? String == "error")
    }

    @Test func aBodyThatIsNotAJWKS() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        for body in ["<html><body>Moved</body></html>", #"{"keys": []}"#, #"{"keys": [{"kty": "EC"}]}"#] {
            try await LoopbackJWKSServer.with(Self.serving(body)) { _, url in
                let verify = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "60", token])
                #expect(verify.status == 1, "\(body): \(verify)")
                #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.not-jwks: "), "\(verify)")
                let doctor = try await Self.signet([
                    "doctor", "--jwks", url, "--jwks-timeout", "60", "--env", "int", token,
                ])
                #expect(doctor.status == 2, "\(doctor)")
                #expect(doctor.stdout.contains("ERROR jwks.not-jwks  [jwks]"), "\(body): \(doctor)")
                #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
            }
        }
        // A status other than 200 is its own code.
        var missing = Self.serving("not found")
        missing.status = 404
        try await LoopbackJWKSServer.with(missing) { _, url in
            let doctor = try await Self.signet(["doctor", "--jwks", url, "--jwks-timeout", "60", "--env", "int", token])
            #expect(doctor.stdout.contains("ERROR jwks.http-status  [jwks]"), "\(doctor)")
            let verify = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "60", token])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("RemoteJWKSError.remote-jwks.http-status"), "\(verify)")
        }
    }

    /// Plain http is refused before any connection is tried, unless the host is loopback.
    @Test func plainHTTPToANonLoopbackHostIsRefused() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        for url in [
            "http://example.invalid/jwks", "HTTP://10.0.0.1/jwks", "http://127.0.0.1.example.invalid/jwks",
            "http://localhost:x@example.invalid/jwks.json", "http://localhost./jwks",
        ] {
            let verify = try await Self.signet(["verify", "--jwks", url, token])
            #expect(verify.status == 1, "\(url): \(verify)")
            #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.not-https: "), "\(verify)")
            #expect(verify.stderr.contains("only for a loopback host"), "\(verify)")
            let doctor = try await Self.signet(["doctor", "--jwks", url, "--env", "int", token])
            #expect(doctor.status == 2)
            #expect(doctor.stdout.contains("ERROR jwks.not-https  [jwks]"), "\(url): \(doctor)")
            #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
        }
        // A URL-shaped argument that is not an absolute URL is not read as a file either.
        let invalid = try await Self.signet(["verify", "--jwks", "https://", token])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("RemoteJWKSError.remote-jwks.invalid-url"), "\(invalid)")
    }

    @Test func theTimeoutIsHonoured() async throws {
        let keys = try await KeyDirectory()
        let token = try await keys.mint()
        // The server never answers while the test runs (it releases the answer when it stops), so a timeout is the
        // only way either command can end: its error, not a stopwatch, proves the option was honoured.
        var silent = Self.serving(try String(contentsOfFile: keys.path("jwks.json"), encoding: .utf8))
        silent.hold = Gate()
        try await LoopbackJWKSServer.with(silent) { server, url in
            let start = ContinuousClock.now
            let verify = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "1", token])
            #expect(verify.status == 1, "\(verify)")
            #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.timeout: "), "\(verify)")
            // It waited at least the second it was given (a lower bound: a busy machine only adds to it).
            #expect(ContinuousClock.now - start >= .milliseconds(900))
            let doctor = try await Self.signet([
                "doctor", "--jwks", url, "--jwks-timeout", "0.5", "--env", "int", token,
            ])
            #expect(doctor.status == 2)
            #expect(doctor.stdout.contains("ERROR jwks.timeout  [jwks]"), "\(doctor)")
            #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
            // Each command asked at most once (whether a request got through before its deadline on a busy
            // machine is timing, so it is not counted exactly).
            #expect(server.hits <= 2)
        }
        let bad = try await Self.signet(["verify", "--jwks", "jwks.json", "--jwks-timeout", "0", token])
        #expect(bad.status == 64, "\(bad)")
    }
}
