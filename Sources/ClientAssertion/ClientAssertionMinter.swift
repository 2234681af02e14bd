// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys

/// Mints RFC 7523 `private_key_jwt` client assertions, one per token request, for one client, key and profile.
///
/// Each assertion has `iss = sub = clientID`, the profile's exact `aud`, `iat = now`, `exp = now + lifetime`, and a
/// fresh `jti` (a UUID v4 from OpenSSL's CSPRNG), so that retries never reuse a `jti` (APIM burns it before checking
/// anything else, NHS-RULES rule 13). The header (`alg`, `typ`, `kid`) is encoded once.
///
/// `Sendable`: share one minter (and so one loaded key) across threads. ``mint(into:)`` writes into a caller-owned
/// buffer with no heap allocation on the Swift side.
public final class ClientAssertionMinter: Sendable {
    /// The JWS signer (key, algorithm and cached header).
    public let signer: JWSSigner
    /// The profile in force.
    public let profile: ClientAssertionProfile
    /// `iss` and `sub`.
    public let clientID: String
    /// Seconds from `iat` to `exp`.
    public let lifetime: Int
    /// Source of "now".
    public let clock: JWTClock

    /// Creates a minter with an RSA key.
    ///
    /// - Parameters:
    ///   - key: The private key (load it once).
    ///   - keyID: The `kid` registered in the server's JWKS for this key.
    ///   - clientID: The client id (APIM: the application's API key; CIS2: the client_id).
    ///   - profile: The profile.
    ///   - algorithm: The algorithm; defaults to the profile's.
    ///   - lifetime: Seconds until `exp` (default 300, or the profile's maximum when that is shorter).
    ///   - clock: Source of "now" (default: the system clock).
    /// - Throws: as ``init(signingKey:keyID:clientID:profile:algorithm:lifetime:clock:)``.
    /// - Allocation: allocates once, here.
    public convenience init(
        key: RSAPrivateKey, keyID: String?, clientID: String, profile: ClientAssertionProfile,
        algorithm: RSASignatureAlgorithm? = nil, lifetime: Int? = nil, clock: JWTClock = .system
    ) throws(ClientAssertionError) {
        try self.init(
            signingKey: .rsa(key), keyID: keyID, clientID: clientID, profile: profile,
            algorithm: algorithm.map(JWSAlgorithm.init), lifetime: lifetime, clock: clock)
    }

    /// Creates a minter.
    ///
    /// - Parameters:
    ///   - key: The private key, of any family (load it once).
    ///   - keyID: The `kid` registered in the server's JWKS for this key.
    ///   - clientID: The client id (APIM: the application's API key; CIS2: the client_id).
    ///   - profile: ``ClientAssertionProfile/apim(_:)``, ``ClientAssertionProfile/cis2(tokenEndpoint:)``,
    ///     ``ClientAssertionProfile/rfc7523(audience:maximumLifetime:)`` or
    ///     ``ClientAssertionProfile/fapi(tokenEndpoint:maximumLifetime:)``.
    ///   - algorithm: The algorithm; defaults to the profile's (``ClientAssertionProfile/algorithm(for:)``).
    ///   - lifetime: Seconds until `exp` (default 300, or the profile's maximum when that is shorter; NHS's own
    ///     tooling uses 290 to allow for clock skew).
    ///   - clock: Source of "now" (default: the system clock).
    /// - Throws: ``ClientAssertionError`` `profile.lifetime-too-long`, `profile.lifetime-invalid`,
    ///   `profile.kid-required`, `profile.alg-not-allowed`, `profile.missing-value`.
    /// - Allocation: allocates once, here.
    public init(
        signingKey key: JWSSigningKey, keyID: String?, clientID: String, profile: ClientAssertionProfile,
        algorithm: JWSAlgorithm? = nil, lifetime: Int? = nil, clock: JWTClock = .system
    ) throws(ClientAssertionError) {
        let lifetime = lifetime ?? min(300, profile.maximumLifetime)
        guard let alg = algorithm ?? profile.algorithm(for: key) else {
            throw ClientAssertionError(
                .algorithmNotAllowed,
                reason:
                    "\(profile.name) accepts \(profile.allowedAlgorithms.map(\.jwsName).joined(separator: ", ")), none of which a \(key.publicKey.keyDescription) key signs"
            )
        }
        guard profile.allowedAlgorithms.contains(alg) else {
            throw ClientAssertionError(
                .algorithmNotAllowed,
                reason:
                    "\(profile.name) accepts \(profile.allowedAlgorithms.map(\.jwsName).joined(separator: ", ")), not \(alg)"
            )
        }
        guard lifetime > 0 else {
            throw ClientAssertionError(.lifetimeInvalid, reason: "the lifetime must be a positive number of seconds")
        }
        guard lifetime <= profile.maximumLifetime else {
            throw ClientAssertionError(
                .lifetimeTooLong,
                reason:
                    "\(profile.name) rejects exp more than \(profile.maximumLifetime) s ahead; \(lifetime) s asked for")
        }
        if profile.requiresKeyID && (keyID ?? "").isEmpty {
            throw ClientAssertionError(
                .keyIDRequired, reason: "\(profile.name) requires a kid that names the key in the registered JWKS")
        }
        guard !clientID.isEmpty else { throw ClientAssertionError(.missingValue, reason: "the client id is empty") }
        guard !profile.audience.isEmpty else {
            throw ClientAssertionError(.missingValue, reason: "the audience is empty")
        }
        do throws(JWSError) {
            self.signer = try JWSSigner(key: key, algorithm: alg, keyID: keyID, type: profile.type)
        } catch {
            throw ClientAssertionError(.signing, reason: error.reason, underlying: error)
        }
        self.profile = profile
        self.clientID = clientID
        self.lifetime = lifetime
        self.clock = clock
    }

