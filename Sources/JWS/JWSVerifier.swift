// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

/// Verifies compact JWS / JWT tokens against a fixed key set, allowed algorithms and claims policy.
///
/// Everything that decides acceptance is fixed before the first token is seen. For each token it checks, in
/// order: the size limit; the compact shape; the header (strict JSON, `alg` allowed and equal to the selected key's
/// bound algorithm, `crit`, `typ`, `kid`); the signature over the original bytes; and only then the claims.
/// `none`, HMAC and any algorithm outside ``JWSAlgorithm`` cannot be expressed, so they can never verify, and a
/// key of one family never verifies a token that names another.
public struct JWSVerifier: Sendable {
    /// The keys, by position.
    public let keys: [JWSVerificationKey]
    /// The algorithms accepted at all.
    public let allowedAlgorithms: Set<JWSAlgorithm>
    /// The claims policy.
    public let policy: JWTValidationPolicy
    /// Tokens longer than this are rejected before any other work.
    public let maximumTokenBytes: Int
    /// Limits for header and payload JSON.
    public let jsonLimits: StrictJSON.Limits
    /// Bit `algorithm.index` is set for each allowed algorithm.
    let allowedMask: Int
    /// Whether every key's `kid` is ASCII (then an ASCII `kid` that matches none exactly matches none at all).
    let keyIDsAreASCII: Bool
    /// The policy's `typ`, lower-cased without `application/`, when it is ASCII (`nil`: compare as Swift strings).
    let expectedTypeKey: [UInt8]?
    /// The longest signature of any key.
    let largestSignatureByteCount: Int

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: At least one key; `kid`s must be unique; when there are several keys each needs a `kid`.
    ///   - allowedAlgorithms: Algorithms accepted; defaults to the keys' bound algorithms.
    ///   - policy: The claims policy.
    ///   - maximumTokenBytes: Size limit (default 16 KiB).
    ///   - jsonLimits: Depth and size limits for header and payload JSON.
    /// - Throws: ``JWSError`` `configuration.invalid` for an empty key set, duplicate `kid`s, several keys without
    ///   `kid`, or a key bound to an algorithm outside `allowedAlgorithms`.
    public init(
        keys: [JWSVerificationKey], allowedAlgorithms: Set<JWSAlgorithm>? = nil,
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
                throw JWSError(
                    .keyConfiguration, reason: "a key is bound to \(k.algorithm), which is not an allowed algorithm")
            }
        }
        self.keys = keys
        self.allowedAlgorithms = allowed
        self.policy = policy
        self.maximumTokenBytes = maximumTokenBytes
        self.jsonLimits = jsonLimits
        self.allowedMask = allowed.reduce(0) { $0 | Self.bit($1) }
        self.keyIDsAreASCII = keys.allSatisfy { $0.keyID?.utf8.allSatisfy { $0 < 0x80 } ?? true }
        self.expectedTypeKey = policy.expectedType.flatMap { t in
            t.utf8.allSatisfy { $0 < 0x80 } ? Array(Self.normalizedType(t).utf8) : nil
        }
        self.largestSignatureByteCount = keys.map(\.key.signatureByteCount).max() ?? 0
    }

    // MARK: Shared rules and messages

    /// `typ` as compared: lower-cased, without an `application/` prefix (RFC 7515 §4.1.9).
    static func normalizedType(_ s: String) -> String {
        let l = s.lowercased()
        return l.hasPrefix("application/") ? String(l.dropFirst("application/".count)) : l
    }

    func algorithmNotAllowedReason(_ name: String) -> String {
        let allowedList = allowedAlgorithms.map(\.jwsName).sorted().joined(separator: ", ")
        let why =
            name.lowercased() == "none"
            ? " (unsigned tokens are never accepted)"
            : name.hasPrefix("HS") ? " (HMAC with an RSA public key as the secret is a known attack)" : ""
        return "alg \"\(name)\" is not allowed\(why); allowed: \(allowedList)"
    }

    func algorithmBindingReason(_ algorithm: JWSAlgorithm, _ vk: JWSVerificationKey) -> String {
        "alg \(algorithm) does not match the selected key (\(vk.key.keyDescription)), which is bound to \(vk.algorithm)"
    }

    func kidUnknownReason(_ kid: String) -> String {
        let shown = kid.count > 64 ? String(kid.prefix(64)) + "…" : kid
        return "kid \"\(shown)\" matches none of the verifier's \(keys.count) key(s)"
    }

    /// RFC 7515 §4.1.11: `crit` must be a non-empty array of unique names of header parameters that are present,
    /// are not registered JWS parameters, and are understood; Signet understands no extensions, so any valid
    /// `crit` is rejected too.
    func checkCritical(_ header: JSONObject) throws(JWSError) {
        guard let member = header.member("crit") else { return }
        let offset = headerOffset(header, "crit")
        guard case .array(let items) = member.value, !items.isEmpty else {
            throw JWSError(
                .critUnsupported, segment: .header, offset: offset,
                reason: "'crit' must be a non-empty array of strings")
        }
        var names = Set<String>()
        for item in items {
            guard case .string(let name) = item else {
                throw JWSError(
                    .critUnsupported, segment: .header, offset: offset, reason: "'crit' must hold only strings")
            }
            guard names.insert(name).inserted else {
                throw JWSError(
                    .critUnsupported, segment: .header, offset: offset, reason: "'crit' lists \"\(name)\" twice")
            }
            let registered: Set<String> = [
                "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
            ]
            guard !registered.contains(name) else {
                throw JWSError(
                    .critUnsupported, segment: .header, offset: offset,
                    reason: "'crit' may not list the registered parameter \"\(name)\"")
            }
            guard header.member(name) != nil else {
                throw JWSError(
                    .critUnsupported, segment: .header, offset: offset,
                    reason: "'crit' lists \"\(name)\", which is not in the header")
            }
        }
        throw JWSError(
            .critUnsupported, segment: .header, offset: offset,
            reason:
                "critical extension(s) \(names.sorted().joined(separator: ", ")) are not understood by this verifier")
    }

}
