// SPDX-License-Identifier: Apache-2.0

import JWS
import Logging
import RemoteJWKS
import SignetKeys
import TestSupport
import Testing

enum RemoteFixtures {
    static let keyA = generate()
    static let keyB = generate()
    static let keyC = generate()

    private static func generate() -> RSAPublicKey {
        do { return try RSAPrivateKey.generate(bits: 2048).publicKey } catch { fatalError("fixture: \(error)") }
    }

    /// A set of A as `a`; with `b`, B as `b` too.
    static let setA = JWKSet.document([(keyA, "a", .rs512)])
    static let setAB = JWKSet.document([(keyA, "a", .rs512), (keyB, "b", .rs512)])
    static let setC = JWKSet.document([(keyC, "c", .rs512)])

    static let quiet = Logger(label: "test.remote-jwks", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A test configuration: plain http on loopback allowed, round numbers for the cache, and timeouts generous
    /// enough for a loopback server starved by CPU-bound suites running beside it (tests that expect a timeout or
    /// a refused connection set their own).
    static func configuration(
        ttl: Duration = .seconds(100), refreshAhead: Duration = .zero, refetch: Bool = false,
        cooldown: Duration = .seconds(60), stale: Duration = .seconds(50), retry: Duration = .seconds(10)
    ) -> RemoteJWKSet.Configuration {
        RemoteJWKSet.Configuration(
            timeToLive: ttl, refreshAhead: refreshAhead, refetchOnUnknownKeyID: refetch, unknownKeyIDCooldown: cooldown,
            serveStaleFor: stale, retryAfterFailure: retry, connectTimeout: .seconds(15), requestTimeout: .seconds(30),
            allowInsecureHTTP: true)
    }
}

extension JWKSet {
    var keyIDs: [String?] { keys.map(\.keyID) }
}

/// Expects `body` to throw a `RemoteJWKSError` with `code`, and returns it.
@discardableResult
func expectRemoteError(
    _ code: RemoteJWKSError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RemoteJWKSError? {
    do {
        try await body()
        Issue.record("expected \(code), got no error", sourceLocation: sourceLocation)
        return nil
    } catch let error as RemoteJWKSError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Remote JWKS over loopback HTTP")
struct RemoteJWKSetTests {
    @Test func fetchesOnceAndServesFromCache() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setAB) { server, url async throws in
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(), logger: RemoteFixtures.quiet, clock: clock)
            #expect(server.hits == 0)  // nothing is fetched at creation
            let set = try await remote.keySet()
            #expect(set.keyIDs == ["a", "b"])
            #expect(set.keys[0].publicKey.rsa?.modulus == RemoteFixtures.keyA.modulus)
            for _ in 0..<20 {
                clock.advance(by: .seconds(4))
                _ = try await remote.keySet()
                #expect(try await remote.key(forKeyID: "b")?.publicKey.rsa?.modulus == RemoteFixtures.keyB.modulus)
            }
            #expect(server.hits == 1)
            #expect(remote.fetchCount == 1)
        }
    }

