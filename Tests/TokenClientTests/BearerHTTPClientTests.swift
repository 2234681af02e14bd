// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import TestHTTPServers
import Testing
import TokenClient

/// `BearerHTTPClient` against the emulator's token endpoint and a real upstream on loopback that revokes tokens.
@Suite("BearerHTTPClient: the token on every call, one retry after invalid_token")
struct BearerHTTPClientTests {
    /// An upstream that answers `GET|POST /data` with 200 and the token's ordinal, except for tokens it has revoked
    /// (`401` with the challenge the test sets).
    final class Upstream: Sendable {
        let seen = Mutex<[String]>([])
        let revoked = Mutex<Set<String>>([])
        let challenge: String

        init(challenge: String) { self.challenge = challenge }

        static func with<T: Sendable>(
            challenge: String = #"Bearer error="invalid_token", error_description="revoked""#,
            _ body: (Upstream, _ url: String) async throws -> T
        ) async throws -> T {
            let upstream = Upstream(challenge: challenge)
            let router = Router()
            router.on("data", method: .get) { request, _ in upstream.answer(request) }
            router.on("data", method: .post) { request, _ in upstream.answer(request) }
            return try await LoopbackServer.serve(router) { port in
                try await body(upstream, "http://127.0.0.1:\(port)/data")
            }
        }

        func answer(_ request: Request) -> Response {
            let token = request.headers[.authorization].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            let count = seen.withLock { s in
                s.append(token)
                return s.count
            }
            if revoked.withLock({ $0.contains(token) }) {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: challenge])
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "call \(count)")))
        }
    }

    static func body(_ response: HTTPClientResponse) async throws -> String {
        String(buffer: try await response.body.collect(upTo: 1 << 16))
    }

    @Test("a revoked token: 401 invalid_token, the token invalidated, the call repeated once with a fresh one")
    func retriesOnceAfterInvalidToken() async throws {
        try await Emulator.with { emulator in
            let tokens = AccessTokenClient(endpoint: try emulator.apim())
            let revokedToken = try await tokens.accessToken()
            try await Upstream.with { upstream, url in
                upstream.revoked.withLock { _ = $0.insert(revokedToken) }
                let client = BearerHTTPClient(tokens: tokens, httpClient: Emulator.http)
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                #expect(response.status == .ok)
                #expect(try await Self.body(response) == "call 2")
                let seen = upstream.seen.withLock { $0 }
                #expect(seen.count == 2 && seen[0] == revokedToken && seen[1] != revokedToken, "\(seen)")
                #expect(tokens.requestCount == 2)
                // The fresh token is cached: the next call uses it without a token request.
                let again = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                #expect(again.status == .ok && tokens.requestCount == 2)
            }
        }
    }

    @Test("a 401 that is not invalid_token, or a request with a body, is returned as it came")
    func noRetryWithoutInvalidTokenOrWithABody() async throws {
        try await Emulator.with { emulator in
            let tokens = AccessTokenClient(endpoint: try emulator.apim())
            let token = try await tokens.accessToken()
            try await Upstream.with(challenge: #"Bearer realm="api""#) { upstream, url in
                upstream.revoked.withLock { _ = $0.insert(token) }
                let client = BearerHTTPClient(tokens: tokens, httpClient: Emulator.http)
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                #expect(response.status == .unauthorized && upstream.seen.withLock { $0.count } == 1)
            }
            try await Upstream.with { upstream, url in
                upstream.revoked.withLock { _ = $0.insert(token) }
                let client = BearerHTTPClient(tokens: tokens, httpClient: Emulator.http)
                var post = HTTPClientRequest(url: url)
                post.method = .POST
                post.body = .bytes(ByteBuffer(string: "{}"))
                let once = try await client.execute(post, timeout: .seconds(30))
                #expect(once.status == .unauthorized && upstream.seen.withLock { $0.count } == 1)
                // Built afresh for each attempt, the same POST is repeated with a fresh token.
                let rebuilt = try await client.execute(timeout: .seconds(30)) { post }
                #expect(rebuilt.status == .ok && upstream.seen.withLock { $0.count } == 3)
            }
        }
    }
}
