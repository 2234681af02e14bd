// SPDX-License-Identifier: Apache-2.0

import HTTPTypes
import Hummingbird

/// Why a request's bearer token was refused, answered as RFC 6750 §3 says: a status, a `WWW-Authenticate: Bearer`
/// challenge with the error code and a one-line description, and the same two in a small JSON body.
///
/// The description names Signet's typed error (its stable code and reason) and never contains the token.
public struct BearerAuthenticationError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The RFC 6750 §3.1 error code, or none for a request that carried no bearer token at all (§3.1: "the resource
    /// server SHOULD NOT include an error code or other error information").
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as RFC 6750 spells it.
        public let rawValue: String
        init(rawValue: String) { self.rawValue = rawValue }
        /// The spelling.
        public var description: String { rawValue }

        /// `400`: the `Authorization` header is malformed (not one `Bearer <token>`, too large, not ASCII).
        public static let invalidRequest = Code(rawValue: "invalid_request")
        /// `401`: the token did not verify (signature, key, algorithm, claims, or a replay).
        public static let invalidToken = Code(rawValue: "invalid_token")
        /// `403`: the token verified but lacks a scope the route requires.
        public static let insufficientScope = Code(rawValue: "insufficient_scope")
    }

    /// `400`, `401` or `403`.
    public let status: HTTPResponse.Status
    /// The RFC 6750 code; `nil` for a request without bearer credentials (a bare `401` challenge).
    public let code: Code?
    /// The one-line description: Signet's error code and reason (`header.kid-unknown: kid "x" matches none …`).
    public let reason: String
    /// The stable code of the Signet error behind it (`JWSError`, `RemoteJWKSError`, `ReplayGuardError`), or a
    /// `bearer.*` code of this module: what logs and metrics are keyed by.
    public let signetCode: String
    /// The scopes the route requires, for an `insufficient_scope` answer.
    public let requiredScopes: [String]
    /// The realm named in the challenge, if any.
    public let realm: String?

    init(
        _ status: HTTPResponse.Status, _ code: Code?, signetCode: String, reason: String, realm: String?,
        requiredScopes: [String] = []
    ) {
        self.status = status
        self.code = code
        self.signetCode = signetCode
        self.reason = reason
        self.realm = realm
        self.requiredScopes = requiredScopes
    }

    /// `bearer-auth.<code>: <reason>`.
    public var description: String { "\(status.code) \(code?.rawValue ?? "no bearer token"): \(reason)" }

    /// The `WWW-Authenticate` value: `Bearer realm="…", error="…", error_description="…", scope="…"`.
    public var challenge: String {
        var parameters: [String] = []
        if let realm { parameters.append("realm=\"\(Self.quotable(realm))\"") }
        if let code {
            parameters.append("error=\"\(code.rawValue)\"")
            parameters.append("error_description=\"\(Self.quotable(reason))\"")
            if !requiredScopes.isEmpty {
                parameters.append("scope=\"\(Self.quotable(requiredScopes.joined(separator: " ")))\"")
            }
        }
        return parameters.isEmpty ? "Bearer" : "Bearer " + parameters.joined(separator: ", ")
    }

    /// The answer: status, challenge, `Cache-Control: no-store`, and `{"error":…,"error_description":…}`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge
        headers[.cacheControl] = "no-store"
        headers[.contentType] = "application/json"
        let error = code.map { "\"\($0.rawValue)\"" } ?? "null"
        let body = "{\"error\":\(error),\"error_description\":\"\(Self.quotable(reason))\"}"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `text` with what RFC 6750 §3 does not allow in a quoted value (`"`, `\`, controls, non-ASCII) replaced by
    /// `'` or `?`, and cut at 300 characters: a description is one readable line.
    static func quotable(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(min(text.utf8.count, 300))
        for scalar in text.unicodeScalars.prefix(300) {
            switch scalar.value {
            case 0x22, 0x5C: out.append("'")
            case 0x20...0x7E: out.unicodeScalars.append(scalar)
            default: out.append("?")
            }
        }
        return out
    }
}
