// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// A JSON Web Key Set (RFC 7517 §5) of signing keys (RSA, EC P-256/384/521, OKP Ed25519): written for publishing,
/// read leniently entry by entry.
///
/// Reading follows RFC 7517 and what published APIM key sets contain (NHS-RULES rule 42): an entry with a `kty`
/// other than `RSA`, `EC` or `OKP` (Ed25519), or one that cannot be used, is skipped and reported rather than failing the whole set; unknown
/// members are ignored; a bare JWK at the top level is read as a set of one. Keys that carry private members are
/// loaded (their public part) so that a diagnosis can name them, but ``verificationKeys(defaultAlgorithm:)-(JWSAlgorithm)`` refuses
/// them.
public struct JWKSet: Sendable {
    /// One key read from the set.
    public struct Key: Sendable {
        /// Position in the `keys` array (0 for a bare JWK).
        public let index: Int
        /// `kid`, when it is a string.
        public let keyID: String?
        /// `alg` as written, when it is a string.
        public let algorithmName: String?
        /// `use` as written, when it is a string.
        public let use: String?
        /// The public key (`n`, `e`; `crv`, `x`, `y`; or `crv`, `x`), or for an RSA entry without `n` and `e`, the key
        /// of its first `x5c` certificate.
        public let publicKey: JWSPublicKey
        /// The first `x5c` certificate (RFC 7517 §4.7) of an RSA entry, when it has one that loads; when `n` and `e`
        /// are also present, its key is the same (an entry whose `x5c` key differs is skipped with `jwks.x5c-mismatch`).
        public let certificate: X509Certificate?
        /// Names of private members present (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`), in document order.
        public let privateMembers: [String]
        /// The entry as JSON, with byte offsets into the JWKS text.
        public let object: JSONObject
        /// Byte offset of the entry in the JWKS text (its first member name).
        public let offset: Int

        /// The algorithm this key verifies: its `alg` when that names an algorithm of the key's family; without
        /// `alg`, `defaultAlgorithm` for an RSA key (when it is an RSA algorithm), the curve's ES algorithm for an
        /// EC key, EdDSA for an Ed25519 key; `nil` otherwise (e.g. `RSA-OAEP`, or `ES256` on an RSA key).
        public func boundAlgorithm(default defaultAlgorithm: JWSAlgorithm) -> JWSAlgorithm? {
            let algorithm: JWSAlgorithm?
            if let algorithmName {
                algorithm = JWSAlgorithm(jwsName: algorithmName)
            } else {
                switch publicKey {
                case .rsa: algorithm = defaultAlgorithm
                case .ec(let k): algorithm = JWSAlgorithm(ecdsa: k.curve)
                case .ed25519: algorithm = .edDSA
                }
            }
            return algorithm.flatMap { publicKey.canVerify($0) ? $0 : nil }
        }

        /// Byte offset in the JWKS text of member `name`'s value.
        public func valueOffset(_ name: String) -> Int? { object.member(name)?.valueOffset }
    }

