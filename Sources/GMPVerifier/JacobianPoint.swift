// SPDX-License-Identifier: Apache-2.0

/// A point of a NIST curve in Jacobian coordinates: (X, Y, Z) stands for the affine point (X/Z², Y/Z³), and Z = 0
/// is the point at infinity. Three registers, updated in place by ``WeierstrassCurve``'s formulas.
struct JacobianPoint {
    let x: MPZ
    let y: MPZ
    let z: MPZ

    /// The point at infinity, with registers sized for `field`.
    init(infinityIn field: PrimeField) {
        x = field.register()
        y = field.register()
        z = field.register()
        x.set(1)
        y.set(1)
    }

    var isInfinity: Bool { z.isZero }
}

extension WeierstrassCurve {
    /// Scratch registers for the point formulas (one set per computation; never shared between threads).
    final class Scratch {
        let f: FieldArithmetic
        let t1, t2, t3, t4, t5, t6: MPZ
        init(_ field: PrimeField) {
            f = FieldArithmetic(field)
            t1 = f.register()
            t2 = f.register()
            t3 = f.register()
            t4 = f.register()
            t5 = f.register()
            t6 = f.register()
        }
    }

    /// P ← 2P, with the a = −3 doubling formula "dbl-2001-b" (Bernstein–Lange, Explicit-Formulas Database):
    ///
    ///     δ = Z², γ = Y², β = X·γ, α = 3·(X − δ)·(X + δ)
    ///     X′ = α² − 8β,  Z′ = (Y + Z)² − γ − δ,  Y′ = α·(4β − X′) − 8γ²
    ///
    /// The point at infinity (Z = 0) stays at infinity (Z′ = Y² − γ = 0). No point of these prime-order curves
    /// has Y = 0, so no other special case exists.
    func double(_ p: JacobianPoint, _ s: Scratch) {
        let f = s.f
        let delta = s.t1
        let gamma = s.t2
        let beta = s.t3
        let alpha = s.t4
        let t = s.t5
        f.square(delta, p.z)
        f.square(gamma, p.y)
        f.mul(beta, p.x, gamma)
        f.sub(t, p.x, delta)
        f.add(alpha, p.x, delta)
        f.mul(alpha, alpha, t)
        f.add(t, alpha, alpha)
        f.add(alpha, alpha, t)  // 3·(X − δ)·(X + δ)
        // Z′ first: it needs the old Y and Z.
        f.add(p.z, p.y, p.z)
        f.square(p.z, p.z)
        f.sub(p.z, p.z, gamma)
        f.sub(p.z, p.z, delta)
        // X′ = α² − 8β
        f.square(p.x, alpha)
        f.add(beta, beta, beta)
        f.add(beta, beta, beta)  // β is 4β from here on
        f.add(t, beta, beta)  // 8β
        f.sub(p.x, p.x, t)
        // Y′ = α·(4β − X′) − 8γ²
        f.sub(t, beta, p.x)
        f.mul(p.y, alpha, t)
        f.square(t, gamma)
        f.add(t, t, t)
        f.add(t, t, t)
        f.add(t, t, t)  // 8γ²
        f.sub(p.y, p.y, t)
    }

    /// P ← P + Q for an affine point Q = (qx, qy) (never infinity), with the mixed-coordinates addition
    /// "madd" (Cohen–Miyaji–Ono, Z₂ = 1):
    ///
    ///     U₂ = qx·Z², S₂ = qy·Z³, H = U₂ − X, r = S₂ − Y
    ///     X′ = r² − H³ − 2·X·H²,  Y′ = r·(X·H² − X′) − Y·H³,  Z′ = Z·H
    ///
    /// Special cases, as the group law requires: P = ∞ gives Q; H = 0 means the same x, so P = Q (double) when
    /// r = 0 and P = −Q (result ∞) otherwise.
    func add(_ p: JacobianPoint, affineX qx: MPZ, affineY qy: MPZ, _ s: Scratch) {
        if p.isInfinity {
            p.x.set(qx)
            p.y.set(qy)
            p.z.set(1)
            return
        }
        let f = s.f
        let z2 = s.t1
        let u2 = s.t2
        let s2 = s.t3
        let h = s.t4
        let r = s.t5
        let t = s.t6
        f.square(z2, p.z)
        f.mul(u2, qx, z2)
        f.mul(s2, qy, z2)
        f.mul(s2, s2, p.z)
        f.sub(h, u2, p.x)
        f.sub(r, s2, p.y)
        if h.isZero {
            if r.isZero {
                double(p, s)
            } else {
                p.z.set(0)
            }
            return
        }
        // Z′ = Z·H (the old Z is no longer needed).
        f.mul(p.z, p.z, h)
        let hh = z2  // reuse: Z² is no longer needed
        let hhh = u2  // reuse: U₂ is no longer needed
        f.square(hh, h)
        f.mul(hhh, hh, h)
        let v = s2  // reuse: S₂ is no longer needed; V = X·H²
        f.mul(v, p.x, hh)
        // X′ = r² − H³ − 2V
        f.square(p.x, r)
        f.sub(p.x, p.x, hhh)
        f.sub(p.x, p.x, v)
        f.sub(p.x, p.x, v)
        // Y′ = r·(V − X′) − Y·H³
        f.sub(t, v, p.x)
        f.mul(t, t, r)
        f.mul(p.y, p.y, hhh)
        f.sub(p.y, t, p.y)
    }

