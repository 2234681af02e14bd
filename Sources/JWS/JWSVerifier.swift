// SPDX-License-Identifier: Apache-2.0
import Base64URL
import CryptoEVP

/// A public key bound to exactly one algorithm (RFC 8725 §3.1), with its `kid`.
public struct JWSVerificationKey: Sendable {
    /// The `kid` tokens use to select this key, if any.
    public let keyID: String?
    /// The public key.
    public let key: RSAPublicKey
    /// The one algorithm this key verifies.
    public let algorithm: RSASignatureAlgorithm
    /// An independent verifier whose verdict must agree with OpenSSL's, if any (see ``SignatureSecondOpinion``).
    public let secondOpinion: SignatureSecondOpinion?

    /// Binds `key` to `algorithm`.
    ///
    /// - Parameters:
    ///   - key: The public key.
    ///   - algorithm: The only algorithm it will verify.
    ///   - keyID: Its `kid`.
    ///   - secondOpinion: An independent implementation that must reach the same verdict on every signature.
    public init(
        key: RSAPublicKey, algorithm: RSASignatureAlgorithm, keyID: String? = nil,
        secondOpinion: SignatureSecondOpinion? = nil
    ) {
        self.key = key
        self.algorithm = algorithm
        self.keyID = keyID
        self.secondOpinion = secondOpinion
    }
}

/// An independent signature check run next to OpenSSL's (e.g. RSAGMP): when the two verdicts differ the verifier
/// throws `signature.cross-check-disagreement` instead of trusting either.
public struct SignatureSecondOpinion: Sendable {
    /// A name for messages, e.g. `RSAGMP`.
    public let name: String
    let check: @Sendable (UnsafeRawBufferPointer, UnsafeRawBufferPointer, RSASignatureAlgorithm) -> Bool

    /// Creates a second opinion.
    ///
    /// - Parameters:
    ///   - name: A name for messages.
    ///   - check: Returns whether `signature` (first argument) is valid for `message` (second) under the algorithm.
    public init(
        name: String,
        check: @escaping @Sendable (_ signature: UnsafeRawBufferPointer, _ message: UnsafeRawBufferPointer, RSASignatureAlgorithm) -> Bool
    ) {
        self.name = name
        self.check = check
    }
}

/// A JWS whose signature verified: the header, the raw payload, and the key that verified it.
public struct VerifiedJWS: Sendable {
    /// The protected header.
    public let header: JSONObject
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The algorithm that verified.
    public let algorithm: RSASignatureAlgorithm
    /// The `kid` of the key that verified, if it has one.
    public let keyID: String?
}

/// A JWT whose signature verified and whose claims passed the policy.
public struct VerifiedJWT: Sendable {
    /// The verified JWS.
    public let jws: VerifiedJWS
    /// The validated claims.
    public let claims: JWTClaims
    /// The payload as a JSON object.
    public let payloadObject: JSONObject
}