    /// Something about the set worth reporting: a skipped entry, or a problem with a key that was read.
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// Stable codes.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            /// The stable spelling.
            public let rawValue: String
            /// Internal: the set of codes is closed (other modules read codes, never invent them).
            init(rawValue: String) { self.rawValue = rawValue }
            /// The stable spelling.
            public var description: String { rawValue }
            /// A JSON member name repeats (the last value is used); forwarded from ``JSONError``, which owns the
            /// `json.*` codes.
            public static let duplicateMember = Code(rawValue: JSONError.Code.duplicateMember.rawValue)
            /// No `keys` array, or an empty one.
            public static let noKeys = Code(rawValue: "jwks.no-keys")
            /// The document is a single JWK, not `{"keys":[…]}`.
            public static let bareJWK = Code(rawValue: "jwks.bare-jwk")
            /// An entry is not a JSON object.
            public static let entryNotObject = Code(rawValue: "jwks.entry-not-object")
            /// `kty` is missing or not `RSA`, `EC` or `OKP` with `crv` `Ed25519` (entry skipped).
            public static let unsupportedKeyType = Code(rawValue: "jwks.unsupported-kty")
            /// The key members (`n`, `e`; `crv`, `x`, `y`; `crv`, `x`) are missing or unusable (entry skipped), and
            /// for an RSA entry no `x5c` certificate stands in for `n` and `e`; or `x5c` is present and unusable.
            public static let invalidKey = Code(rawValue: "jwks.invalid-key")
            /// The first `x5c` certificate's key is not the key of `n` and `e` (entry skipped: which key is meant
            /// cannot be told).
            public static let x5cMismatch = Code(rawValue: "jwks.x5c-mismatch")
            /// The modulus is under 2048 bits (entry skipped).
            public static let keyTooSmall = Code(rawValue: "jwks.key-too-small")
            /// Private members are published (refused for verification).
            public static let privateMembers = Code(rawValue: "jwks.private-members")
            /// Another key already has this `kid` (refused for verification).
            public static let duplicateKeyID = Code(rawValue: "jwks.duplicate-kid")
            /// `alg` is not a signature algorithm of the key's family (refused for verification).
            public static let unsupportedAlgorithm = Code(rawValue: "jwks.alg-unsupported")
            /// `use` is present and not `sig` (refused for verification).
            public static let useNotSignature = Code(rawValue: "jwks.use-not-sig")
            /// A key has no `kid` in a set of several (refused for verification).
            public static let keyIDMissing = Code(rawValue: "jwks.kid-missing")
        }

        /// The stable code.
        public let code: Code
        /// The entry's position in `keys`, when the issue is about one entry.
        public let index: Int?
        /// Byte offset in the JWKS text.
        public let offset: Int?
        /// The entry's `kid`, if known.
        public let keyID: String?
        /// One line a person understands, with the fix.
        public let reason: String
        /// The error behind the issue, kept as a value: the ``JSONError`` of `json.duplicate-member`, the
        /// `SignetKeyError` of `jwks.key-too-small` and `jwks.invalid-key`; otherwise `nil`.
        public internal(set) var underlying: (any Error)? = nil

        /// Compares every field except ``underlying`` (an error is not `Equatable`).
        public static func == (a: Issue, b: Issue) -> Bool {
            a.code == b.code && a.index == b.index && a.offset == b.offset && a.keyID == b.keyID
                && a.reason == b.reason
        }

        /// `<code> [keys[i] @offset]: <reason>`.
        public var description: String {
            var s = code.rawValue
            if let index { s += " [keys[\(index)]" + (offset.map { " @\($0)" } ?? "") + "]" }
            return s + ": " + reason
        }
    }

    /// Every key whose public members loaded, in document order (including ones refused for verification).
    public let keys: [Key]
    /// Everything worth reporting, in document order.
    public let issues: [Issue]

    /// Reads a JWK set leniently.
    ///
    /// - Parameter text: The JWKS document.
    /// - Returns: The keys and the issues.
    /// - Throws: ``JSONError`` only when `text` is not JSON at all (`json.invalid`, `json.too-deep`,
    ///   `json.too-large`); everything else is an ``Issue``.
    /// - Allocation: allocates.
    public static func parse(_ text: String) throws(JSONError) -> JWKSet {
        let (value, duplicates) = try StrictJSON.parseKeepingLastDuplicate(
            Array(text.utf8), limits: StrictJSON.Limits(maxDepth: 16, maxBytes: 1 << 20))
        var issues = duplicates.map {
            Issue(
                code: .duplicateMember, index: nil, offset: $0.offset, keyID: nil,
                reason: $0.reason + "; the last value is used", underlying: $0)
        }
        guard case .object(let top) = value else {
            issues.append(
                Issue(
                    code: .noKeys, index: nil, offset: 0, keyID: nil,
                    reason: "a JWK set is a JSON object {\"keys\":[…]}; this is a JSON \(value.typeName)"))
            return JWKSet(keys: [], issues: issues)
        }
        var entries: [(JSONValue, Int)] = []
        if let keysMember = top.member("keys") {
            guard case .array(let items) = keysMember.value else {
                issues.append(
                    Issue(
                        code: .noKeys, index: nil, offset: keysMember.valueOffset, keyID: nil,
                        reason: "\"keys\" must be an array of JWKs; it is a \(keysMember.value.typeName)"))
                return JWKSet(keys: [], issues: issues)
            }
            entries = items.map { ($0, keysMember.valueOffset) }
        } else if top.member("kty") != nil {
            issues.append(
                Issue(
                    code: .bareJWK, index: 0, offset: 0, keyID: top["kid"]?.stringValue,
                    reason: "the document is a single JWK; publish it as {\"keys\":[ … ]} (RFC 7517 §5)"))
            entries = [(value, 0)]
        } else {
            issues.append(
                Issue(
                    code: .noKeys, index: nil, offset: 0, keyID: nil,
                    reason: "the object has no \"keys\" array; a JWK set is {\"keys\":[ … ]} (RFC 7517 §5)"))
            return JWKSet(keys: [], issues: issues)
        }
        if entries.isEmpty {
            issues.append(
                Issue(
                    code: .noKeys, index: nil, offset: top.member("keys")?.valueOffset, keyID: nil,
                    reason: "the \"keys\" array is empty: publish the public key that signs your assertions"))
        }
        var keys: [Key] = []
        for (index, (entry, arrayOffset)) in entries.enumerated() {
            if let key = readEntry(entry, index: index, arrayOffset: arrayOffset, issues: &issues) { keys.append(key) }
        }
        checkSet(keys, issues: &issues)
        return JWKSet(keys: keys, issues: issues)
    }

    private static func readEntry(_ entry: JSONValue, index: Int, arrayOffset: Int, issues: inout [Issue]) -> Key? {
        guard case .object(let object) = entry else {
            issues.append(
                Issue(
                    code: .entryNotObject, index: index, offset: arrayOffset, keyID: nil,
                    reason: "keys[\(index)] is a JSON \(entry.typeName), not a JWK object; skipped"))
            return nil
        }
        let offset = object.members.first?.nameOffset ?? arrayOffset
        let kid = object["kid"]?.stringValue
        let kty = object["kty"]?.stringValue
        guard kty == "RSA" || kty == "EC" || (kty == "OKP" && object["crv"]?.stringValue == "Ed25519") else {
            let found = object["kty"].map { $0.stringValue.map { "\"\($0)\"" } ?? $0.typeName } ?? "missing"
            let what = kty == "OKP" ? "an OKP key on \(object["crv"]?.description ?? "no curve")" : "kty \(found)"
            issues.append(
                Issue(
                    code: .unsupportedKeyType, index: index, offset: object.member("kty")?.valueOffset ?? offset,
                    keyID: kid,
                    reason:
                        "\(what) is not used (only RSA, EC P-256/384/521 and OKP Ed25519 keys are), so this entry is skipped (RFC 7517 §5)"
                ))
            return nil
        }
        guard
            let (publicKey, certificate) = readKey(
                object, kty: kty ?? "", index: index, offset: offset, issues: &issues)
        else {
            return nil
        }
        let privateNames = publicKey.rsa == nil ? ["d"] : ["d", "p", "q", "dp", "dq", "qi", "oth"]
        let privateMembers = object.members.filter { privateNames.contains($0.name) }
        if let first = privateMembers.first {
            issues.append(
                Issue(
                    code: .privateMembers, index: index, offset: first.nameOffset, keyID: kid,
                    reason:
                        "the entry publishes private members (\(privateMembers.map(\.name).joined(separator: ", "))): anyone who has this JWKS can sign as you. Treat the key as compromised: generate a new key pair, publish only kty, n, e, alg, kid, use (`signet jwks`), and revoke this one"
                ))
        }
        let alg = object["alg"]?.stringValue
        if let alg, !(JWSAlgorithm(jwsName: alg).map(publicKey.canVerify) ?? false) {
            let usable = JWSAlgorithm.all.filter(publicKey.canVerify).map(\.jwsName).joined(separator: ", ")
            issues.append(
                Issue(
                    code: .unsupportedAlgorithm, index: index, offset: object.member("alg")?.valueOffset, keyID: kid,
                    reason:
                        "alg \"\(alg)\" is not one a \(publicKey.keyDescription) key verifies (\(usable)), so this key cannot verify with it"
                ))
        }
        let use = object["use"]?.stringValue
        if let use, use != "sig" {
            issues.append(
                Issue(
                    code: .useNotSignature, index: index, offset: object.member("use")?.valueOffset, keyID: kid,
                    reason: "use is \"\(use)\"; a key that verifies signatures has \"use\":\"sig\""))
        }
        return Key(
            index: index, keyID: kid, algorithmName: alg, use: use, publicKey: publicKey, certificate: certificate,
            privateMembers: privateMembers.map(\.name), object: object, offset: offset)
    }

    /// The entry's key from `n` and `e`, or from its first `x5c` certificate when they are absent; with both, the
    /// two must be the same key. `nil` (with an issue) when the entry is unusable.
    private static func readKey(
        _ object: JSONObject, kty: String, index: Int, offset: Int, issues: inout [Issue]
    ) -> (JWSPublicKey, X509Certificate?)? {
        let kid = object["kid"]?.stringValue
        func issue(_ code: Issue.Code, _ at: Int?, _ reason: String, _ error: SignetKeyError? = nil) {
            issues.append(
                Issue(code: code, index: index, offset: at ?? offset, keyID: kid, reason: reason, underlying: error))
        }
        // EC and OKP entries: their members only (`x5c` is not consulted).
        guard kty == "RSA" else {
            do throws(SignetKeyError) {
                return (try Self.publicKey(object, kty: kty), nil)
            } catch {
                issue(.invalidKey, nil, "the key cannot be loaded: \(error.reason); skipped", error)
                return nil
            }
        }
        var certificate: X509Certificate? = nil
        if let x5c = object.member("x5c") {
            guard let first = x5c.value.arrayValue?.first?.stringValue else {
                issue(.invalidKey, x5c.valueOffset, "x5c must be a non-empty array of base64 DER certificates; skipped")
                return nil
            }
            do throws(SignetKeyError) {
                certificate = try X509Certificate(x5c: first)
            } catch {
                issue(.invalidKey, x5c.valueOffset, "x5c[0] cannot be used: \(error.reason); skipped", error)
                return nil
            }
            if let family = certificate?.keyFamily, family != .rsa {
                issue(
                    .invalidKey, x5c.valueOffset,
                    "x5c[0] holds \(family.name), but the entry's kty is RSA; skipped")
                return nil
            }
        }
        let n = object["n"]?.stringValue
        let e = object["e"]?.stringValue
        guard let n, let e else {
            if let certificate, let rsa = certificate.rsaPublicKey, object.member("n") == nil,
                object.member("e") == nil
            {
                return (.rsa(rsa), certificate)
            }
            issue(.invalidKey, nil, "an RSA JWK needs string members \"n\" and \"e\" (or an x5c certificate); skipped")
            return nil
        }
        let publicKey: RSAPublicKey
        do throws(SignetKeyError) {
            publicKey = try RSAPublicKey(jwk: RSAJWKComponents(n: n, e: e))
        } catch {
            if error.code == .keyTooSmall {
                issue(
                    .keyTooSmall, object.member("n")?.valueOffset,
                    "\(error.reason), and NHS England uses 4096: generate a new key pair (`signet keygen --bits 4096`); skipped",
                    error)
            } else {
                issue(.invalidKey, nil, "the key cannot be loaded: \(error.reason); skipped", error)
            }
            return nil
        }
        if let certificate,
            certificate.rsaPublicKey?.modulus != publicKey.modulus
                || certificate.rsaPublicKey?.exponent != publicKey.exponent
        {
            issue(
                .x5cMismatch, object.member("x5c")?.valueOffset,
                "the x5c certificate (\(certificate.subject)) holds a different key from n and e: publish the certificate of the same key, or drop x5c; skipped"
            )
            return nil
        }
        return (.rsa(publicKey), certificate)
    }

    /// The public key of an entry of type `kty` (`RSA`, `EC`, or `OKP` with `crv` `Ed25519`).
    private static func publicKey(_ object: JSONObject, kty: String) throws(SignetKeyError) -> JWSPublicKey {
        func member(_ name: String) throws(SignetKeyError) -> String {
            guard let value = object[name]?.stringValue else {
                throw SignetKeyError(.jwkInvalid, reason: "a \(kty) JWK needs a string member \"\(name)\"")
            }
            return value
        }
        switch kty {
        case "RSA": return .rsa(try RSAPublicKey(jwk: RSAJWKComponents(n: try member("n"), e: try member("e"))))
        case "EC":
            return .ec(
                try ECPublicKey(jwk: ECJWKComponents(crv: try member("crv"), x: try member("x"), y: try member("y"))))
        default:
            return .ed25519(try Ed25519PublicKey(jwk: OKPJWKComponents(crv: try member("crv"), x: try member("x"))))
        }
    }

    private static func checkSet(_ keys: [Key], issues: inout [Issue]) {
        var seen: [String: Int] = [:]
        for key in keys {
            guard let kid = key.keyID else {
                if keys.count > 1 {
                    issues.append(
                        Issue(
                            code: .keyIDMissing, index: key.index, offset: key.offset, keyID: nil,
                            reason:
                                "keys[\(key.index)] has no kid in a set of \(keys.count) keys, so no token can select it"
                        ))
                }
                continue
            }
            if let first = seen[kid] {
                issues.append(
                    Issue(
                        code: .duplicateKeyID, index: key.index, offset: key.valueOffset("kid"), keyID: kid,
                        reason:
                            "kid \"\(kid)\" is also used by keys[\(first)]; every key needs its own kid (RFC 7517 §4.5), or a verifier cannot tell which key a token means"
                    ))
            } else {
                seen[kid] = key.index
            }
        }
    }

    /// The keys a verifier may use, each bound to one algorithm (RFC 8725 §3.1): its `alg`, or `defaultAlgorithm`
    /// when it has none.
    ///
    /// Refused (each has an ``Issue``): keys with private members, an `alg` that is not one of the key's family, a `use`
    /// other than `sig`, a `kid` an earlier key already has, and — in a set of several — a key without a `kid`.
    ///
    /// - Parameter defaultAlgorithm: The algorithm for keys without `alg`.
    /// - Allocation: allocates the result.
    public func verificationKeys(defaultAlgorithm: JWSAlgorithm) -> [JWSVerificationKey] {
        var out: [JWSVerificationKey] = []
        var seen = Set<String>()
        for key in keys {
            guard key.privateMembers.isEmpty, key.use == nil || key.use == "sig",
                let algorithm = key.boundAlgorithm(default: defaultAlgorithm)
            else { continue }
            if let kid = key.keyID {
                guard seen.insert(kid).inserted else { continue }
            } else if keys.count > 1 {
                continue
            }
            // boundAlgorithm only returns algorithms the key can verify, so the binding cannot fail.
            if let bound = try? JWSVerificationKey(key: key.publicKey, algorithm: algorithm, keyID: key.keyID) {
                out.append(bound)
            }
        }
        return out
    }

    /// A JWK set to publish: `{"keys":[{"kty":"RSA","n":…,"e":…,"alg":…,"kid":…,"use":"sig"}, …]}`, public members
    /// only (RFC 7518 §6.3.1: unpadded base64url, no leading zero octets).
    ///
    /// - Parameter keys: The public keys with their `kid` and algorithm.
    /// - Returns: Compact JSON, with no trailing newline.
    /// - Allocation: allocates the result.
    public static func document(
        _ keys: [(key: RSAPublicKey, keyID: String, algorithm: RSASignatureAlgorithm)]
    ) -> String {
        document(keys.map { (key: JWSPublicKey.rsa($0.key), keyID: $0.keyID, algorithm: JWSAlgorithm($0.algorithm)) })
    }

    /// A JWK set to publish with keys of any family: `{"keys":[{"kty":…, <key members>, "alg":…, "kid":…,
    /// "use":"sig"}, …]}`, public members only (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2).
    ///
    /// - Parameter keys: The public keys with their `kid` and algorithm.
    /// - Returns: Compact JSON, with no trailing newline.
    /// - Allocation: allocates the result.
    public static func document(_ keys: [(key: JWSPublicKey, keyID: String, algorithm: JWSAlgorithm)]) -> String {
        let entries: [JSONValue] = keys.map { entry in
            let members: [JSONObject.Member] =
                [.init(name: "kty", value: .string(entry.key.keyType))]
                + entry.key.jwkMembers.map { .init(name: $0.name, value: .string($0.value)) } + [
                    .init(name: "alg", value: .string(entry.algorithm.jwsName)),
                    .init(name: "kid", value: .string(entry.keyID)),
                    .init(name: "use", value: .string("sig")),
                ]
            return .object(JSONObject(members: members))
        }
        return JSONValue.object(JSONObject(members: [.init(name: "keys", value: .array(entries))])).description
    }
}