    /// The affine coordinates of P, or `nil` for the point at infinity (one modular inversion).
    func affine(_ p: JacobianPoint, _ s: Scratch) -> (x: MPZ, y: MPZ)? {
        guard !p.isInfinity else { return nil }
        let f = s.f
        let zInverse = f.register()
        let zInverse2 = f.register()
        guard f.invert(zInverse, p.z) else { return nil }
        f.square(zInverse2, zInverse)
        let x = f.register()
        let y = f.register()
        f.mul(x, p.x, zInverse2)
        f.mul(zInverse2, zInverse2, zInverse)
        f.mul(y, p.y, zInverse2)
        return (x, y)
    }

    /// A + B for affine points (`nil` is the point at infinity), as an affine point (one inversion).
    func affineSum(_ a: (x: MPZ, y: MPZ)?, _ b: (x: MPZ, y: MPZ)?, _ s: Scratch) -> (x: MPZ, y: MPZ)? {
        let sum = JacobianPoint(infinityIn: field)
        if let a { add(sum, affineX: a.x, affineY: a.y, s) }
        if let b { add(sum, affineX: b.x, affineY: b.y, s) }
        return affine(sum, s)
    }

    /// u₁·G + u₂·Q for an affine point Q (on the curve), by Shamir's trick with a 2-bit joint window: a table of
    /// the affine points i·G + j·Q (0 ≤ i, j ≤ 3; an entry is `nil` when it is the point at infinity), then one
    /// pass over the scalars two bits at a time from the top, doubling twice and adding the entry the two 2-bit
    /// digits select (a mixed addition).
    /// - Returns: The affine result, or `nil` when it is the point at infinity.
    func linearCombination(u1: MPZ, u2: MPZ, qx: MPZ, qy: MPZ) -> (x: MPZ, y: MPZ)? {
        let s = Scratch(field)
        let g1: (x: MPZ, y: MPZ)? = (gx, gy)
        let q1: (x: MPZ, y: MPZ)? = (qx, qy)
        let g2 = affineSum(g1, g1, s)
        let q2 = affineSum(q1, q1, s)
        let multiplesOfG = [nil, g1, g2, affineSum(g2, g1, s)]
        let multiplesOfQ = [nil, q1, q2, affineSum(q2, q1, s)]
        // table[4·i + j] = i·G + j·Q
        var table: [(x: MPZ, y: MPZ)?] = []
        for i in 0..<4 {
            for j in 0..<4 {
                switch (i, j) {
                case (_, 0): table.append(multiplesOfG[i])
                case (0, _): table.append(multiplesOfQ[j])
                default: table.append(affineSum(multiplesOfG[i], multiplesOfQ[j], s))
                }
            }
        }
        let r = JacobianPoint(infinityIn: field)
        let top = max(u1.bitCount, u2.bitCount)
        var i = (top + 1) / 2 - 1
        while i >= 0 {
            double(r, s)
            double(r, s)
            let d1 = (u1.bit(2 * i + 1) ? 2 : 0) + (u1.bit(2 * i) ? 1 : 0)
            let d2 = (u2.bit(2 * i + 1) ? 2 : 0) + (u2.bit(2 * i) ? 1 : 0)
            if let entry = table[4 * d1 + d2] { add(r, affineX: entry.x, affineY: entry.y, s) }  // ∞ adds nothing
            i -= 1
        }
        return affine(r, s)
    }
}
