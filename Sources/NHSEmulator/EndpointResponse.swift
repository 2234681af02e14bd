// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import SignetKeys

/// One HTTP answer of the emulator, independent of the HTTP server that sends it (so the checks can be tested and
/// measured without a socket).
public struct EndpointResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers, in order (`Content-Type` included when there is a body).
    public var headers: [(name: String, value: String)]
    /// The body bytes (UTF-8 JSON for every answer with a body).
    public var body: [UInt8]
    /// The NHS `error_description` this answer carries, or `nil` for a success or an answer without one.
    public var errorDescription: String?

    /// Creates a response.
    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], errorDescription: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.errorDescription = errorDescription
    }

    /// Two responses are equal when status, headers and body are.
    public static func == (a: Self, b: Self) -> Bool {
        a.status == b.status && a.body == b.body && a.errorDescription == b.errorDescription
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The body as text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// A JSON answer: `Content-Type: application/json` and the compact text of `object`, members in order.
    static func json(_ status: Int, _ members: [(String, JSONValue)], errorDescription: String? = nil) -> Self {
        let object = JSONValue.object(JSONObject(members: members.map { .init(name: $0.0, value: $0.1) }))
        return EndpointResponse(
            status: status, headers: [("Content-Type", "application/json")], body: Array(object.description.utf8),
            errorDescription: errorDescription)
    }

    /// An APIM error: `{"error":…,"error_description":…,"message_id":…}` (NHS-RULES rule 28); `message_id` is random,
    /// as APIM's is.
    static func apimError(_ status: Int, _ error: String, _ description: String) -> Self {
        json(
            status,
            [
                ("error", .string(error)), ("error_description", .string(description)),
                ("message_id", .string(messageID())),
            ],
            errorDescription: description)
    }

    /// A CIS2 (ForgeRock AM) error: `{"error_description":…,"error":…}`, with no `message_id` (NHS-RULES E44).
    static func cis2Error(_ status: Int, _ error: String, _ description: String) -> Self {
        json(
            status, [("error_description", .string(description)), ("error", .string(error))],
            errorDescription: description)
    }

    /// A random message id in APIM's `rrt-…` form.
    static func messageID() -> String {
        "rrt-" + RandomToken.make(count: 19, alphabet: RandomToken.digits) + "-"
            + RandomToken.make(count: 6, alphabet: RandomToken.lowercase)
    }
}

/// Random opaque strings (access tokens, codes, message ids) from OpenSSL's DRBG (seeded by the operating system; no
/// system call per token), or the system generator should the DRBG ever fail.
enum RandomToken {
    static let alphanumeric = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    static let digits = Array("0123456789".utf8)
    static let lowercase = Array("abcdefghijklmnopqrstuvwxyz".utf8)

    /// `count` characters drawn uniformly from `alphabet` (1 to 256 symbols). Bytes at or above the largest multiple
    /// of the alphabet's size are dropped, which keeps every character uniform.
    static func make(count: Int, alphabet: [UInt8] = alphanumeric) -> String {
        make(count: count, alphabet: alphabet, fill: fillFromDRBG)
    }

    /// As ``make(count:alphabet:)``, drawing bytes from `fill`, which refills a 64-byte pool (the DRBG in service; a
    /// seeded or scripted source in tests, so that the mapping from bytes to symbols is checked exactly).
    static func make(count: Int, alphabet: [UInt8], fill: (inout [UInt8]) -> Void) -> String {
        let size = alphabet.count
        let limit = 256 - 256 % size
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var pool = [UInt8](repeating: 0, count: 64)
        while out.count < count {
            fill(&pool)
            for byte in pool where out.count < count && Int(byte) < limit { out.append(alphabet[Int(byte) % size]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Fills `pool` from OpenSSL's DRBG, or from the system generator if that failed.
    private static func fillFromDRBG(_ pool: inout [UInt8]) {
        let filled = unsafe pool.withUnsafeMutableBytes { bytes in
            do {
                try unsafe SecureRandom.fill(bytes)
                return true
            } catch {
                return false
            }
        }
        if !filled {
            var rng = SystemRandomNumberGenerator()
            for i in pool.indices { pool[i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    }
}
