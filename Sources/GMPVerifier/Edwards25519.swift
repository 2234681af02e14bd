// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: Ed25519 also exists on the OpenSSL path, and GMPVerifier shares no code with it, so that its
// verdicts are a real second opinion (see the GMPVerifier module overview).

/// edwards25519 (RFC 8032 §5.1): −x² + y² = 1 + d·x²·y² over GF(p), p = 2²⁵⁵ − 19, d = −121665/121666, with the
/// base point B of prime order L. Points are in extended homogeneous coordinates (X : Y : Z : T) with x = X/Z,
/// y = Y/Z and x·y = T/Z (RFC 8032 §5.1.4).
final class Edwards25519: Sendable {
    /// Arithmetic modulo p = 2²⁵⁵ − 19.
    let field: PrimeField
    /// L = 2²⁵² + 27742317777372353535851937790883648493, the order of B (RFC 8032 §5.1).
    let order: PrimeField
    /// d = −121665/121666 mod p.
    let d: MPZ
    /// 2·d mod p (the addition formula uses it).
    let twoD: MPZ
    /// √−1 = 2^((p−1)/4) mod p (RFC 8032 §5.1.3 step 3).
    let sqrtMinusOne: MPZ
    /// (p − 5)/8, the exponent of the square-root candidate (RFC 8032 §5.1.3 step 2).
    let sqrtExponent: MPZ
    /// The base point B = (x, 4/5) with x even (RFC 8032 §5.1).
    let bx: MPZ
    let by: MPZ

    /// The one instance.
    static let shared = Edwards25519()

    private init() {
        let p = MPZ(bits: 320)
        p.setShiftedLeft(MPZ(1), by: 255)
        p.setDifference(p, small: 19)
        field = PrimeField(p, reduction: .pseudoMersenne(k: 255, c: 19))
        let f = FieldArithmetic(field)
        order = PrimeField(MPZ(hex: "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"))
        // d = −121665 · 121666⁻¹ mod p
        let d = f.register()
        let t = f.register()
        f.invert(t, MPZ(121_666))
        f.negate(d, MPZ(121_665))
        f.mul(d, d, t)
        self.d = d
        let twoD = f.register()
        f.add(twoD, d, d)
        self.twoD = twoD
        // √−1 = 2^((p−1)/4)
        let e = f.register()
        e.setDifference(p, small: 1)
        e.setShiftedRight(e, by: 2)
        let i = f.register()
        f.power(i, MPZ(2), e)
        sqrtMinusOne = i
        let s = f.register()
        s.setDifference(p, small: 5)
        s.setShiftedRight(s, by: 3)
        sqrtExponent = s
        // B: y = 4/5, x recovered with sign 0 (this cannot fail: B is a curve point).
        let y = f.register()
        f.invert(t, MPZ(5))
        f.mul(y, MPZ(4), t)
        let x = f.register()
        _ = Edwards25519.recoverX(x, y: y, field: f, d: d, sqrtMinusOne: i, exponent: s)
        if x.isOdd { f.negate(x, x) }
        bx = x
        by = y
    }

    /// RFC 8032 §5.1.3 steps 2–3: a square root x of (y² − 1)/(d·y² + 1), written into `x` (either of the two).
    /// - Returns: `false` when there is none (y is not the y of a curve point).
    static func recoverX(
        _ x: MPZ, y: MPZ, field f: FieldArithmetic, d: MPZ, sqrtMinusOne: MPZ, exponent: MPZ
    ) -> Bool {
        let u = f.register()
        let v = f.register()
        let t = f.register()
        let v3 = f.register()
        // u = y² − 1, v = d·y² + 1
        f.square(u, y)
        f.mul(v, u, d)
        f.sub(u, u, MPZ(1))
        f.add(v, v, MPZ(1))
        // x = u·v³·(u·v⁷)^((p−5)/8)
        f.square(v3, v)
        f.mul(v3, v3, v)  // v³
        f.square(t, v3)
        f.mul(t, t, v)  // v⁷
        f.mul(t, t, u)  // u·v⁷
        f.power(t, t, exponent)
        f.mul(x, u, v3)
        f.mul(x, x, t)
        // Step 3: v·x² = u (x is a root), = −u (x·√−1 is), or neither (no root).
        f.square(t, x)
        f.mul(t, t, v)
        if !f.equal(t, u) {
            f.negate(u, u)
            guard f.equal(t, u) else { return false }
            f.mul(x, x, sqrtMinusOne)
        }
        return true
    }

