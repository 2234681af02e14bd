// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: PSS also exists on the OpenSSL path (SignetKeys), and GMPVerifier shares no code with it, so
// that its verdicts are a real second opinion (see the GMPVerifier module overview).

/// EMSA-PSS verification (RFC 8017 §9.1.2) with MGF1 (RFC 8017 Appendix B.2.1), written step by step from the RFC.
///
/// The inputs are public (a signature and a message), so this is not constant time; every step is nevertheless
/// checked exactly as the RFC lists it, and the first failing step is reported.
enum EMSAPSS {
    /// The RFC 8017 §9.1.2 step that found the encoding "inconsistent".
    enum Failure: String, Sendable, Equatable {
        case integerTooLarge = "s^e mod n does not fit in emLen octets (RFC 8017 §8.1.2 step 2c)"
        case tooShort = "emLen < hLen + sLen + 2 (step 3)"
        case trailer = "rightmost octet is not 0xbc (step 4)"
        case topBits = "leftmost 8·emLen − emBits bits of maskedDB are not zero (step 6)"
        case padding = "DB does not start with zero octets followed by 0x01 at the expected place (step 10)"
        case hash = "H ≠ Hash(00…00 || mHash || salt) (step 14)"
    }

    /// MGF1 (RFC 8017 B.2.1): `Hash(seed || C)` for C = 0, 1, … (4-byte big-endian), concatenated and cut to
    /// `length` octets.
    static func mgf1(seed: [UInt8], length: Int, hash: GMPHash) -> [UInt8] {
        var mask: [UInt8] = []
        mask.reserveCapacity(length + hash.digestByteCount)
        var counter: UInt32 = 0
        while mask.count < length {
            let c: [UInt8] = [
                UInt8(truncatingIfNeeded: counter >> 24), UInt8(truncatingIfNeeded: counter >> 16),
                UInt8(truncatingIfNeeded: counter >> 8), UInt8(truncatingIfNeeded: counter),
            ]
            mask += hash.digest(seed, c)
            counter &+= 1
        }
        return Array(mask.prefix(length))
    }

    /// EMSA-PSS-VERIFY(M, EM, emBits) given mHash = Hash(M) (step 2 already done by the caller).
    /// - Parameters:
    ///   - mHash: The message digest, `hash.digestByteCount` octets.
    ///   - em: The encoded message, emLen = ⌈emBits / 8⌉ octets.
    ///   - emBits: modBits − 1.
    ///   - hash: The hash used for the message, for MGF1 and for H′.
    ///   - saltLength: sLen (≥ 0).
    /// - Returns: `nil` for "consistent", otherwise the failing step.
    static func verify(mHash: [UInt8], em: [UInt8], emBits: Int, hash: GMPHash, saltLength sLen: Int) -> Failure? {
        let hLen = hash.digestByteCount
        let emLen = em.count
        // Step 3.
        guard emLen >= hLen + sLen + 2 else { return .tooShort }
        // Step 4.
        guard em[emLen - 1] == 0xBC else { return .trailer }
        // Step 5: maskedDB is the leftmost emLen − hLen − 1 octets, H the next hLen.
        let dbLen = emLen - hLen - 1
        let maskedDB = Array(em[0..<dbLen])
        let h = Array(em[dbLen..<(dbLen + hLen)])
        // Step 6: the leftmost 8·emLen − emBits bits of maskedDB must be zero.
        let unusedBits = 8 * emLen - emBits
        let topMask = UInt8(truncatingIfNeeded: 0xFF << (8 - unusedBits))  // the bits that must be zero
        guard maskedDB[0] & topMask == 0 else { return .topBits }
        // Steps 7–9: DB = maskedDB ⊕ MGF(H, dbLen), with the unused top bits cleared.
        let dbMask = mgf1(seed: h, length: dbLen, hash: hash)
        var db = zip(maskedDB, dbMask).map { $0 ^ $1 }
        db[0] &= ~topMask
        // Step 10: PS (emLen − hLen − sLen − 2 zero octets), then 0x01.
        let psLen = emLen - hLen - sLen - 2
        guard db[0..<psLen].allSatisfy({ $0 == 0 }), db[psLen] == 0x01 else { return .padding }
        // Steps 11–14: salt is the last sLen octets of DB; H′ = Hash(0x00 × 8 || mHash || salt).
        let salt = Array(db[(dbLen - sLen)..<dbLen])
        let hPrime = hash.digest([UInt8](repeating: 0, count: 8), mHash, salt)
        return hPrime == h ? nil : .hash
    }
}
