// SPDX-License-Identifier: Apache-2.0

internal import CSignetEC

/// A key's verification tables for `CSignetEC` (the decoded public point and its precomputed odd multiples): a C
/// struct filled once at key load and only read afterwards, so any number of threads may verify with it at once.
@safe final class CurveTables<Table>: @unchecked Sendable {  // immutable after init; the C side only reads it
    let table: UnsafeMutablePointer<Table>

    /// Fills the tables with `fill`, which returns whether the key decoded; `nil` when it did not.
    init?(zero: Table, _ fill: (UnsafeMutablePointer<Table>) -> Bool) {
        let p = UnsafeMutablePointer<Table>.allocate(capacity: 1)
        unsafe p.initialize(to: zero)
        guard unsafe fill(p) else {
            unsafe p.deallocate()
            return nil
        }
        unsafe table = p
    }

    deinit { unsafe table.deallocate() }
}

extension CurveTables where Table == signet_ec_key {
    /// The tables of the point (x, y) on `curve`; `nil` when it is not a point of the curve.
    convenience init?(curve: ECCurve, x: [UInt8], y: [UInt8]) {
        let id: Int32
        switch curve.coordinateByteCount {
        case 32: id = SIGNET_EC_P256
        case 48: id = SIGNET_EC_P384
        case 66: id = SIGNET_EC_P521
        default: return nil
        }
        unsafe self.init(zero: signet_ec_key()) { table in
            unsafe x.withUnsafeBufferPointer { xb in
                unsafe y.withUnsafeBufferPointer { yb in
                    guard let xp = xb.baseAddress, let yp = yb.baseAddress, xb.count == yb.count else { return false }
                    return unsafe signet_ec_key_init(table, id, xp, yp, xb.count) == 1
                }
            }
        }
    }

    /// Whether `signature` (`r ‖ s`) verifies over `digest`.
    @unsafe
    func verify(digest: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        guard let d = digest.baseAddress, let s = signature.baseAddress else { return false }
        return unsafe signet_ecdsa_verify(
            table, d.assumingMemoryBound(to: UInt8.self), digest.count, s.assumingMemoryBound(to: UInt8.self),
            signature.count) == 1
    }
}

extension CurveTables where Table == signet_ed25519_key {
    /// The tables of the Ed25519 public key `raw` (32 bytes); `nil` when it is not a canonical point encoding.
    convenience init?(ed25519 raw: [UInt8]) {
        guard raw.count == 32 else { return nil }
        unsafe self.init(zero: signet_ed25519_key()) { table in
            unsafe raw.withUnsafeBufferPointer { r in
                guard let p = r.baseAddress else { return false }
                return unsafe signet_ed25519_key_init(table, p) == 1
            }
        }
    }

    /// Whether `signature` (`R ‖ S`, 64 bytes) verifies, given `hram` = SHA-512(R ‖ A ‖ M) (64 bytes).
    @unsafe
    func verify(signature: UnsafeRawBufferPointer, hram: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64, hram.count == 64, let s = signature.baseAddress, let h = hram.baseAddress else {
            return false
        }
        return unsafe signet_ed25519_verify(
            table, s.assumingMemoryBound(to: UInt8.self), h.assumingMemoryBound(to: UInt8.self)) == 1
    }
}
