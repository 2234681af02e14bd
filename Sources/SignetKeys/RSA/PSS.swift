// SPDX-License-Identifier: Apache-2.0

/// EMSA-PSS (RFC 8017 §9.1) as JWA's PSnnn use it (RFC 7518 §3.5): MGF1 over the signature's own hash and a salt
/// exactly as long as the hash. Works on the `k`-byte block the RSA operation takes or returns (`emLen` is `k - 1`
/// when the modulus has `8k - 7` bits, so the block then starts with a zero byte).
enum PSS {
    /// The layout of an encoded message for a modulus of `modulusBits` in a `k`-byte block.
    struct Layout {
        /// Zero bytes before the encoded message (0 or 1).
        let offset: Int
        /// `emLen`.
        let emLength: Int
        /// Length of the masked data block (`emLen - hLen - 1`).
        let dbLength: Int
        /// Hash (and salt) length.
        let hLength: Int
        /// The top bits of the first byte of the encoded message that must be zero (`8·emLen − emBits` of them).
        let topMask: UInt8

        /// `nil` when the block cannot hold an encoding (emLen < hLen + sLen + 2, or a block of the wrong size).
        init?(blockLength k: Int, modulusBits: Int, hashLength: Int) {
            let emBits = modulusBits - 1
            let emLength = (emBits + 7) / 8
            guard emBits > 0, k >= emLength, k - emLength <= 1, emLength >= 2 * hashLength + 2 else { return nil }
            offset = k - emLength
            self.emLength = emLength
            dbLength = emLength - hashLength - 1
            hLength = hashLength
            let zeroBits = 8 * emLength - emBits
            topMask = zeroBits == 0 ? 0 : ~(0xFF >> UInt8(zeroBits))
        }
    }

    /// `H = Hash(0x00⁸ ‖ mHash ‖ salt)` into `out` (at least 64 bytes); `false` if hashing failed.
    private static func messageHash(
        digest: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm,
        into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        unsafe withUnsafeTemporaryAllocation(byteCount: 8 + 2 * 64, alignment: 8) { mPrime in
            let count = 8 + digest.count + salt.count
            unsafe UnsafeMutableRawBufferPointer(rebasing: mPrime[..<8]).initializeMemory(as: UInt8.self, repeating: 0)
            unsafe UnsafeMutableRawBufferPointer(rebasing: mPrime[8...]).copyMemory(from: digest)
            unsafe UnsafeMutableRawBufferPointer(rebasing: mPrime[(8 + digest.count)...]).copyMemory(from: salt)
            defer { unsafe mPrime.initializeMemory(as: UInt8.self, repeating: 0) }
            let n = try? unsafe Digests.hash(
                UnsafeRawBufferPointer(rebasing: mPrime[..<count]), algorithm: algorithm, into: out)
            return n == algorithm.digestByteCount
        }
    }