/// Verifies compact JWS / JWT tokens against a fixed key set, allowed algorithms and claims policy.
///
/// Everything that decides acceptance is fixed before the first token is seen. For each token it checks, in
/// order: the size limit; the compact shape; the header (strict JSON, `alg` allowed and equal to the selected key's
/// bound algorithm, `crit`, `typ`, `kid`); the signature over the original bytes; and only then the claims.
/// `none`, HMAC and any algorithm outside ``RSASignatureAlgorithm`` cannot be expressed, so they can never verify.
public struct JWSVerifier: Sendable {
    /// The keys, by position.
    public let keys: [JWSVerificationKey]
    /// The algorithms accepted at all.
    public let allowedAlgorithms: Set<RSASignatureAlgorithm>
    /// The claims policy.
    public let policy: JWTValidationPolicy
    /// Tokens longer than this are rejected before any other work.
    public let maximumTokenBytes: Int
    /// Limits for header and payload JSON.
    public let jsonLimits: StrictJSON.Limits

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: At least one key; `kid`s must be unique; when there are several keys each needs a `kid`.
    ///   - allowedAlgorithms: Algorithms accepted; defaults to the keys' bound algorithms.
    ///   - policy: The claims policy.
    ///   - maximumTokenBytes: Size limit (default 16 KiB).
    ///   - jsonLimits: Depth and size limits for header and payload JSON.
    /// - Throws: ``JWSError`` `key.configuration` for an empty key set, duplicate `kid`s, several keys without
    ///   `kid`, or a key bound to an algorithm outside `allowedAlgorithms`.
    public init(
        keys: [JWSVerificationKey], allowedAlgorithms: Set<RSASignatureAlgorithm>? = nil,
        policy: JWTValidationPolicy = JWTValidationPolicy(), maximumTokenBytes: Int = 16 * 1024,
        jsonLimits: StrictJSON.Limits = .default
    ) throws(JWSError) {
        guard !keys.isEmpty else { throw JWSError(.keyConfiguration, reason: "a verifier needs at least one key") }
        let allowed = allowedAlgorithms ?? Set(keys.map(\.algorithm))
        var seen = Set<String>()
        for k in keys {
            if let kid = k.keyID {
                guard seen.insert(kid).inserted else {
                    throw JWSError(.keyConfiguration, reason: "kid \"\(kid)\" is used by more than one key")
                }
            } else if keys.count > 1 {
                throw JWSError(.keyConfiguration, reason: "with several keys, every key needs a kid")
            }
            guard allowed.contains(k.algorithm) else {
                throw JWSError(.keyConfiguration, reason: "a key is bound to \(k.algorithm), which is not an allowed algorithm")
            }
        }
        self.keys = keys
        self.allowedAlgorithms = allowed
        self.policy = policy
        self.maximumTokenBytes = maximumTokenBytes
        self.jsonLimits = jsonLimits
    }

