// SPDX-License-Identifier: Apache-2.0

internal import CGMP

/// A mutable GMP integer for the elliptic-curve and PSS code: the working registers of one computation.
///
/// A class so that the point formulas can name their inputs and outputs freely (`field.mul(t, x, x)` squares `x`
/// into `t`; GMP allows an output to alias its inputs). Curve constants are `MPZ` values too, created once and never
/// written again; that is why the type is `@unchecked Sendable` (GMP allows concurrent reads, manual §"Reentrancy").
/// Temporaries are created per verification and are never shared between threads.
@safe
final class MPZ: @unchecked Sendable {
    let z: UnsafeMutablePointer<__mpz_struct>

    /// Zero, with room for `bits` bits preallocated (so results up to that size never reallocate).
    init(bits: Int = 64) {
        unsafe z = .allocate(capacity: 1)
        unsafe CGMP_mpz_init2(z, UInt(max(bits, 64)))
    }

    /// A small non-negative value.
    convenience init(_ value: UInt, bits: Int = 64) {
        self.init(bits: bits)
        unsafe CGMP_mpz_set_ui(z, value)
    }

    /// A constant written in hex (the curve parameters); an invalid string is a programming error caught by the
    /// constant tests, and leaves the value 0.
    convenience init(hex: String) {
        self.init(bits: 4 * hex.utf8.count)
        let ok = unsafe hex.withCString { unsafe CGMP_mpz_set_hex(z, $0) } == 0
        if !ok { unsafe CGMP_mpz_set_ui(z, 0) }
    }

    /// An unsigned big-endian magnitude (empty means zero).
    convenience init(bigEndian bytes: some Collection<UInt8>, bits: Int = 64) {
        self.init(bits: max(bits, 8 * bytes.count))
        set(bigEndian: bytes)
    }

    deinit {
        unsafe CGMP_mpz_clear(z)
        unsafe z.deallocate()
    }

    /// Overwrites the value with an unsigned big-endian magnitude.
    func set(bigEndian bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        unsafe array.withUnsafeBytes { b in
            if let base = b.baseAddress, b.count > 0 {
                unsafe CGMP_mpz_import_be(z, base, b.count)
            } else {
                unsafe CGMP_mpz_set_ui(z, 0)
            }
        }
    }

    /// Overwrites the value with an unsigned little-endian magnitude (RFC 8032 encodings).
    func set(littleEndian bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        unsafe array.withUnsafeBytes { b in
            if let base = b.baseAddress, b.count > 0 {
                unsafe CGMP_mpz_import_le(z, base, b.count)
            } else {
                unsafe CGMP_mpz_set_ui(z, 0)
            }
        }
    }

    /// Copies another value.
    func set(_ other: MPZ) { unsafe CGMP_mpz_set(z, other.z) }

    /// Sets a small value.
    func set(_ value: UInt) { unsafe CGMP_mpz_set_ui(z, value) }

    /// -1, 0 or 1.
    var sign: Int { Int(unsafe CGMP_mpz_sgn(z)) }

    /// Whether the value is zero.
    var isZero: Bool { sign == 0 }

    /// Whether the value is odd.
    var isOdd: Bool { unsafe CGMP_mpz_odd_p(z) != 0 }

    /// The number of significant bits (0 for zero).
    var bitCount: Int { isZero ? 0 : Int(unsafe CGMP_mpz_sizeinbase(z, 2)) }

    /// Bit `i` (0 is the least significant).
    func bit(_ i: Int) -> Bool { unsafe CGMP_mpz_tstbit(z, UInt(i)) != 0 }

    /// Negative, zero or positive as `self` is below, equal to or above `other`.
    func compare(_ other: MPZ) -> Int { Int(unsafe CGMP_mpz_cmp(z, other.z)) }

    /// Negative, zero or positive as `self` is below, equal to or above `value`.
    func compare(_ value: UInt) -> Int { Int(unsafe CGMP_mpz_cmp_ui(z, value)) }

