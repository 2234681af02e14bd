// SPDX-License-Identifier: Apache-2.0

/// The body of an OAuth 2.0 token request, `application/x-www-form-urlencoded`, with fields in a fixed order.
///
/// Encoding (``encoded``): every byte of the UTF-8 name and value is kept when it is an RFC 3986 unreserved
/// character (`A–Z a–z 0–9 - . _ ~`) and written as `%XX` with upper-case hex otherwise; a space is `%20`, never `+`
/// (so the body means the same to every decoder), and `=` and `&` only ever separate. A compact JWS is entirely
/// unreserved, so assertions and id_tokens are carried byte for byte.
///
/// Send it with the header `Content-Type: application/x-www-form-urlencoded` exactly (``contentType``): APIM compares
/// that header with the bare string and answers 415 to anything else, `; charset=utf-8` included (NHS-RULES rule 20).
public struct TokenRequestForm: Sendable, Equatable {
    /// One `name=value` field.
    public struct Field: Sendable, Equatable {
        /// The field name.
        public let name: String
        /// The field value.
        public let value: String
        /// Creates a field.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields, in the order they are written.
    public let fields: [Field]

    /// Creates a form from fields (written in this order).
    public init(fields: [Field]) { self.fields = fields }

    /// The value of the first field named `name`.
    public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// The `Content-Type` to send, exactly.
    public static let contentType = "application/x-www-form-urlencoded"
    /// `client_assertion_type` for a JWT client assertion (RFC 7523 §2.2).
    public static let jwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// `grant_type` for RFC 8693 token exchange.
    public static let tokenExchangeGrantType = "urn:ietf:params:oauth:grant-type:token-exchange"
    /// `subject_token_type` for an OpenID Connect id_token (RFC 8693 §3).
    public static let idTokenType = "urn:ietf:params:oauth:token-type:id_token"

    /// APIM application-restricted access (NHS-RULES rule 21): `grant_type=client_credentials`,
    /// `client_assertion_type`, `client_assertion`.
    ///
    /// - Parameter assertion: A fresh client assertion (never reuse one: rule 13).
    public static func clientCredentials(assertion: String) -> TokenRequestForm {
        TokenRequestForm(fields: [
            Field("grant_type", "client_credentials"),
            Field("client_assertion_type", jwtBearerAssertionType),
            Field("client_assertion", assertion),
        ])
    }

    /// CIS2 authorisation-code token request with `private_key_jwt` (NHS-RULES rule 23): `grant_type`, `code`,
    /// `redirect_uri`, `client_id`, `client_assertion_type`, `client_assertion`.
    ///
    /// - Parameters:
    ///   - code: The authorisation code from the redirect.
    ///   - redirectURI: The redirect URI used in the authorisation request, byte for byte.
    ///   - clientID: The CIS2 client id (the assertion's `iss` and `sub`).
    ///   - assertion: A fresh CIS2 client assertion.
    public static func authorizationCode(
        code: String, redirectURI: String, clientID: String, assertion: String
    )
        -> TokenRequestForm
    {
        TokenRequestForm(fields: [
            Field("grant_type", "authorization_code"),
            Field("code", code),
            Field("redirect_uri", redirectURI),
            Field("client_id", clientID),
            Field("client_assertion_type", jwtBearerAssertionType),
            Field("client_assertion", assertion),
        ])
    }

    /// APIM token exchange of a CIS2 id_token (NHS-RULES rule 22): `grant_type` (token exchange), `subject_token`,
    /// `subject_token_type` (id_token), `client_assertion_type`, `client_assertion`.
    ///
    /// - Parameters:
    ///   - subjectToken: The CIS2 **id_token**, unmodified (not the CIS2 access token).
    ///   - assertion: A fresh APIM client assertion (RS512).
    public static func tokenExchange(subjectToken: String, assertion: String) -> TokenRequestForm {
        TokenRequestForm(fields: [
            Field("grant_type", tokenExchangeGrantType),
            Field("subject_token", subjectToken),
            Field("subject_token_type", idTokenType),
            Field("client_assertion_type", jwtBearerAssertionType),
            Field("client_assertion", assertion),
        ])
    }

    /// The encoded body: `name=value` pairs joined by `&`, percent-encoded as described on the type.
    ///
    /// - Allocation: the returned string.
    public var encoded: String {
        var out: [UInt8] = []
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: "&")) }
            Self.percentEncode(field.name, into: &out)
            out.append(UInt8(ascii: "="))
            Self.percentEncode(field.value, into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for RFC 3986 §2.3 unreserved characters.
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    static func percentEncode(_ s: String, into out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
    }
}
