// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// Reading one JSON Web Key (RFC 7517; RSA and EC, RFC 7518 §6; OKP Ed25519, RFC 8037 §2) strictly, into SignetKeys
/// keys.
///
/// For JWK *sets* with lenient entry-by-entry handling, see `JWKSet` in the ClientAssertion module.
public enum JWK {
    /// The RSA members of a JWK JSON object.
    ///
    /// - Parameter json: One JWK object as JSON text.
    /// - Returns: The members as base64url strings.
    /// - Throws: `SignetKeyError` `key.jwk-invalid` when the text is not strict JSON, not an object, `kty` is not
    ///   `RSA`, or a member is missing or not a string.
    public static func components(json: String) throws(SignetKeyError) -> RSAJWKComponents {
        let value: JSONValue
        do throws(JSONError) {
            value = try StrictJSON.parse(json)
        } catch {
            throw SignetKeyError(
                .jwkInvalid, offset: error.offset, reason: "the JWK is not valid JSON: \(error.reason)",
                underlying: error)
        }
        guard case .object(let object) = value else {
            throw SignetKeyError(.jwkInvalid, reason: "a JWK must be a JSON object, found \(value.typeName)")
        }
        guard object["kty"]?.stringValue == "RSA" else {
            throw SignetKeyError(
                .jwkInvalid, reason: "the JWK's kty is \(object["kty"]?.description ?? "missing"), not \"RSA\"")
        }
        func member(_ name: String, required: Bool) throws(SignetKeyError) -> String? {
            guard let m = object.member(name) else {
                if required { throw SignetKeyError(.jwkInvalid, reason: "the JWK has no '\(name)'") }
                return nil
            }
            guard case .string(let s) = m.value else {
                throw SignetKeyError(
                    .jwkInvalid, offset: m.valueOffset,
                    reason: "JWK member '\(name)' must be a string, found \(m.value.typeName)")
            }
            return s
        }
        return RSAJWKComponents(
            n: try member("n", required: true) ?? "", e: try member("e", required: true) ?? "",
            d: try member("d", required: false), p: try member("p", required: false),
            q: try member("q", required: false),
            dp: try member("dp", required: false), dq: try member("dq", required: false),
            qi: try member("qi", required: false))
    }

    /// A private key from a private RSA JWK's JSON text.
    ///
    /// - Throws: `SignetKeyError` `key.jwk-invalid`, and the codes of `RSAPrivateKey.init(jwk:)`.
    /// - Allocation: allocates.
    public static func privateKey(json: String) throws(SignetKeyError) -> RSAPrivateKey {
        try RSAPrivateKey(jwk: components(json: json))
    }

    /// A public key from an RSA JWK's JSON text.
    ///
    /// - Throws: `SignetKeyError` `key.jwk-invalid` (also when private members are present: a key published for
    ///   verification must never carry them), and the codes of `RSAPublicKey.init(jwk:)`.
    /// - Allocation: allocates.
    public static func publicKey(json: String) throws(SignetKeyError) -> RSAPublicKey {
        let c = try components(json: json)
        guard !c.hasPrivateMembers else {
            throw SignetKeyError(
                .jwkInvalid, reason: "this JWK has private members (d, p, q, …); a public key must not carry them")
        }
        return try RSAPublicKey(jwk: c)
    }

    /// The public JWK JSON of `key`: `{"kty":"RSA","n":…,"e":…,"alg":…,"kid":…,"use":"sig"}`.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - algorithm: The `alg` to publish (binds the key to it), or `nil` to omit.
    ///   - keyID: The `kid`, or `nil` for the RFC 7638 thumbprint.
    /// - Allocation: allocates the result.
    public static func json(for key: RSAPublicKey, algorithm: RSASignatureAlgorithm?, keyID: String?) -> String {
        let c = key.jwk
        var members: [JSONObject.Member] = [
            .init(name: "kty", value: .string("RSA")), .init(name: "n", value: .string(c.n)),
            .init(name: "e", value: .string(c.e)),
        ]
        if let algorithm { members.append(.init(name: "alg", value: .string(algorithm.jwsName))) }
        members.append(.init(name: "kid", value: .string(keyID ?? JWSPublicKey.rsa(key).thumbprint)))
        members.append(.init(name: "use", value: .string("sig")))
        return JSONValue.object(JSONObject(members: members)).description
    }
    /// The JWK JSON object, parsed strictly.
    private static func object(json: String) throws(SignetKeyError) -> JSONObject {
        let value: JSONValue
        do throws(JSONError) {
            value = try StrictJSON.parse(json)
        } catch {
            throw SignetKeyError(
                .jwkInvalid, offset: error.offset, reason: "the JWK is not valid JSON: \(error.reason)",
                underlying: error)
        }
        guard case .object(let object) = value else {
            throw SignetKeyError(.jwkInvalid, reason: "a JWK must be a JSON object, found \(value.typeName)")
        }
        return object
    }