    @Test func refetchesWhenTheTimeToLiveEnds() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(), logger: RemoteFixtures.quiet, clock: clock)
            #expect(try await remote.keySet().keyIDs == ["a"])
            server.serve(RemoteFixtures.setC)
            clock.set(.seconds(99))
            #expect(try await remote.keySet().keyIDs == ["a"])
            #expect(server.hits == 1)
            clock.set(.seconds(100))
            #expect(try await remote.keySet().keyIDs == ["c"])  // the caller waits for the new set
            #expect(server.hits == 2)
            clock.set(.seconds(199))
            #expect(try await remote.keySet().keyIDs == ["c"])
            #expect(server.hits == 2)
        }
    }

    @Test func refreshesInTheBackgroundBeforeExpiry() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(refreshAhead: .seconds(20)),
                logger: RemoteFixtures.quiet, clock: clock)
            _ = try await remote.keySet()
            server.serve(RemoteFixtures.setC)
            clock.set(.seconds(79))
            #expect(try await remote.keySet().keyIDs == ["a"])
            #expect(server.hits == 1)
            // Inside the window: the caller gets the current set at once, and a refresh starts behind it. The
            // server holds the refresh at a gate until the test opens it, so the old set returned proves the caller
            // did not wait.
            let gate = Gate()
            server.update { $0.hold = gate }
            clock.set(.seconds(85))
            #expect(try await remote.keySet().keyIDs == ["a"])
            // Callers during the refresh neither wait nor start another.
            for _ in 0..<10 { #expect(try await remote.keySet().keyIDs == ["a"]) }
            #expect(remote.fetchCount == 2)
            gate.open()
            #expect(try await eventually { try await remote.keySet().keyIDs == ["c"] })
            #expect(server.hits == 2)
            // The refreshed set counts from the refresh (t = 85 s), not from the first fetch.
            clock.set(.seconds(150))
            #expect(try await remote.keySet().keyIDs == ["c"])
            #expect(server.hits == 2)
        }
    }

    @Test func singleFlightForConcurrentFirstCalls() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setAB) { server, url async throws in
            // The one fetch is held until every caller has asked (its single flight is then certain, not timed).
            let gate = Gate()
            server.update { $0.hold = gate }
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(), logger: RemoteFixtures.quiet,
                clock: ManualClock())
            let sets = try await withThrowingTaskGroup(of: [String?].self) { group in
                for _ in 0..<100 { group.addTask { try await remote.keySet().keyIDs } }
                #expect(await eventually { server.hits == 1 })
                gate.open()
                var all: [[String?]] = []
                for try await ids in group { all.append(ids) }
                return all
            }
            #expect(sets.count == 100)
            #expect(sets.allSatisfy { $0 == ["a", "b"] })
            #expect(server.hits == 1)
            #expect(remote.fetchCount == 1)
        }
    }

    @Test func servesStaleKeysThroughAnOutageThenFails() async throws {
        let clock = ManualClock()
        let remote = try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            var configuration = RemoteFixtures.configuration(stale: .seconds(50), retry: .seconds(10))
            // The refused connections below are retried until this limit: long enough for a loaded CI machine to
            // answer the first fetch, short enough to keep the test to seconds.
            configuration.connectTimeout = .seconds(4)
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: clock)
            _ = try await remote.keySet()
            #expect(server.hits == 1)
            return remote
        }
        // The server is gone: its port refuses connections, and is held so that no other test's server takes it.
        let port = try #require(remote.url.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let outage = try #require(PortReservation(port: port), "port \(port) was taken as the server stopped")
        defer { withExtendedLifetime(outage) {} }
        clock.set(.seconds(120))
        #expect(try await remote.keySet().keyIDs == ["a"])  // expired 20 s ago: a fetch fails, stale keys served
        #expect(remote.fetchCount == 2)
        clock.set(.seconds(125))
        #expect(try await remote.key(forKeyID: "a") != nil)  // within retryAfterFailure: no new fetch, no wait
        #expect(remote.fetchCount == 2)
        clock.set(.seconds(140))
        #expect(try await remote.keySet().keyIDs == ["a"])  // another fetch, failed, still within the bound
        #expect(remote.fetchCount == 3)
        clock.set(.seconds(150))  // 50 s past expiry: the bound
        let error = await expectRemoteError(.unreachable) { _ = try await remote.keySet() }
        #expect(error?.underlying != nil)
        #expect(remote.fetchCount == 4)
        clock.set(.seconds(155))  // the failure is remembered: no fetch, the same error at once
        await expectRemoteError(.unreachable) { _ = try await remote.keySet() }
        #expect(remote.fetchCount == 4)
    }

    @Test func recoversWhenTheServerComesBack() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            let clock = ManualClock()
            server.update { $0.status = 503 }
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(retry: .seconds(10)),
                logger: RemoteFixtures.quiet, clock: clock)
            let error = await expectRemoteError(.httpStatus) { _ = try await remote.keySet() }
            #expect(error?.status == 503)
            clock.set(.seconds(5))
            await expectRemoteError(.httpStatus) { _ = try await remote.keySet() }  // remembered, not re-fetched
            #expect(server.hits == 1)
            server.update { $0.status = 200 }
            clock.set(.seconds(10))
            #expect(try await remote.keySet().keyIDs == ["a"])
            #expect(server.hits == 2)
        }
    }

    @Test func unknownKeyIDStormCausesOneFetchPerCooldown() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url,
                configuration: RemoteFixtures.configuration(ttl: .seconds(3600), refetch: true, cooldown: .seconds(60)),
                logger: RemoteFixtures.quiet, clock: clock)
            _ = try await remote.keySet()
            func storm() async -> Int {
                await withTaskGroup(of: Bool.self) { group in
                    for i in 0..<200 {
                        group.addTask {
                            let kid = "unknown-\(i)"  // never a kid of the set
                            return (try? await remote.key(forKeyID: kid)) == nil
                        }
                    }
                    var misses = 0
                    for await miss in group where miss { misses += 1 }
                    return misses
                }
            }
            #expect(await storm() == 200)
            #expect(server.hits == 2)  // the first fetch, and one re-fetch for the whole storm
            clock.advance(by: .seconds(30))
            #expect(await storm() == 200)
            #expect(server.hits == 2)  // within the cooldown: none
            clock.advance(by: .seconds(30))
            #expect(await storm() == 200)
            #expect(server.hits == 3)  // the next cooldown: one
            // A kid that is really new is found by the re-fetch of the next cooldown.
            server.serve(RemoteFixtures.setAB)
            #expect(try await remote.key(forKeyID: "b") == nil)
            clock.advance(by: .seconds(60))
            #expect(try await remote.key(forKeyID: "b")?.publicKey.rsa?.modulus == RemoteFixtures.keyB.modulus)
            #expect(server.hits == 4)
        }
    }

    @Test func apimDefaultNeverRefetchesOnAMiss() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            var configuration = RemoteJWKSet.Configuration.apimClientAssertion
            configuration.allowInsecureHTTP = true
            #expect(!configuration.refetchOnUnknownKeyID)
            #expect(configuration.timeToLive == .seconds(3600))
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: clock)
            for i in 0..<50 {
                clock.advance(by: .seconds(60))
                #expect(try await remote.key(forKeyID: "unknown-\(i)") == nil)
            }
            #expect(server.hits == 1)
            let cis2 = RemoteJWKSet.Configuration.cis2IDToken
            #expect(cis2.refetchOnUnknownKeyID && cis2.timeToLive == .seconds(86_400) && !cis2.allowInsecureHTTP)
        }
    }

    @Test(arguments: [false, true])
    func oversizedBodyIsTooLarge(chunked: Bool) async throws {
        // A valid JWK set padded with whitespace past 256 KiB: only the size can reject it.
        let padded = RemoteFixtures.setA + String(repeating: " ", count: 300 * 1024)
        try await LoopbackJWKSServer.with(serving: padded) { server, url async throws in
            if chunked { server.update { $0.chunkSize = 16 * 1024 } }
            var configuration = RemoteFixtures.configuration()
            configuration.maxResponseBytes = 256 * 1024
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: ManualClock())
            await expectRemoteError(.tooLarge) { _ = try await remote.keySet() }
            configuration.maxResponseBytes = 400 * 1024
            let roomy = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: ManualClock())
            #expect(try await roomy.keySet().keyIDs == ["a"])
        }
    }

    @Test func bodyThatIsNotAJWKSet() async throws {
        try await LoopbackJWKSServer.with(serving: "<html>Service Unavailable</html>") { server, url async throws in
            let clock = ManualClock()
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(retry: .zero), logger: RemoteFixtures.quiet,
                clock: clock)
            let notJSON = await expectRemoteError(.notJWKS) { _ = try await remote.keySet() }
            #expect((notJSON?.underlying as? JSONError) != nil)
            server.serve(#"{"issuer":"https://example.org"}"#)
            let noKeys = await expectRemoteError(.notJWKS) { _ = try await remote.keySet() }
            #expect(noKeys?.issues.map(\.code) == [.noKeys])
            server.serve(#"{"keys":[{"kty":"oct","k":"AA","kid":"hmac"}]}"#)
            let noRSA = await expectRemoteError(.notJWKS) { _ = try await remote.keySet() }
            #expect(noRSA?.issues.map(\.code) == [.unsupportedKeyType])
            server.update { $0.body = [0x7B, 0xFF, 0xFE, 0x7D] }
            await expectRemoteError(.notJWKS) { _ = try await remote.keySet() }
            #expect(server.hits == 4)
        }
    }

    @Test func oneBadKeyDoesNotDropTheOthers() async throws {
        let a = RemoteFixtures.keyA.jwk
        let b = RemoteFixtures.keyB.jwk
        let text = """
            {"keys":[
              {"kty":"RSA","n":"\(a.n)","e":"\(a.e)","kid":"a","alg":"RS512"},
              {"kty":"RSA","n":"!!not base64url!!","e":"AQAB","kid":"broken"},
              {"kty":"oct","k":"AA","kid":"hmac"},
              {"kty":"RSA","n":"\(b.n)","e":"\(b.e)","kid":"b","alg":"RS512"}
            ]}
            """
        try await LoopbackJWKSServer.with(serving: text) { _, url async throws in
            let remote = RemoteJWKSet(
                url: url, configuration: RemoteFixtures.configuration(), logger: RemoteFixtures.quiet,
                clock: ManualClock())
            let set = try await remote.keySet()
            #expect(set.keyIDs == ["a", "b"])
            #expect(set.issues.map(\.code) == [.invalidKey, .unsupportedKeyType])
            #expect(set.issues.map(\.keyID) == ["broken", "hmac"])
            #expect(try await remote.key(forKeyID: "b")?.publicKey.rsa?.modulus == RemoteFixtures.keyB.modulus)
            #expect(try await remote.key(forKeyID: "broken") == nil)
            #expect(set.verificationKeys(defaultAlgorithm: .rs512).map(\.keyID) == ["a", "b"])
        }
    }

    @Test func slowResponseHeadTimesOut() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            // The server answers only after the hang guard: a timeout is the only way the fetch can end sooner.
            server.update { $0.headDelay = hangGuard }
            var configuration = RemoteFixtures.configuration()
            configuration.connectTimeout = .milliseconds(300)
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: ManualClock())
            await expectRemoteError(.timeout) { _ = try await remote.keySet() }
        }
    }

    @Test func slowBodyTimesOut() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setAB) { server, url async throws in
            server.update {
                $0.chunkSize = 64
                $0.stallAfterFirstChunk = hangGuard  // the rest comes only after the hang guard
            }
            var configuration = RemoteFixtures.configuration()
            configuration.requestTimeout = .milliseconds(500)
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: ManualClock())
            await expectRemoteError(.timeout) { _ = try await remote.keySet() }
        }
    }

    @Test func plainHTTPIsRefusedUnlessAllowed() async throws {
        try await LoopbackJWKSServer.with(serving: RemoteFixtures.setA) { server, url async throws in
            var configuration = RemoteFixtures.configuration()
            configuration.allowInsecureHTTP = false
            let remote = RemoteJWKSet(
                url: url, configuration: configuration, logger: RemoteFixtures.quiet, clock: ManualClock())
            await expectRemoteError(.notHTTPS) { _ = try await remote.keySet() }
            await expectRemoteError(.notHTTPS) { _ = try await remote.key(forKeyID: "a") }
            #expect(server.hits == 0)  // refused before any connection
            for bad in ["ftp://127.0.0.1/jwks", "/jwks", "", "https://"] {
                let other = RemoteJWKSet(url: bad, logger: RemoteFixtures.quiet)
                await expectRemoteError(.invalidURL) { _ = try await other.keySet() }
            }
        }
    }

    @Test func unreachableServer() async throws {
        // A port held by a socket that does not listen: connections are refused, and no other test can take it.
        let closed = try #require(PortReservation.any())
        var configuration = RemoteFixtures.configuration()
        configuration.connectTimeout = .seconds(1)  // refused connections are retried until then
        let remote = RemoteJWKSet(
            url: "http://127.0.0.1:\(closed.port)/jwks", configuration: configuration, logger: RemoteFixtures.quiet,
            clock: ManualClock())
        let error = await expectRemoteError(.unreachable) { _ = try await remote.keySet() }
        #expect(error?.description.hasPrefix("RemoteJWKSError.remote-jwks.unreachable: ") == true)
    }
}