    /// Verifies a JWT: signature, then claims.
    ///
    /// - Parameter token: The compact token bytes.
    /// - Returns: The verified header and claims.
    /// - Throws: ``JWSError`` with any of the codes in ``JWSError/Code``, the segment, and the token offset.
    /// - Allocation: allocates the decoded header, payload and claims.
    public func verify(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWT {
        let (jws, payloadStart) = try unsafe verifySignatureReturningOffset(token)
        let value: JSONValue
        do throws(JSONError) {
            value = try StrictJSON.parse(jws.payload, limits: jsonLimits)
        } catch {
            throw JWSError.json(error, segment: .payload, segmentStart: payloadStart)
        }
        guard case .object(let object) = value else {
            throw JWSError(.payloadNotObject, segment: .payload, offset: payloadStart,
                           reason: "a JWT payload must be a JSON object of claims, found \(value.typeName)")
        }
        let claims = try JWTClaims(object: object, payloadStart: payloadStart)
        try policy.validate(claims)
        return VerifiedJWT(jws: jws, claims: claims, payloadObject: object)
    }

    /// Verifies a JWT given as a string.
    ///
    /// - Throws: as ``verify(_:)-(UnsafeRawBufferPointer)``.
    public func verify(_ token: String) throws(JWSError) -> VerifiedJWT {
        try unsafe token.utf8Span.span.withUnsafeBytes { (b) throws(JWSError) -> VerifiedJWT in try unsafe verify(b) }
    }

    /// Verifies only the signature of a JWS (any payload), with no claims checks.
    ///
    /// - Throws: ``JWSError`` for the size, shape, header, key selection and signature.
    public func verifySignature(_ token: UnsafeRawBufferPointer) throws(JWSError) -> VerifiedJWS {
        try unsafe verifySignatureReturningOffset(token).0
    }

    private func verifySignatureReturningOffset(_ token: UnsafeRawBufferPointer) throws(JWSError) -> (VerifiedJWS, Int) {
        guard token.count <= maximumTokenBytes else {
            throw JWSError(.tooLarge, segment: .token, offset: maximumTokenBytes,
                           reason: "the token is \(token.count) bytes; this verifier accepts at most \(maximumTokenBytes)")
        }
        let layout = try unsafe JWSCompactLayout(scanning: token)
        // Header.
        let headerBytes = try unsafe decodeSegment(token, layout.header, .header)
        let headerValue: JSONValue
        do throws(JSONError) {
            headerValue = try StrictJSON.parse(headerBytes, limits: jsonLimits)
        } catch {
            throw JWSError.json(error, segment: .header, segmentStart: 0)
        }
        guard case .object(let header) = headerValue else {
            throw JWSError(.headerNotObject, segment: .header, offset: 0,
                           reason: "the JOSE header must be a JSON object, found \(headerValue.typeName)")
        }
        let algorithm = try checkAlgorithm(header)
        try checkCritical(header)
        try checkType(header)
        let vk = try selectKey(header, algorithm: algorithm)
        guard vk.algorithm == algorithm else {
            throw JWSError(.algNotAllowed, segment: .header, offset: headerOffset(header, "alg"),
                           reason: "alg \(algorithm) does not match the selected key, which is bound to \(vk.algorithm)")
        }
        // Payload syntax, then the signature over the original bytes.
        let payload = try unsafe decodeSegment(token, layout.payload, .payload)
        let signatureRange = layout.signature
        let expectedEncoded = Base64URL.encodedCount(byteCount: vk.key.signatureByteCount)
        try unsafe withUnsafeTemporaryAllocation(byteCount: max(1, signatureRange.count), alignment: 8) {
            (sig) throws(JWSError) in
            let n: Int
            do throws(Base64URLError) {
                n = try unsafe Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[signatureRange]), into: sig)
            } catch {
                throw JWSError.base64(error, segment: .signature, segmentStart: signatureRange.lowerBound)
            }
            guard n == vk.key.signatureByteCount else {
                throw JWSError(.signatureLength, segment: .signature, offset: signatureRange.lowerBound,
                               reason: "the signature is \(n) bytes (\(signatureRange.count) characters); an RSA-\(vk.key.bits) signature is \(vk.key.signatureByteCount) bytes (\(expectedEncoded) characters)")
            }
            let signature = unsafe UnsafeRawBufferPointer(rebasing: sig[..<n])
            let message = unsafe UnsafeRawBufferPointer(rebasing: token[layout.signingInput])
            let valid = unsafe vk.key.isValidSignature(signature, for: message, algorithm: algorithm)
            if let second = vk.secondOpinion {
                let otherValid = unsafe second.check(signature, message, algorithm)
                guard otherValid == valid else {
                    throw JWSError(.crossCheckDisagreement, segment: .signature, offset: signatureRange.lowerBound,
                                   reason: "OpenSSL says the signature is \(valid ? "valid" : "invalid") but \(second.name) says \(otherValid ? "valid" : "invalid"); the token is rejected")
                }
            }
            guard valid else {
                throw JWSError(.signatureInvalid, segment: .signature, offset: signatureRange.lowerBound,
                               reason: "the \(algorithm) signature does not verify with key \(vk.keyID.map { "\"\($0)\"" } ?? "(no kid)")")
            }
        }
        return (VerifiedJWS(header: header, payload: payload, algorithm: algorithm, keyID: vk.keyID), layout.payload.lowerBound)
    }

    private func decodeSegment(_ token: UnsafeRawBufferPointer, _ range: Range<Int>, _ segment: JWSError.Segment)
        throws(JWSError) -> [UInt8]
    {
        do throws(Base64URLError) {
            return try unsafe Base64URL.decode(Array(UnsafeRawBufferPointer(rebasing: token[range])))
        } catch {
            throw JWSError.base64(error, segment: segment, segmentStart: range.lowerBound)
        }
    }

    private func headerOffset(_ header: JSONObject, _ name: String) -> Int? {
        header.member(name).map { $0.valueOffset / 3 * 4 }
    }

    private func checkAlgorithm(_ header: JSONObject) throws(JWSError) -> RSASignatureAlgorithm {
        guard let member = header.member("alg") else {
            throw JWSError(.algMissing, segment: .header, offset: 0, reason: "the header has no 'alg'")
        }
        guard case .string(let name) = member.value else {
            throw JWSError(.algMissing, segment: .header, offset: headerOffset(header, "alg"),
                           reason: "'alg' must be a string, found \(member.value.typeName)")
        }
        let allowedList = allowedAlgorithms.map(\.jwsName).sorted().joined(separator: ", ")
        guard let alg = RSASignatureAlgorithm(jwsName: name), allowedAlgorithms.contains(alg) else {
            let why = name.lowercased() == "none" ? " (unsigned tokens are never accepted)"
                : name.hasPrefix("HS") ? " (HMAC with an RSA public key as the secret is a known attack)" : ""
            throw JWSError(.algNotAllowed, segment: .header, offset: headerOffset(header, "alg"),
                           reason: "alg \"\(name)\" is not allowed\(why); allowed: \(allowedList)")
        }
        return alg
    }

    /// RFC 7515 §4.1.11: `crit` must be a non-empty array of unique names of header parameters that are present,
    /// are not registered JWS parameters, and are understood; Signet understands no extensions, so any valid
    /// `crit` is rejected too.
    private func checkCritical(_ header: JSONObject) throws(JWSError) {
        guard let member = header.member("crit") else { return }
        let offset = headerOffset(header, "crit")
        guard case .array(let items) = member.value, !items.isEmpty else {
            throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' must be a non-empty array of strings")
        }
        var names = Set<String>()
        for item in items {
            guard case .string(let name) = item else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' must hold only strings")
            }
            guard names.insert(name).inserted else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' lists \"\(name)\" twice")
            }
            let registered: Set<String> = ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"]
            guard !registered.contains(name) else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' may not list the registered parameter \"\(name)\"")
            }
            guard header.member(name) != nil else {
                throw JWSError(.critUnsupported, segment: .header, offset: offset, reason: "'crit' lists \"\(name)\", which is not in the header")
            }
        }
        throw JWSError(.critUnsupported, segment: .header, offset: offset,
                       reason: "critical extension(s) \(names.sorted().joined(separator: ", ")) are not understood by this verifier")
    }

    private func checkType(_ header: JSONObject) throws(JWSError) {
        guard let expected = policy.expectedType else { return }
        func normal(_ s: String) -> String {
            let l = s.lowercased()
            return l.hasPrefix("application/") ? String(l.dropFirst("application/".count)) : l
        }
        guard let member = header.member("typ") else {
            throw JWSError(.typInvalid, segment: .header, offset: 0, reason: "the header has no 'typ'; expected \"\(expected)\"")
        }
        guard case .string(let typ) = member.value, normal(typ) == normal(expected) else {
            throw JWSError(.typInvalid, segment: .header, offset: headerOffset(header, "typ"),
                           reason: "typ \(member.value) is not \"\(expected)\"")
        }
    }

    private func selectKey(_ header: JSONObject, algorithm: RSASignatureAlgorithm) throws(JWSError) -> JWSVerificationKey {
        if let member = header.member("kid") {
            guard case .string(let kid) = member.value else {
                throw JWSError(.kidUnknown, segment: .header, offset: headerOffset(header, "kid"),
                               reason: "'kid' must be a string, found \(member.value.typeName)")
            }
            guard let key = keys.first(where: { $0.keyID == kid }) else {
                let shown = kid.count > 64 ? String(kid.prefix(64)) + "…" : kid
                throw JWSError(.kidUnknown, segment: .header, offset: headerOffset(header, "kid"),
                               reason: "kid \"\(shown)\" matches none of the verifier's \(keys.count) key(s)")
            }
            return key
        }
        guard keys.count == 1 else {
            throw JWSError(.kidMissing, segment: .header, offset: 0,
                           reason: "the header has no 'kid' and the verifier has \(keys.count) keys")
        }
        return keys[0]
    }
}