    private static func string(_ object: JSONObject, _ name: String) throws(SignetKeyError) -> String {
        guard let m = object.member(name) else { throw SignetKeyError(.jwkInvalid, reason: "the JWK has no '\(name)'") }
        guard case .string(let s) = m.value else {
            throw SignetKeyError(
                .jwkInvalid, offset: m.valueOffset,
                reason: "JWK member '\(name)' must be a string, found \(m.value.typeName)")
        }
        return s
    }

    /// A private key of any family from a private JWK's JSON text (`kty` `RSA`, `EC`, or `OKP` with `crv`
    /// `Ed25519`).
    ///
    /// - Throws: `SignetKeyError` `key.jwk-invalid`, `key.unsupported-curve`, and the codes of the key loaders.
    /// - Allocation: allocates.
    public static func signingKey(json: String) throws(SignetKeyError) -> JWSSigningKey {
        let object = try object(json: json)
        switch object["kty"]?.stringValue {
        case "RSA": return .rsa(try privateKey(json: json))
        case "EC":
            return .ec(
                try ECPrivateKey(
                    jwk: ECJWKComponents(
                        crv: try string(object, "crv"), x: try string(object, "x"), y: try string(object, "y"),
                        d: try string(object, "d"))))
        case "OKP":
            return .ed25519(
                try Ed25519PrivateKey(
                    jwk: OKPJWKComponents(
                        crv: try string(object, "crv"), x: try string(object, "x"), d: try string(object, "d"))))
        default:
            throw SignetKeyError(
                .jwkInvalid, reason: "the JWK's kty is \(object["kty"]?.description ?? "missing"), not RSA, EC or OKP")
        }
    }

    /// A public key of any family from a public JWK's JSON text.
    ///
    /// - Throws: `SignetKeyError` `key.jwk-invalid` (also when private members are present),
    ///   `key.unsupported-curve`, and the codes of the key loaders.
    /// - Allocation: allocates.
    public static func verificationKey(json: String) throws(SignetKeyError) -> JWSPublicKey {
        let object = try object(json: json)
        switch object["kty"]?.stringValue {
        case "RSA": return .rsa(try publicKey(json: json))
        case "EC", "OKP":
            guard object.member("d") == nil else {
                throw SignetKeyError(.jwkInvalid, reason: "this JWK has the private member 'd'; a public key must not")
            }
            if object["kty"]?.stringValue == "EC" {
                return .ec(
                    try ECPublicKey(
                        jwk: ECJWKComponents(
                            crv: try string(object, "crv"), x: try string(object, "x"), y: try string(object, "y"))))
            }
            return .ed25519(
                try Ed25519PublicKey(jwk: OKPJWKComponents(crv: try string(object, "crv"), x: try string(object, "x"))))
        default:
            throw SignetKeyError(
                .jwkInvalid, reason: "the JWK's kty is \(object["kty"]?.description ?? "missing"), not RSA, EC or OKP")
        }
    }

    /// The public JWK JSON of a key of any family: `{"kty":…, <members>, "alg":…, "kid":…, "use":"sig"}`.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - algorithm: The `alg` to publish (binds the key to it), or `nil` to omit.
    ///   - keyID: The `kid`, or `nil` for the RFC 7638 thumbprint.
    /// - Allocation: allocates the result.
    public static func json(for key: JWSPublicKey, algorithm: JWSAlgorithm?, keyID: String?) -> String {
        var members: [JSONObject.Member] = [.init(name: "kty", value: .string(key.keyType))]
        members += key.jwkMembers.map { .init(name: $0.name, value: .string($0.value)) }
        if let algorithm { members.append(.init(name: "alg", value: .string(algorithm.jwsName))) }
        members.append(.init(name: "kid", value: .string(keyID ?? key.thumbprint)))
        members.append(.init(name: "use", value: .string("sig")))
        return JSONValue.object(JSONObject(members: members)).description
    }
}
