// SPDX-License-Identifier: Apache-2.0

import COpenSSL
import GMPVerifier
import TestSupport
import Testing

/// A key pair made by OpenSSL, for differential tests (the test side only; GMPVerifier never sees OpenSSL).
@safe final class OpenSSLKey {
    let pkey: OpaquePointer

    private init?(_ pkey: OpaquePointer?) {
        guard let pkey = unsafe pkey else { return nil }
        unsafe self.pkey = pkey
    }

    deinit { unsafe EVP_PKEY_free(pkey) }

    /// A fresh key of an OpenSSL algorithm name (`EC` with a group, `ED25519`), or RSA with `bits`.
    static func generate(_ name: String, group: String? = nil) -> OpenSSLKey? {
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_name(nil, name, nil) else { return nil }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        guard unsafe EVP_PKEY_keygen_init(ctx) == 1 else { return nil }
        if let group, unsafe EVP_PKEY_CTX_set_group_name(ctx, group) != 1 { return nil }
        var pkey: OpaquePointer? = nil
        guard unsafe EVP_PKEY_generate(ctx, &pkey) == 1 else { return nil }
        return unsafe OpenSSLKey(pkey)
    }

    /// An RSA key of exactly `bits` bits when `primes` is 3 (two-prime keygen rounds odd sizes down).
    static func rsa(bits: UInt32, primes: Int32 = 2) -> OpenSSLKey? {
        guard let ctx = unsafe EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { return nil }
        defer { unsafe EVP_PKEY_CTX_free(ctx) }
        guard unsafe EVP_PKEY_keygen_init(ctx) == 1, unsafe EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1,
            unsafe EVP_PKEY_CTX_set_rsa_keygen_primes(ctx, primes) == 1
        else { return nil }
        var pkey: OpaquePointer? = nil
        guard unsafe EVP_PKEY_generate(ctx, &pkey) == 1 else { return nil }
        return unsafe OpenSSLKey(pkey)
    }

    /// The public key as DER SubjectPublicKeyInfo.
    var spkiDER: [UInt8] {
        let n = unsafe COpenSSL_i2d_PUBKEY(pkey, nil)
        guard n > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(n))
        let written = unsafe out.withUnsafeMutableBytes { unsafe COpenSSL_i2d_PUBKEY(pkey, $0.baseAddress) }
        return written == n ? out : []
    }

    /// Signs with EVP_DigestSign (`hash` nil for Ed25519; `pssSalt` selects RSASSA-PSS with that salt length).
    func sign(_ message: [UInt8], hash: GMPHash?, pssSalt: Int32? = nil) -> [UInt8] {
        guard let ctx = unsafe EVP_MD_CTX_new() else { return [] }
        defer { unsafe EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer? = nil
        guard unsafe EVP_DigestSignInit(ctx, &pctx, hash.flatMap { unsafe Oracle.md($0) }, nil, pkey) == 1 else {
            return []
        }
        if let pssSalt {
            guard unsafe EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1,
                unsafe EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, pssSalt) == 1
            else { return [] }
        }
        var length = 0
        guard
            unsafe message.withUnsafeBytes({ m in
                unsafe COpenSSL_EVP_DigestSign(ctx, nil, &length, m.baseAddress, m.count)
            }) == 1
        else { return [] }
        var signature = [UInt8](repeating: 0, count: length)
        let rc = unsafe signature.withUnsafeMutableBytes { s in
            unsafe message.withUnsafeBytes { m in
                unsafe COpenSSL_EVP_DigestSign(ctx, s.baseAddress, &length, m.baseAddress, m.count)
            }
        }
        return rc == 1 ? Array(signature.prefix(length)) : []
    }
}

/// `SEQUENCE { INTEGER r, INTEGER s }` (OpenSSL's ECDSA output) to the JWS form `r || s`.
func p1363(fromDER der: [UInt8], size: Int) -> [UInt8]? {
    var i = 0
    func readLength() -> Int? {
        guard i < der.count else { return nil }
        let first = Int(der[i])
        i += 1
        guard first & 0x80 != 0 else { return first }
        var n = 0
        for _ in 0..<(first & 0x7F) {
            guard i < der.count else { return nil }
            n = n << 8 | Int(der[i])
            i += 1
        }
        return n
    }
    guard der.first == 0x30 else { return nil }
    i = 1
    guard readLength() != nil else { return nil }
    var out: [UInt8] = []
    for _ in 0..<2 {
        guard i < der.count, der[i] == 0x02 else { return nil }
        i += 1
        guard let n = readLength(), i + n <= der.count else { return nil }
        let magnitude = der[i..<(i + n)].drop { $0 == 0 }
        guard magnitude.count <= size else { return nil }
        out += [UInt8](repeating: 0, count: size - magnitude.count) + magnitude
        i += n
    }
    return out
}

