// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS

/// A compact JWS decoded *without* verification, as APIM's first step does (its `DecodeJWT` and JavaScript read the
/// header and claims before any signature check, NHS-RULES §I). Used only to run those ordered checks; nothing read
/// here is trusted until ``APIMTokenEndpoint`` has verified the signature.
struct UnverifiedJWT: Sendable {
    /// The token's bytes.
    let bytes: [UInt8]
    /// Offsets of the three segments.
    let layout: JWSCompactLayout
    /// The header object (a repeated member keeps its last value, as JavaScript's `JSON.parse` does).
    let header: JSONObject
    /// The claims object (same rule).
    let claims: JSONObject
    /// The decoded signature.
    let signature: [UInt8]

    /// Decodes `token`; `nil` when it is not three strict base64url segments holding two JSON objects (APIM:
    /// `Malformed JWT in …`).
    init?(_ token: String) {
        let bytes = Array(token.utf8)
        guard let layout = unsafe try? JWSCompactLayout(scanning: bytes.span.bytes) else { return nil }
        guard let headerBytes = try? Base64URL.decode(Array(bytes[layout.header])),
            let payloadBytes = try? Base64URL.decode(Array(bytes[layout.payload])),
            let signature = try? Base64URL.decode(Array(bytes[layout.signature])),
            let header = try? StrictJSON.parseKeepingLastDuplicate(headerBytes).value.objectValue,
            let claims = try? StrictJSON.parseKeepingLastDuplicate(payloadBytes).value.objectValue
        else { return nil }
        self.bytes = bytes
        self.layout = layout
        self.header = header
        self.claims = claims
        self.signature = signature
    }

    /// The ASCII signing input `header.payload`, exactly as sent.
    var signingInput: ArraySlice<UInt8> { bytes[layout.signingInput] }

    /// JavaScript truthiness of a member (absent, `null`, `false`, `0` and `""` are falsy): APIM tests `!value`.
    static func isTruthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: false
        case .number(let n)?: (n.doubleValue ?? 0) != 0
        case .string(let s)?: !s.isEmpty
        default: true
        }
    }
}
