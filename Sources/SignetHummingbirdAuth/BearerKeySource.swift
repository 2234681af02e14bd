// SPDX-License-Identifier: Apache-2.0

import JWS
import RemoteJWKS
import SignetKeys
import Synchronization

/// Where the authenticator's keys come from: a verifier over a fixed key set, or a JWK set by URL.
public struct BearerKeySource: Sendable {
    enum Storage: Sendable {
        case fixed(JWSVerifier)
        case remote(RemoteVerifier)
    }

    let storage: Storage

    /// Tokens are verified by `verifier`: its keys, algorithms and claims policy.
    ///
    /// - Parameter verifier: The verifier, bound to its keys and algorithms.
    /// - Returns: The key source.
    public static func verifier(_ verifier: JWSVerifier) -> BearerKeySource {
        BearerKeySource(storage: .fixed(verifier))
    }

    /// Tokens are verified against the keys of a JWK set fetched by `RemoteJWKSet` (its cache, early refresh and
    /// outage rules): a token whose `kid` the current set lacks makes the set re-fetch, within the set's cooldown
    /// (`refetchOnUnknownKeyID` must be on for that).
    ///
    /// - Parameters:
    ///   - set: The JWK set by URL.
    ///   - defaultAlgorithm: The algorithm of RSA keys published without `alg` (EC and Ed25519 keys are bound to
    ///     their curve's algorithm).
    ///   - policy: The claims policy.
    /// - Returns: The key source.
    public static func remote(
        _ set: RemoteJWKSet, defaultAlgorithm: JWSAlgorithm = .rs256, policy: JWTValidationPolicy
    ) -> BearerKeySource {
        BearerKeySource(storage: .remote(RemoteVerifier(set: set, defaultAlgorithm: defaultAlgorithm, policy: policy)))
    }
}

/// A verifier over the current keys of a `RemoteJWKSet`, rebuilt only when the set's keys change.
final class RemoteVerifier: Sendable {
    let set: RemoteJWKSet
    let defaultAlgorithm: JWSAlgorithm
    let policy: JWTValidationPolicy
    /// The keys' identities (a fetch parses new key objects) and the verifier built over them.
    private let cache = Mutex<(identity: [ObjectIdentifier], verifier: JWSVerifier?)>(([], nil))

    init(set: RemoteJWKSet, defaultAlgorithm: JWSAlgorithm, policy: JWTValidationPolicy) {
        self.set = set
        self.defaultAlgorithm = defaultAlgorithm
        self.policy = policy
    }

    /// The verifier over the set as it is now; `nil` when the set has no usable key.
    func current() async throws(RemoteJWKSError) -> JWSVerifier? {
        let keySet = try await set.keySet()
        // Per request: compared in place, no array built unless the set changed.
        let identities = keySet.keys.lazy.map { Self.identity(of: $0.publicKey) }
        let cached = cache.withLock { $0.identity.elementsEqual(identities) ? $0.verifier : nil }
        if let cached { return cached }
        let keys = keySet.verificationKeys(defaultAlgorithm: defaultAlgorithm)
        let verifier = keys.isEmpty ? nil : try? JWSVerifier(keys: keys, policy: policy)
        cache.withLock { $0 = (Array(identities), verifier) }
        return verifier
    }

    /// Asks the set for `kid` (a re-fetch on a miss, within the set's cooldown); whether it now has it.
    func refetch(forKeyID kid: String) async -> Bool {
        (try? await set.key(forKeyID: kid)) != nil
    }

    static func identity(of key: JWSPublicKey) -> ObjectIdentifier {
        switch key {
        case .rsa(let k): ObjectIdentifier(k)
        case .ec(let k): ObjectIdentifier(k)
        case .ed25519(let k): ObjectIdentifier(k)
        }
    }
}
