// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Calls an API with `AccessTokenClient`'s token: each request gets `Authorization: Bearer <token>`; when the API
/// answers `401` with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1: the token was revoked or
/// expired early), the token is invalidated and the request sent once more with a fresh one.
///
/// A request is sent a second time only if it can be: ``execute(_:timeout:)`` retries requests without a body, and
/// ``execute(timeout:_:)`` builds each attempt's request afresh, so any body can be sent again.
public struct BearerHTTPClient: Sendable {
    /// Where tokens come from.
    public let tokens: AccessTokenClient
    /// The client that sends the requests.
    public let httpClient: HTTPClient

    /// Creates the wrapper.
    ///
    /// - Parameters:
    ///   - tokens: The cached token source.
    ///   - httpClient: The client for the API calls (the shared one by default).
    public init(tokens: AccessTokenClient, httpClient: HTTPClient = .shared) {
        self.tokens = tokens
        self.httpClient = httpClient
    }

    /// Sends `request` with the current bearer token; a request without a body is retried once with a fresh token
    /// after an `invalid_token` answer (one with a body is not: use ``execute(timeout:_:)`` for those).
    ///
    /// - Parameters:
    ///   - request: The request; an `Authorization` field of its own is replaced.
    ///   - timeout: The deadline of each attempt.
    /// - Returns: The API's answer (the second attempt's, after a retry).
    /// - Throws: `TokenClientError` when no token can be had, or what `HTTPClient.execute` throws.
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        try await send(timeout: timeout, canRetry: request.body == nil) { request }
    }

    /// Sends the request `makeRequest` builds, with the current bearer token, and after an `invalid_token` answer
    /// builds and sends it once more with a fresh token (so a streamed body is produced again, not replayed).
    ///
    /// - Parameters:
    ///   - timeout: The deadline of each attempt.
    ///   - makeRequest: Builds one attempt's request; an `Authorization` field of its own is replaced.
    /// - Returns: The API's answer (the second attempt's, after a retry).
    /// - Throws: `TokenClientError` when no token can be had, or what `HTTPClient.execute` throws.
    public func execute(
        timeout: TimeAmount, _ makeRequest: () -> HTTPClientRequest
    ) async throws -> HTTPClientResponse {
        try await send(timeout: timeout, canRetry: true, makeRequest)
    }

    func send(
        timeout: TimeAmount, canRetry: Bool, _ makeRequest: () -> HTTPClientRequest
    ) async throws -> HTTPClientResponse {
        let token = try await tokens.accessToken()
        let first = try await httpClient.execute(Self.authorized(makeRequest(), token), timeout: timeout)
        guard canRetry, Self.saysInvalidToken(first) else { return first }
        // The first answer is not returned: read and drop its body so that the connection can be reused.
        _ = try? await first.body.collect(upTo: 64 * 1024)
        tokens.invalidate(token)
        let fresh = try await tokens.accessToken()
        return try await httpClient.execute(Self.authorized(makeRequest(), fresh), timeout: timeout)
    }

    static func authorized(_ request: HTTPClientRequest, _ token: String) -> HTTPClientRequest {
        var request = request
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
        return request
    }

    /// A `401` whose `WWW-Authenticate: Bearer` challenge carries `error="invalid_token"`.
    static func saysInvalidToken(_ response: HTTPClientResponse) -> Bool {
        guard response.status == .unauthorized else { return false }
        return response.headers["WWW-Authenticate"].contains { challenge in
            let lower = challenge.lowercased()
            return lower.hasPrefix("bearer") && lower.contains("error=\"invalid_token\"")
        }
    }
}