    /// XORs `MGF1(seed, target.count)` into `target` (RFC 8017 B.2.1); `false` if hashing failed.
    private static func xorMask(
        seed: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm, into target: UnsafeMutableRawBufferPointer
    ) -> Bool {
        unsafe withUnsafeTemporaryAllocation(byteCount: 64 + 4 + 64, alignment: 8) { scratch in
            let input = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[..<(seed.count + 4)])
            let block = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[68...])
            unsafe input.copyMemory(from: seed)
            var ok = true
            var done = 0
            var counter: UInt32 = 0
            while done < target.count {
                for i in 0..<4 { unsafe input[seed.count + i] = UInt8(truncatingIfNeeded: counter >> (24 - 8 * i)) }
                let n =
                    (try? unsafe Digests.hash(UnsafeRawBufferPointer(input), algorithm: algorithm, into: block)) ?? 0
                ok = ok && n == seed.count
                let take = min(seed.count, target.count - done)
                for i in 0..<take { unsafe target[done + i] ^= block[i] }
                done += take
                counter += 1
            }
            unsafe scratch.initializeMemory(as: UInt8.self, repeating: 0)
            return ok
        }
    }

    /// Writes the encoding of `digest` with `salt` (hLen bytes, fresh from a CSPRNG) into all of `block` (the
    /// modulus length); `false` when the modulus is too small for the hash or hashing failed.
    static func encode(
        _ digest: UnsafeRawBufferPointer, salt: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm,
        modulusBits: Int, into block: UnsafeMutableRawBufferPointer
    ) -> Bool {
        let h = algorithm.digestByteCount
        guard digest.count == h, salt.count == h,
            let layout = Layout(blockLength: block.count, modulusBits: modulusBits, hashLength: h)
        else { return false }
        unsafe block.initializeMemory(as: UInt8.self, repeating: 0)
        let em = unsafe UnsafeMutableRawBufferPointer(rebasing: block[layout.offset...])
        let hashRegion = unsafe UnsafeMutableRawBufferPointer(rebasing: em[layout.dbLength..<(layout.dbLength + h)])
        guard unsafe messageHash(digest: digest, salt: salt, algorithm: algorithm, into: hashRegion) else {
            return false
        }
        // DB = 0x00… ‖ 0x01 ‖ salt, then masked in place.
        unsafe em[layout.dbLength - h - 1] = 0x01
        unsafe UnsafeMutableRawBufferPointer(rebasing: em[(layout.dbLength - h)..<layout.dbLength]).copyMemory(
            from: salt)
        let db = unsafe UnsafeMutableRawBufferPointer(rebasing: em[..<layout.dbLength])
        guard unsafe xorMask(seed: UnsafeRawBufferPointer(hashRegion), algorithm: algorithm, into: db) else {
            return false
        }
        unsafe em[0] &= ~layout.topMask
        unsafe em[layout.emLength - 1] = 0xBC
        return true
    }

    /// `true` when `block` (the `k`-byte result of the public-key operation) is a PSS encoding of `digest`.
    /// Unmasks in place (the block's contents are destroyed). Once the lengths (public facts) check out, every
    /// byte is examined and the verdict is accumulated without data-dependent branches.
    static func isEncoding(
        _ block: UnsafeMutableRawBufferPointer, of digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm,
        modulusBits: Int
    ) -> Bool {
        let h = algorithm.digestByteCount
        guard digest.count == h,
            let layout = Layout(blockLength: block.count, modulusBits: modulusBits, hashLength: h)
        else { return false }
        var bad = UInt8(0)
        for i in 0..<layout.offset { bad |= unsafe block[i] }
        let em = unsafe UnsafeMutableRawBufferPointer(rebasing: block[layout.offset...])
        bad |= unsafe em[layout.emLength - 1] ^ 0xBC
        bad |= unsafe em[0] & layout.topMask
        let hashRegion = unsafe UnsafeRawBufferPointer(rebasing: em[layout.dbLength..<(layout.dbLength + h)])
        let db = unsafe UnsafeMutableRawBufferPointer(rebasing: em[..<layout.dbLength])
        var ok = unsafe xorMask(seed: hashRegion, algorithm: algorithm, into: db)
        unsafe db[0] &= ~layout.topMask
        let separator = layout.dbLength - h - 1
        for i in 0..<separator { bad |= unsafe db[i] }
        bad |= unsafe db[separator] ^ 0x01
        let salt = unsafe UnsafeRawBufferPointer(rebasing: db[(separator + 1)...])
        unsafe withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { expected in
            ok = unsafe messageHash(digest: digest, salt: salt, algorithm: algorithm, into: expected) && ok
            for i in 0..<h { bad |= unsafe expected[i] ^ hashRegion[i] }
        }
        return ok && bad == 0
    }
}

/// The padding check both verification engines run on the result of the public-key operation.
enum RSASignaturePadding {
    /// `true` when `block` encodes `digest` under `algorithm` (PKCS#1 v1.5 by comparison with the one expected
    /// encoding, PSS by decoding in place, which destroys `block`).
    static func matches(
        _ block: UnsafeMutableRawBufferPointer, digest: UnsafeRawBufferPointer, algorithm: RSASignatureAlgorithm,
        modulusBits: Int
    ) -> Bool {
        if algorithm.usesPSS {
            return unsafe PSS.isEncoding(block, of: digest, algorithm: algorithm, modulusBits: modulusBits)
        }
        return unsafe PKCS1v15.isEncoding(UnsafeRawBufferPointer(block), of: digest, algorithm: algorithm)
    }
}