/// OpenSSL signs random messages with fresh keys; GMPVerifier must accept every signature and reject every one-bit
/// change of it (as OpenSSL does).
@Suite struct OpenSSLDifferentialTests {
    @Test(arguments: GMPCurve.allCases) func ecdsa(_ curve: GMPCurve) throws {
        var rng = SplitMix64(seed: 0xEC_0000 + UInt64(curve.coordinateByteCount))
        for round in 0..<4 {
            let openssl = try #require(OpenSSLKey.generate("EC", group: curve.jwkName))
            let der = openssl.spkiDER
            let key = try GMPECDSAPublicKey(spkiDER: der)
            #expect(key.curve == curve)
            for _ in 0..<6 {
                let message = rng.bytes(rng.below(300))
                let signature = try #require(
                    p1363(fromDER: openssl.sign(message, hash: curve.jwsHash), size: curve.coordinateByteCount))
                #expect(
                    key.isValidSignature(signature, for: message, hash: curve.jwsHash),
                    "\(curve) round \(round) key \(Hex.encode(der)) sig \(Hex.encode(signature))")
                var flipped = signature
                let bit = rng.below(8 * signature.count)
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                #expect(!key.isValidSignature(flipped, for: message, hash: curve.jwsHash), "bit \(bit)")
            }
        }
    }

    @Test func ed25519() throws {
        var rng = SplitMix64(seed: 0xED_25519)
        for _ in 0..<4 {
            let openssl = try #require(OpenSSLKey.generate("ED25519"))
            let der = openssl.spkiDER
            let key = try GMPEd25519PublicKey(spkiDER: der)
            for _ in 0..<6 {
                let message = rng.bytes(rng.below(300))
                let signature = openssl.sign(message, hash: nil)
                #expect(signature.count == 64)
                #expect(key.isValidSignature(signature, for: message), "key \(Hex.encode(der))")
                var flipped = signature
                let bit = rng.below(512)
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                #expect(!key.isValidSignature(flipped, for: message), "bit \(bit)")
            }
        }
    }

    /// PSS with salts 0, hLen and 2·hLen, on moduli of several lengths mod 8. 2049 and 2057 bits (three-prime
    /// keys, the only way OpenSSL makes odd sizes) give modBits ≡ 1 (mod 8): emLen = k − 1, and the top byte of
    /// s^e mod n must be zero.
    @Test(arguments: [(2048, 2), (2052, 2), (2049, 3), (2057, 3)]) func pss(_ bits: Int, _ primes: Int32) throws {
        var rng = SplitMix64(seed: UInt64(bits))
        let openssl = try #require(OpenSSLKey.rsa(bits: UInt32(bits), primes: primes))
        let key = try GMPRSAPublicKey(spkiDER: openssl.spkiDER)
        #expect(key.modulusBitCount == bits)
        for (hash, algorithm) in zip(GMPHash.allCases, GMPRSAAlgorithm.pssAlgorithms) {
            for salt in [0, hash.digestByteCount, 2 * hash.digestByteCount] {
                let message = rng.bytes(rng.below(200))
                let signature = openssl.sign(message, hash: hash, pssSalt: Int32(salt))
                #expect(signature.count == key.signatureByteCount)
                #expect(
                    key.isValidPSSSignature(signature, for: message, hash: hash, saltLength: salt), "\(bits) \(salt)")
                #expect(
                    key.isValidSignature(signature, for: message, algorithm: algorithm)
                        == (salt == hash.digestByteCount))
                var flipped = signature
                let bit = rng.below(8 * signature.count)
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                #expect(!key.isValidPSSSignature(flipped, for: message, hash: hash, saltLength: salt), "bit \(bit)")
            }
        }
    }
}