    /// The value as exactly `count` big-endian bytes, or `nil` if it is negative or does not fit.
    func bigEndianBytes(count: Int) -> [UInt8]? {
        let size = (bitCount + 7) / 8
        guard sign >= 0, size <= count else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        if size > 0 {
            unsafe out.withUnsafeMutableBytes { b in
                if let base = b.baseAddress { _ = unsafe CGMP_mpz_export_be(base + (count - size), z) }
            }
        }
        return out
    }

    /// The value as exactly `count` little-endian bytes, or `nil` if it is negative or does not fit.
    func littleEndianBytes(count: Int) -> [UInt8]? {
        let size = (bitCount + 7) / 8
        guard sign >= 0, size <= count else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        if size > 0 {
            unsafe out.withUnsafeMutableBytes { b in
                if let base = b.baseAddress { _ = unsafe CGMP_mpz_export_le(base, z) }
            }
        }
        return out
    }
}

/// An odd prime modulus and the way products are reduced by it.
///
/// Immutable and shared (the curve constants); the arithmetic itself runs in a ``FieldArithmetic``, which owns the
/// temporaries of one computation.
struct PrimeField: Sendable {
    /// How a product x < p² is brought back below p without a general division.
    enum Reduction: Sendable {
        /// p = 2^k − 1 (P-521): x ≡ (x mod 2^k) + ⌊x / 2^k⌋.
        case mersenne(k: Int)
        /// p = 2^k − c with small c (edwards25519, c = 19): x ≡ (x mod 2^k) + c·⌊x / 2^k⌋, applied twice.
        case pseudoMersenne(k: Int, c: UInt)
        /// p = 2^256 − 2^224 + 2^192 + 2^96 − 1 (P-256): the word-wise fast reduction of FIPS 186-4 D.2.3, where
        /// 2^256 ≡ 2^224 − 2^192 − 2^96 + 1 turns the 32-bit words c₀…c₁₅ of x into nine 256-bit terms.
        case p256
        /// Any p: GMP's division (`mpz_mod`). Measured faster than Barrett reduction on mpz for P-256 and P-384
        /// (Barrett needs three multiplications of its own).
        case division
    }

    /// The modulus.
    let p: MPZ
    /// The modulus size in bits, used to size registers.
    let bits: Int
    /// How products are reduced.
    let reduction: Reduction

    /// A field reduced by division (any modulus).
    init(_ p: MPZ) {
        self.p = p
        self.bits = p.bitCount
        self.reduction = .division
    }

    /// A field with a special reduction (the caller vouches that p has that form; the tests check it).
    init(_ p: MPZ, reduction: Reduction) {
        self.p = p
        self.bits = p.bitCount
        self.reduction = reduction
    }

    /// A zero register big enough for a product of two field elements.
    func register() -> MPZ { MPZ(bits: 2 * bits + 64) }
}

/// Arithmetic modulo a ``PrimeField``'s p on ``MPZ`` registers whose values lie in [0, p).
///
/// Every operation writes its result into the first argument, which may be the same register as an input. Inputs
/// must already be reduced; outputs are. One instance per computation: it owns the temporaries of the reduction.
final class FieldArithmetic {
    let field: PrimeField
    let p: MPZ
    private let q: MPZ

    init(_ field: PrimeField) {
        self.field = field
        self.p = field.p
        self.q = MPZ(bits: 2 * field.bits + 128)
    }

    /// A zero register big enough for a product of two field elements.
    func register() -> MPZ { field.register() }

    /// r = a + b mod p
    func add(_ r: MPZ, _ a: MPZ, _ b: MPZ) {
        unsafe CGMP_mpz_add(r.z, a.z, b.z)
        if r.compare(p) >= 0 { unsafe CGMP_mpz_sub(r.z, r.z, p.z) }
    }

    /// r = a − b mod p
    func sub(_ r: MPZ, _ a: MPZ, _ b: MPZ) {
        unsafe CGMP_mpz_sub(r.z, a.z, b.z)
        if r.sign < 0 { unsafe CGMP_mpz_add(r.z, r.z, p.z) }
    }

