// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

/// `signet verify --jwks URL` and `signet doctor --jwks URL` against a real JWKS server on loopback.
@Suite struct JWKSURLTests {
    static let unreachable = "The JWKS endpoint, for your client_assertion can't be reached"

    /// Runs `signet` on a thread of its own: waiting for the process must not hold a Swift concurrency thread that
    /// the loopback server (in this process) needs to answer it.
    static func signet(_ arguments: [String], in directory: URL? = nil) async throws -> Signet.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Signet.run(arguments, in: directory) })
            }
        }
    }

    static func serving(_ body: String) -> LoopbackJWKSServer.Behaviour {
        LoopbackJWKSServer.Behaviour(body: Array(body.utf8))
    }

    @Test func verifyAndDoctorWithAJWKSURL() async throws {
        let keys = try KeyDirectory()
        let token = try keys.mint()
        let jwks = try String(contentsOfFile: keys.path("jwks.json"), encoding: .utf8)
        try await LoopbackJWKSServer.with(Self.serving(jwks)) { server, url in
            let verified = try await Self.signet([
                "verify", "--jwks", url, "--iss", "abc", "--aud", "https://int.api.service.nhs.uk/oauth2/token", token,
            ])
            #expect(verified.status == 0, "\(verified)")
            #expect(verified.stdout.contains(#""iss":"abc""#))
            let doctor = try await Self.signet(["doctor", "--jwks", url, "--client-id", "abc", "--env", "int", token])
            #expect(doctor.status == 0, "\(doctor)")
            #expect(doctor.stdout.contains("signature verified"), "\(doctor)")
            #expect(server.hits == 2)
        }
        // The same set as a file gives the same verdict (the URL path is not a different verifier).
        let fromFile = try await Self.signet(["verify", "--jwks", keys.path("jwks.json"), "--iss", "abc", token])
        #expect(fromFile.status == 0, "\(fromFile)")
        // A token signed by another key does not verify against the served set.
        let other = try KeyDirectory()
        let foreign = try other.mint()
        try await LoopbackJWKSServer.with(Self.serving(jwks)) { _, url in
            let rejected = try await Self.signet(["verify", "--jwks", url, foreign])
            #expect(rejected.status == 2, "\(rejected)")
            #expect(rejected.stderr.contains("JWSError."))
        }
    }

    @Test func anUnreachableURLIsTypedAndNamesAPIMsString() async throws {
        let keys = try KeyDirectory()
        let token = try keys.mint()
        // A port that was just listening and is now closed refuses connections.
        let url = try await LoopbackJWKSServer.with(Self.serving("{}")) { _, url in url }
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
        let keys = try KeyDirectory()
        let token = try keys.mint()
        for body in ["<html><body>Moved</body></html>", #"{"keys": []}"#, #"{"keys": [{"kty": "EC"}]}"#] {
            try await LoopbackJWKSServer.with(Self.serving(body)) { _, url in
                let verify = try await Self.signet(["verify", "--jwks", url, token])
                #expect(verify.status == 1, "\(body): \(verify)")
                #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.not-jwks: "), "\(verify)")
                let doctor = try await Self.signet(["doctor", "--jwks", url, "--env", "int", token])
                #expect(doctor.status == 2, "\(doctor)")
                #expect(doctor.stdout.contains("ERROR jwks.not-jwks  [jwks]"), "\(body): \(doctor)")
                #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
            }
        }
        // A status other than 200 is its own code.
        var missing = Self.serving("not found")
        missing.status = 404
        try await LoopbackJWKSServer.with(missing) { _, url in
            let doctor = try await Self.signet(["doctor", "--jwks", url, "--env", "int", token])
            #expect(doctor.stdout.contains("ERROR jwks.http-status  [jwks]"), "\(doctor)")
            let verify = try await Self.signet(["verify", "--jwks", url, token])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("RemoteJWKSError.remote-jwks.http-status"), "\(verify)")
        }
    }

    /// Plain http is refused before any connection is tried, unless the host is loopback.
    @Test func plainHTTPToANonLoopbackHostIsRefused() async throws {
        let keys = try KeyDirectory()
        let token = try keys.mint()
        for url in ["http://example.invalid/jwks", "HTTP://10.0.0.1/jwks", "http://127.0.0.1.example.invalid/jwks"] {
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
        let keys = try KeyDirectory()
        let token = try keys.mint()
        var silent = Self.serving(try String(contentsOfFile: keys.path("jwks.json"), encoding: .utf8))
        silent.headDelay = .seconds(60)
        try await LoopbackJWKSServer.with(silent) { server, url in
            let clock = ContinuousClock()
            let start = clock.now
            let verify = try await Self.signet(["verify", "--jwks", url, "--jwks-timeout", "1", token])
            let elapsed = clock.now - start
            #expect(verify.status == 1, "\(verify)")
            #expect(verify.stderr.hasPrefix("signet: RemoteJWKSError.remote-jwks.timeout: "), "\(verify)")
            // One second of waiting, plus process start-up on a loaded machine; far less than the server's delay.
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(20), "\(elapsed)")
            let doctor = try await Self.signet([
                "doctor", "--jwks", url, "--jwks-timeout", "0.5", "--env", "int", token,
            ])
            #expect(doctor.status == 2)
            #expect(doctor.stdout.contains("ERROR jwks.timeout  [jwks]"), "\(doctor)")
            #expect(doctor.stdout.contains("endpoint says: \"\(Self.unreachable)\""), "\(doctor)")
            #expect(server.hits == 2)
        }
        let bad = try await Self.signet(["verify", "--jwks", "jwks.json", "--jwks-timeout", "0", token])
        #expect(bad.status == 64, "\(bad)")
    }
}
