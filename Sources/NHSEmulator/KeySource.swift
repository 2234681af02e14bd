// SPDX-License-Identifier: Apache-2.0

import JWS
import RemoteJWKS
import SignetKeys

/// Where an application's or a client's public keys come from: nothing registered, a JWKS read once from a file, or
/// a JWKS URL fetched and cached as APIM does.
enum KeySource: Sendable {
    /// No JWKS registered (APIM: 403, NHS-RULES E23).
    case none
    /// A JWKS read at start-up; usable keys indexed by `kid`.
    case fixed(FixedKeys)
    /// A JWKS URL, fetched and cached (APIM: 1 h for a client's, no re-fetch on a miss; 24 h for CIS2's, re-fetched on
    /// an unknown `kid`).
    case remote(RemoteJWKSet)

    /// The answer to "which key has this `kid`".
    enum Lookup: Sendable {
        /// The key.
        case key(JWKSet.Key)
        /// No usable key has that `kid`.
        case unknownKeyID
        /// The JWKS could not be fetched (APIM: 403 E24 for a client, 500 E41 for CIS2's).
        case unreachable(String)
        /// No JWKS is registered.
        case notRegistered
    }

    /// Looks `kid` up.
    func lookup(_ kid: String) async -> Lookup {
        switch self {
        case .none: return .notRegistered
        case .fixed(let keys): return keys.byKeyID[kid].map { .key($0) } ?? .unknownKeyID
        case .remote(let set):
            do {
                guard let key = try await set.key(forKeyID: kid), FixedKeys.isUsable(key) else { return .unknownKeyID }
                return .key(key)
            } catch {
                return .unreachable(error.reason)
            }
        }
    }
}

/// A JWKS's usable keys by `kid` (keys with private members or a `use` other than `sig` left out; the first of a
/// repeated `kid` wins, as ``JWKSet/verificationKeys(defaultAlgorithm:)`` does).
struct FixedKeys: Sendable {
    /// The set as parsed.
    let set: JWKSet
    /// Usable keys by `kid`.
    let byKeyID: [String: JWKSet.Key]

    init(_ set: JWKSet) {
        self.set = set
        var index: [String: JWKSet.Key] = [:]
        for key in set.keys where Self.isUsable(key) {
            guard let kid = key.keyID, index[kid] == nil else { continue }
            index[kid] = key
        }
        byKeyID = index
    }

    /// A key with no private members and a `use`, if any, of `sig`.
    static func isUsable(_ key: JWKSet.Key) -> Bool {
        key.privateMembers.isEmpty && (key.use == nil || key.use == "sig")
    }
}

extension JWKSet.Key {
    /// Whether this key verifies `signature` over `message` with `algorithm`: the key's own `alg`, when it has one,
    /// must be that algorithm (RFC 8725 §3.1).
    func verifies(_ signature: [UInt8], over message: ArraySlice<UInt8>, algorithm: RSASignatureAlgorithm) -> Bool {
        let algorithm = JWSAlgorithm(algorithm)
        guard boundAlgorithm(default: algorithm) == algorithm else { return false }
        return unsafe message.withUnsafeBytes { m in
            unsafe signature.withUnsafeBytes { s in
                unsafe publicKey.isValidSignature(s, for: m, algorithm: algorithm)
            }
        }
    }
}
