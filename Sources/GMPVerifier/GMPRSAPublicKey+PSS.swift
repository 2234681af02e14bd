// SPDX-License-Identifier: Apache-2.0

extension GMPRSAPublicKey {
    /// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) for mHash = Hash(M), with emBits = modBits − 1.
    func pssOutcome(
        signature: UnsafeRawBufferPointer, mHash: [UInt8], hash: GMPHash, saltLength: Int
    ) -> Outcome {
        let k = signatureByteCount
        // Step 1: the signature is exactly k octets.
        guard signature.count == k else { return .signatureLength(signature.count) }
        guard mHash.count == hash.digestByteCount else { return .digestLength(mHash.count) }
        guard saltLength >= 0 else { return .invalidSaltLength(saltLength) }
        // Step 2: m = RSAVP1((n, e), s), refused when s ≥ n; EM = I2OSP(m, emLen).
        var decoded = [UInt8](repeating: 0, count: k)
        let inRange = unsafe decoded.withUnsafeMutableBytes { out in
            unsafe GMPInteger.rsavp1(signature: signature, exponent: e, modulus: n, into: out)
        }
        guard inRange else { return .outOfRange }
        let emBits = modulusBitCount - 1
        let emLen = (emBits + 7) / 8
        // emLen is k or k − 1 (when modBits ≡ 1 mod 8); in the second case m must fit in k − 1 octets.
        guard decoded[0..<(k - emLen)].allSatisfy({ $0 == 0 }) else { return .pssInconsistent(.integerTooLarge) }
        let em = Array(decoded[(k - emLen)...])
        // Step 3: EMSA-PSS-VERIFY.
        if let failure = EMSAPSS.verify(mHash: mHash, em: em, emBits: emBits, hash: hash, saltLength: saltLength) {
            return .pssInconsistent(failure)
        }
        return .valid
    }

    /// Verifies an RSASSA-PSS signature (RFC 8017 §8.1.2) with any salt length and says why it fails.
    ///
    /// The message hash and the MGF1 hash are both `hash`; `emBits` is modBits − 1. For the JWS algorithms PS256,
    /// PS384 and PS512 (salt length = hash length) the algorithm-based methods such as
    /// ``verifySignature(_:for:algorithm:)-([UInt8],[UInt8],_)`` with ``GMPRSAAlgorithm/ps256`` do the same.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes (hashed here with this module's own SHA-2).
    ///   - hash: The message hash and MGF1 hash.
    ///   - saltLength: sLen in bytes (0 or more).
    /// - Throws: ``GMPVerifierError`` with code `gmp.signature-length`, `gmp.invalid-salt-length` (negative),
    ///   `gmp.signature-out-of-range` (s ≥ n) or `gmp.pss-inconsistent` (the reason names the RFC step).
    ///
    /// Allocation: a few small arrays (the decoded block, the mask, digests).
    public func verifyPSS(
        _ signature: [UInt8], for message: [UInt8], hash: GMPHash, saltLength: Int
    ) throws(GMPVerifierError) {
        let mHash = hash.digest(message)
        let result = unsafe signature.withUnsafeBytes { s in
            unsafe pssOutcome(signature: s, mHash: mHash, hash: hash, saltLength: saltLength)
        }
        switch result {
        case .valid: return
        case .signatureLength(let count): throw .signatureLength(actual: count, expected: signatureByteCount)
        case .invalidSaltLength(let length): throw .invalidSaltLength(length)
        case .outOfRange: throw .signatureOutOfRange()
        case .pssInconsistent(let step): throw .pssInconsistent(step, algorithm: "PSS (\(hash), sLen \(saltLength))")
        case .digestLength, .mismatch:
            // Unreachable: the digest is computed here and PKCS#1 v1.5 is not involved.
            throw .pssInconsistent(.hash, algorithm: "PSS (\(hash), sLen \(saltLength))")
        }
    }

    /// Checks an RSASSA-PSS signature with any salt length; the `Bool` form of
    /// ``verifyPSS(_:for:hash:saltLength:)``.
    /// - Parameters:
    ///   - signature: Exactly ``signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - hash: The message hash and MGF1 hash.
    ///   - saltLength: sLen in bytes.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: a few small arrays.
    public func isValidPSSSignature(_ signature: [UInt8], for message: [UInt8], hash: GMPHash, saltLength: Int) -> Bool
    {
        (try? verifyPSS(signature, for: message, hash: hash, saltLength: saltLength)) != nil
    }
}
