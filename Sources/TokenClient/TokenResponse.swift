// SPDX-License-Identifier: Apache-2.0

import JWS

/// A token endpoint's success answer, read as NHS sends it: APIM writes `expires_in`, `issued_at`,
/// `refresh_token_expires_in` and `refresh_count` as JSON strings, CIS2 writes `expires_in` as a number; both are
/// accepted.
///
/// Its `description` leaves the tokens out, so an answer that reaches a log by accident leaks nothing.
public struct TokenResponse: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `access_token`: the bearer token.
    public let accessToken: String
    /// `token_type` (`Bearer`).
    public let tokenType: String?
    /// `expires_in`, seconds.
    public let expiresIn: Int64
    /// `issued_at`, milliseconds since 1970 (APIM), if sent.
    public let issuedAtMilliseconds: Int64?
    /// `refresh_token` (APIM token exchange, CIS2), if sent.
    public let refreshToken: String?
    /// `refresh_token_expires_in`, seconds, if sent.
    public let refreshTokenExpiresIn: Int64?
    /// `refresh_count`, if sent.
    public let refreshCount: Int64?
    /// `issued_token_type` (token exchange), if sent.
    public let issuedTokenType: String?
    /// `id_token` (CIS2's authorisation-code answer), if sent.
    public let idToken: String?
    /// `scope`, if sent.
    public let scope: String?
    /// The answer as received, for `--json` and logs that need more (it holds the tokens: never log it).
    public let json: String

    /// Reads an answer body.
    ///
    /// - Parameter body: The HTTP body of a 200 answer.
    /// - Throws: `token-client.response-invalid` when it is not a JSON object with a string `access_token` and an
    ///   `expires_in` that is a non-negative integer (as a number or a string of digits), or when another field has
    ///   the wrong type.
    public init(parsing body: String) throws(TokenClientError) {
        let parsed: JSONValue
        do { parsed = try StrictJSON.parse(body) } catch {
            throw TokenClientError(.responseInvalid, reason: "the token endpoint's answer is not JSON: \(error.reason)")
        }
        guard let object = parsed.objectValue else {
            throw TokenClientError(.responseInvalid, reason: "the token endpoint's answer is not a JSON object")
        }
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw TokenClientError(.responseInvalid, reason: "the answer has no string \"access_token\"")
        }
        guard let expiresIn = try Self.integer(object, "expires_in") else {
            throw TokenClientError(.responseInvalid, reason: "the answer has no \"expires_in\"")
        }
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.tokenType = try Self.string(object, "token_type")
        self.issuedAtMilliseconds = try Self.integer(object, "issued_at")
        self.refreshToken = try Self.string(object, "refresh_token")
        self.refreshTokenExpiresIn = try Self.integer(object, "refresh_token_expires_in")
        self.refreshCount = try Self.integer(object, "refresh_count")
        self.issuedTokenType = try Self.string(object, "issued_token_type")
        self.idToken = try Self.string(object, "id_token")
        self.scope = try Self.string(object, "scope")
        self.json = body
    }

    /// `TokenResponse(token_type: Bearer, expires_in: 599, refresh_token: yes, …)`, tokens redacted.
    public var description: String {
        var parts = ["expires_in: \(expiresIn)"]
        if let tokenType { parts.insert("token_type: \(tokenType)", at: 0) }
        if let issuedAtMilliseconds { parts.append("issued_at: \(issuedAtMilliseconds)") }
        if refreshToken != nil { parts.append("refresh_token: (redacted)") }
        if let refreshTokenExpiresIn { parts.append("refresh_token_expires_in: \(refreshTokenExpiresIn)") }
        if let refreshCount { parts.append("refresh_count: \(refreshCount)") }
        if idToken != nil { parts.append("id_token: (redacted)") }
        return "TokenResponse(access_token: (redacted), " + parts.joined(separator: ", ") + ")"
    }

    /// The same as ``description``: the tokens stay out of debug output too.
    public var debugDescription: String { description }

    /// A member that is a non-negative integer, written as a JSON number or as a string of ASCII digits.
    static func integer(_ object: JSONObject, _ name: String) throws(TokenClientError) -> Int64? {
        guard let value = object[name], value != .null else { return nil }
        let parsed: Int64?
        switch value {
        case .number(let n): parsed = n.int64Value
        case .string(let s): parsed = s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int64(s) : nil
        default: parsed = nil
        }
        guard let parsed, parsed >= 0 else {
            throw TokenClientError(
                .responseInvalid, reason: "\"\(name)\" is \(value), not a non-negative integer or a string of digits")
        }
        return parsed
    }

    /// A member that is a string, when present.
    static func string(_ object: JSONObject, _ name: String) throws(TokenClientError) -> String? {
        guard let value = object[name], value != .null else { return nil }
        guard let s = value.stringValue else {
            throw TokenClientError(.responseInvalid, reason: "\"\(name)\" is \(value), not a string")
        }
        return s
    }
}

/// A token endpoint's error answer: `{"error","error_description","message_id"}` as APIM writes it (CIS2 leaves out
/// `message_id`).
public struct TokenEndpointRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public let status: Int
    /// `error` (`invalid_request`, `invalid_client`, `public_key error`, …), if the body had one.
    public let error: String?
    /// `error_description`: the exact NHS string (see `NHSEndpointMessages`), if the body had one.
    public let errorDescription: String?
    /// `message_id`: APIM's id for this answer, to quote to NHS support.
    public let messageID: String?

    /// Reads an error answer; a body that is not APIM-shaped leaves the fields `nil`.
    public init(status: Int, body: String) {
        self.status = status
        let object = (try? StrictJSON.parse(body))?.objectValue
        self.error = object?["error"]?.stringValue
        self.errorDescription = object?["error_description"]?.stringValue
        self.messageID = object?["message_id"]?.stringValue
    }

    /// `401 invalid_request: Missing 'kid' header in client_assertion JWT (message_id 7c…)`.
    public var description: String {
        var s = "\(status)"
        if let error { s += " \(error)" }
        if let errorDescription { s += ": \(errorDescription)" }
        if let messageID { s += " (message_id \(messageID))" }
        return s
    }
}