    /// r = a · b mod p
    func mul(_ r: MPZ, _ a: MPZ, _ b: MPZ) {
        unsafe CGMP_mpz_mul(r.z, a.z, b.z)
        reduceProduct(r)
    }

    /// r = a² mod p
    func square(_ r: MPZ, _ a: MPZ) { mul(r, a, a) }

    /// r = a · k mod p for a small constant k
    func mul(_ r: MPZ, _ a: MPZ, small k: UInt) {
        unsafe CGMP_mpz_mul_ui(r.z, a.z, k)
        reduceProduct(r)
    }

    /// x ← x mod p for 0 ≤ x < p² (a product of two reduced values); without a general division where p has a
    /// special form.
    private func reduceProduct(_ x: MPZ) {
        switch field.reduction {
        case .mersenne(let k):
            unsafe CGMP_mpz_fdiv_q_2exp(q.z, x.z, UInt(k))
            unsafe CGMP_mpz_tdiv_r_2exp(x.z, x.z, UInt(k))
            unsafe CGMP_mpz_add(x.z, x.z, q.z)
        case .pseudoMersenne(let k, let c):
            // Two folds: x < 2^2k becomes < 2^k + c·2^k, then < 2^k + c², so at most a few subtractions remain.
            for _ in 0..<2 {
                unsafe CGMP_mpz_fdiv_q_2exp(q.z, x.z, UInt(k))
                unsafe CGMP_mpz_tdiv_r_2exp(x.z, x.z, UInt(k))
                unsafe CGMP_mpz_mul_ui(q.z, q.z, c)
                unsafe CGMP_mpz_add(x.z, x.z, q.z)
            }
        case .p256:
            reduceP256(x)
        case .division:
            unsafe CGMP_mpz_mod(x.z, x.z, p.z)
        }
        while x.compare(p) >= 0 { unsafe CGMP_mpz_sub(x.z, x.z, p.z) }
    }

    /// x ← x mod p for P-256 and 0 ≤ x < 2^512 (FIPS 186-4 D.2.3). With c₀…c₁₅ the 32-bit words of x, least
    /// significant first, x ≡ s₁ + 2s₂ + 2s₃ + s₄ + s₅ − s₆ − s₇ − s₈ − s₉, which gathered per output word is
    /// the sums below; carries are then propagated (signed), and the small multiple k of 2^256 left over is
    /// folded back with 2^256 ≡ 2^224 − 2^192 − 2^96 + 1 and a few additions or subtractions of p.
    private func reduceP256(_ x: MPZ) {
        let size = unsafe CGMP_mpz_size(x.z)
        guard size <= 8, unsafe CGMP_mpz_sgn(x.z) >= 0, let limbs = unsafe CGMP_mpz_limbs_read(x.z) else {
            unsafe CGMP_mpz_mod(x.z, x.z, p.z)  // outside the reduction's domain (never for a product)
            return
        }
        func word(_ i: Int) -> Int64 {
            guard i / 2 < size else { return 0 }
            let limb = unsafe limbs[i / 2]
            return Int64(i % 2 == 0 ? limb & 0xFFFF_FFFF : limb >> 32)
        }
        let (c0, c1, c2, c3, c4, c5, c6, c7) = (word(0), word(1), word(2), word(3), word(4), word(5), word(6), word(7))
        let (c8, c9, c10, c11) = (word(8), word(9), word(10), word(11))
        let (c12, c13, c14, c15) = (word(12), word(13), word(14), word(15))
        var carry: Int64 = 0
        func next(_ sum: Int64) -> UInt {
            let total = sum + carry
            carry = total >> 32  // arithmetic shift: the signed carry
            return UInt(UInt32(truncatingIfNeeded: total))
        }
        let r0 = next(c0 + c8 + c9 - c11 - c12 - c13 - c14)
        let r1 = next(c1 + c9 + c10 - c12 - c13 - c14 - c15)
        let r2 = next(c2 + c10 + c11 - c13 - c14 - c15)
        let r3 = next(c3 + 2 * c11 + 2 * c12 + c13 - c15 - c8 - c9)
        let r4 = next(c4 + 2 * c12 + 2 * c13 + c14 - c9 - c10)
        let r5 = next(c5 + 2 * c13 + 2 * c14 + c15 - c10 - c11)
        let r6 = next(c6 + 3 * c14 + 2 * c15 + c13 - c8 - c9)
        let r7 = next(c7 + 3 * c15 + c8 - c10 - c11 - c12 - c13)
        guard let destination = unsafe CGMP_mpz_limbs_write(x.z, 4) else {
            unsafe CGMP_mpz_mod(x.z, x.z, p.z)
            return
        }
        unsafe destination[0] = r0 | r1 << 32
        unsafe destination[1] = r2 | r3 << 32
        unsafe destination[2] = r4 | r5 << 32
        unsafe destination[3] = r6 | r7 << 32
        unsafe CGMP_mpz_limbs_finish(x.z, 4)
        // x = (those 256 bits) + carry·2^256 with a small carry: fold it in as carry·(2^224 − 2^192 − 2^96 + 1).
        if carry != 0 {
            unsafe CGMP_mpz_mul_ui(q.z, Self.p256Fold.z, UInt(carry.magnitude))
            if carry > 0 {
                unsafe CGMP_mpz_add(x.z, x.z, q.z)
            } else {
                unsafe CGMP_mpz_sub(x.z, x.z, q.z)
            }
        }
        while unsafe CGMP_mpz_sgn(x.z) < 0 { unsafe CGMP_mpz_add(x.z, x.z, p.z) }
    }