    /// Decodes a 32-byte point encoding into affine (x, y), with every check of RFC 8032 §5.1.3.
    /// - Parameters:
    ///   - bytes: The encoding.
    ///   - what: Names the point in error reasons (`public key A`, `R`).
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-point`: wrong length, y ≥ p (non-canonical), no square
    ///   root, or x = 0 with the sign bit set.
    func decode(_ bytes: ArraySlice<UInt8>, what: String) throws(GMPVerifierError) -> (x: MPZ, y: MPZ) {
        guard bytes.count == 32, let last = bytes.last else {
            throw .invalidPoint("\(what): an Ed25519 point encoding is 32 bytes, not \(bytes.count)")
        }
        // Step 1: y is the little-endian integer with bit 255 cleared; bit 255 is the sign (low bit) of x.
        var yBytes = Array(bytes)
        yBytes[31] = last & 0x7F
        let sign = last & 0x80 != 0
        let f = FieldArithmetic(field)
        let y = f.register()
        y.set(littleEndian: yBytes)
        guard y.compare(f.p) < 0 else { throw .invalidPoint("\(what): y is not below p (non-canonical encoding)") }
        // Steps 2–3.
        let x = f.register()
        guard
            Edwards25519.recoverX(x, y: y, field: f, d: d, sqrtMinusOne: sqrtMinusOne, exponent: sqrtExponent)
        else { throw .invalidPoint("\(what): (y² − 1)/(d·y² + 1) has no square root: not a curve point") }
        // Step 4: x = 0 has no negative, so a set sign bit is invalid; otherwise pick the root with that sign.
        if x.isZero && sign { throw .invalidPoint("\(what): x = 0 with the sign bit set") }
        if x.isOdd != sign { f.negate(x, x) }
        return (x, y)
    }
}

/// A point of edwards25519 in extended coordinates, updated in place.
struct EdwardsPoint {
    let x: MPZ
    let y: MPZ
    let z: MPZ
    let t: MPZ

    /// The neutral element (0 : 1 : 1 : 0).
    init(neutralIn f: PrimeField) {
        x = f.register()
        y = f.register()
        z = f.register()
        t = f.register()
        y.set(1)
        z.set(1)
    }

    /// The affine point (x, y), as (x : y : 1 : x·y).
    init(x ax: MPZ, y ay: MPZ, field f: FieldArithmetic) {
        self.init(neutralIn: f.field)
        x.set(ax)
        y.set(ay)
        f.mul(t, ax, ay)
    }
}

extension Edwards25519 {
    /// Scratch registers for the formulas (one set per computation).
    final class Scratch {
        let arithmetic: FieldArithmetic
        let a, b, c, d, e, f, g, h: MPZ
        init(_ field: PrimeField) {
            arithmetic = FieldArithmetic(field)
            a = field.register()
            b = field.register()
            c = field.register()
            d = field.register()
            e = field.register()
            f = field.register()
            g = field.register()
            h = field.register()
        }
    }

    /// P ← P + Q with the addition formula of RFC 8032 §5.1.4 (complete: valid for any two points, P = Q too):
    ///
    ///     A = (Y₁ − X₁)·(Y₂ − X₂), B = (Y₁ + X₁)·(Y₂ + X₂), C = T₁·2d·T₂, D = Z₁·2·Z₂,
    ///     E = B − A, F = D − C, G = D + C, H = B + A,
    ///     X₃ = E·F, Y₃ = G·H, T₃ = E·H, Z₃ = F·G
    func add(_ p: EdwardsPoint, _ q: EdwardsPoint, _ s: Scratch) {
        let f = s.arithmetic
        f.sub(s.a, p.y, p.x)
        f.sub(s.e, q.y, q.x)
        f.mul(s.a, s.a, s.e)
        f.add(s.b, p.y, p.x)
        f.add(s.e, q.y, q.x)
        f.mul(s.b, s.b, s.e)
        f.mul(s.c, p.t, twoD)
        f.mul(s.c, s.c, q.t)
        f.mul(s.d, p.z, q.z)
        f.add(s.d, s.d, s.d)
        f.sub(s.e, s.b, s.a)
        f.sub(s.f, s.d, s.c)
        f.add(s.g, s.d, s.c)
        f.add(s.h, s.b, s.a)
        f.mul(p.x, s.e, s.f)
        f.mul(p.y, s.g, s.h)
        f.mul(p.t, s.e, s.h)
        f.mul(p.z, s.f, s.g)
    }

    /// P ← 2P with the doubling formula of RFC 8032 §5.1.4:
    ///
    ///     A = X₁², B = Y₁², C = 2·Z₁², H = A + B, E = H − (X₁ + Y₁)², G = A − B, F = C + G,
    ///     X₃ = E·F, Y₃ = G·H, T₃ = E·H, Z₃ = F·G
    func double(_ p: EdwardsPoint, _ s: Scratch) {
        let f = s.arithmetic
        f.square(s.a, p.x)
        f.square(s.b, p.y)
        f.square(s.c, p.z)
        f.add(s.c, s.c, s.c)
        f.add(s.h, s.a, s.b)
        f.add(s.e, p.x, p.y)
        f.square(s.e, s.e)
        f.sub(s.e, s.h, s.e)
        f.sub(s.g, s.a, s.b)
        f.add(s.f, s.c, s.g)
        f.mul(p.x, s.e, s.f)
        f.mul(p.y, s.g, s.h)
        f.mul(p.t, s.e, s.h)
        f.mul(p.z, s.f, s.g)
    }

    /// [a]P + [b]Q by Shamir's trick with a 2-bit joint window: a table of the 16 points [i]P + [j]Q
    /// (0 ≤ i, j ≤ 3), then one pass over the scalars two bits at a time from the top, doubling twice and adding
    /// the table entry the two 2-bit digits select. The addition formula is complete, so no case is special.
    func linearCombination(a: MPZ, _ p: EdwardsPoint, b: MPZ, _ q: EdwardsPoint) -> EdwardsPoint {
        let s = Scratch(field)
        // table[4·i + j] = [i]P + [j]Q
        var table: [EdwardsPoint] = []
        for i in 0..<4 {
            for j in 0..<4 {
                let entry = EdwardsPoint(neutralIn: field)
                if j > 0 {
                    copy(table[4 * i + j - 1], into: entry)
                    add(entry, q, s)
                } else if i > 0 {
                    copy(table[4 * (i - 1)], into: entry)
                    add(entry, p, s)
                }
                table.append(entry)
            }
        }
        let r = EdwardsPoint(neutralIn: field)
        let top = max(a.bitCount, b.bitCount)
        var i = (top + 1) / 2 - 1
        while i >= 0 {
            double(r, s)
            double(r, s)
            let da = (a.bit(2 * i + 1) ? 2 : 0) + (a.bit(2 * i) ? 1 : 0)
            let db = (b.bit(2 * i + 1) ? 2 : 0) + (b.bit(2 * i) ? 1 : 0)
            if da != 0 || db != 0 { add(r, table[4 * da + db], s) }
            i -= 1
        }
        return r
    }

    /// Copies the coordinates of one point into another's registers.
    private func copy(_ source: EdwardsPoint, into target: EdwardsPoint) {
        target.x.set(source.x)
        target.y.set(source.y)
        target.z.set(source.z)
        target.t.set(source.t)
    }

    /// Whether the extended point P is the affine point (x, y): X = x·Z and Y = y·Z.
    func equals(_ p: EdwardsPoint, x: MPZ, y: MPZ) -> Bool {
        let f = FieldArithmetic(field)
        let t = f.register()
        f.mul(t, x, p.z)
        guard f.equal(t, p.x) else { return false }
        f.mul(t, y, p.z)
        return f.equal(t, p.y)
    }
}