    /// An upper bound on the length of one assertion; a buffer this big always suffices.
    ///
    /// - Allocation: none.
    public var maximumAssertionLength: Int {
        // iss, sub (escaped ×6 worst case), aud, two 20-digit dates, a 36-character jti, and punctuation.
        let payload = 6 * (2 * clientID.utf8.count + profile.audience.utf8.count) + 2 * 20 + 36 + 64
        return signer.tokenLength(payloadByteCount: payload)
    }

    /// Mints one assertion into `output`.
    ///
    /// - Parameter output: Receives the compact JWS; ``maximumAssertionLength`` bytes always suffice.
    /// - Returns: Bytes written.
    /// - Throws: ``ClientAssertionError`` `mint.signing` (output too small, or OpenSSL failed), `mint.random`,
    ///   `mint.clock-out-of-range` (the clock reads a time that `exp` cannot follow in `Int64` seconds).
    /// - Allocation: none on the Swift side (OpenSSL's RSA code allocates internally).
    @_lifetime(output: copy output)
    public func mint(into output: inout MutableRawSpan) throws(ClientAssertionError) -> Int {
        try unsafe output.withUnsafeMutableBytes { (output) throws(ClientAssertionError) -> Int in
            let now = clock.now().seconds
            // A clock far outside any real date (an injected one, saturated at Int64.max) must not trap below.
            let (exp, overflow) = now.addingReportingOverflow(Int64(lifetime))
            guard !overflow else {
                throw ClientAssertionError(
                    .clockOutOfRange, reason: "now \(now) + lifetime \(lifetime) s is beyond Int64 seconds")
            }
            return try unsafe withUnsafeTemporaryAllocation(byteCount: 52, alignment: 8) {
                (scratch) throws(ClientAssertionError) -> Int in
                let random = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[0..<16])
                let uuid = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[16..<52])
                do throws(SignetKeyError) {
                    try unsafe SecureRandom.fill(random)
                } catch {
                    throw ClientAssertionError(.random, reason: error.description, underlying: error)
                }
                unsafe Self.formatUUIDv4(random, into: uuid)
                unsafe random.initializeMemory(as: UInt8.self, repeating: 0)
                do throws(JWSError) {
                    var output = unsafe MutableRawSpan(_unsafeBytes: output)
                    return try signer.sign(
                        writingPayload: { w in
                            w.beginObject()
                            w.key("iss")
                            w.string(clientID)
                            w.key("sub")
                            w.string(clientID)
                            w.key("aud")
                            w.string(profile.audience)
                            w.key("jti")
                            unsafe w.string(utf8: UnsafeRawBufferPointer(uuid))
                            w.key("exp")
                            w.integer(exp)
                            w.key("iat")
                            w.integer(now)
                            w.endObject()
                        }, into: &output)
                } catch {
                    throw ClientAssertionError(.signing, reason: error.description, underlying: error)
                }
            }
        }
    }

    /// Mints one assertion and returns it as a string.
    ///
    /// - Throws: as ``mint(into:)``.
    /// - Allocation: the returned string and one buffer.
    public func mint() throws(ClientAssertionError) -> String {
        var out = [UInt8](repeating: 0, count: maximumAssertionLength)
        var span = out.mutableSpan
        var raw = MutableRawSpan(_elements: &span)
        let n = try mint(into: &raw)
        return String(decoding: out[..<n], as: UTF8.self)
    }

    /// Formats 16 random bytes as a lower-case RFC 9562 version-4 UUID (36 characters).
    static func formatUUIDv4(_ random: UnsafeMutableRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        unsafe random[6] = (random[6] & 0x0F) | 0x40
        unsafe random[8] = (random[8] & 0x3F) | 0x80
        let hex: StaticString = "0123456789abcdef"
        var o = 0
        for i in 0..<16 {
            if i == 4 || i == 6 || i == 8 || i == 10 {
                unsafe out[o] = UInt8(ascii: "-")
                o += 1
            }
            let b = unsafe random[i]
            unsafe out[o] = hex.utf8Start[Int(b >> 4)]
            unsafe out[o + 1] = hex.utf8Start[Int(b & 15)]
            o += 2
        }
    }
}