    /// 2^256 mod p for P-256: 2^224 − 2^192 − 2^96 + 1.
    private static let p256Fold = MPZ(hex: "fffffffeffffffffffffffffffffffff000000000000000000000001")

    /// r = −a mod p
    func negate(_ r: MPZ, _ a: MPZ) {
        if a.isZero {
            r.set(0)
        } else {
            unsafe CGMP_mpz_sub(r.z, p.z, a.z)
        }
    }

    /// r = a⁻¹ mod p; returns `false` (leaving r unspecified) when a ≡ 0.
    @discardableResult
    func invert(_ r: MPZ, _ a: MPZ) -> Bool { unsafe CGMP_mpz_invert(r.z, a.z, p.z) != 0 }

    /// r = a^e mod p
    func power(_ r: MPZ, _ a: MPZ, _ e: MPZ) { unsafe CGMP_mpz_powm(r.z, a.z, e.z, p.z) }

    /// r = a mod p for any non-negative a (for example a hash value), by division.
    func reduce(_ r: MPZ, _ a: MPZ) { unsafe CGMP_mpz_mod(r.z, a.z, p.z) }

    /// Whether a and b are the same residue (both reduced).
    func equal(_ a: MPZ, _ b: MPZ) -> Bool { a.compare(b) == 0 }
}

extension MPZ {
    /// self = a >> bits (a non-negative).
    func setShiftedRight(_ a: MPZ, by bits: Int) { unsafe CGMP_mpz_fdiv_q_2exp(z, a.z, UInt(bits)) }

    /// self = a + b (plain integers).
    func setSum(_ a: MPZ, _ b: MPZ) { unsafe CGMP_mpz_add(z, a.z, b.z) }

    /// self = a − b (plain integers).
    func setDifference(_ a: MPZ, _ b: MPZ) { unsafe CGMP_mpz_sub(z, a.z, b.z) }

    /// self = a − k (plain integers).
    func setDifference(_ a: MPZ, small k: UInt) { unsafe CGMP_mpz_sub_ui(z, a.z, k) }

    /// self = a + k (plain integers).
    func setSum(_ a: MPZ, small k: UInt) { unsafe CGMP_mpz_add_ui(z, a.z, k) }

    /// self = a · 2^bits (plain integers).
    func setShiftedLeft(_ a: MPZ, by bits: Int) { unsafe CGMP_mpz_mul_2exp(z, a.z, UInt(bits)) }
}
