// SPDX-License-Identifier: Apache-2.0

import TestSupport
import Testing

@testable import GMPVerifier

@Suite("P-256's word-wise reduction agrees with GMP's division")
struct P256ReductionTests {
    @Test("products of edge values and 20,000 random products, and p's own form")
    func agreesWithDivision() {
        let curve = WeierstrassCurve.p256
        let fast = FieldArithmetic(curve.field)
        let slow = FieldArithmetic(PrimeField(curve.field.p))
        let p = curve.field.p
        // p = 2^256 − 2^224 + 2^192 + 2^96 − 1 exactly, as the reduction assumes.
        #expect(
            p.bigEndianBytes(count: 32)
                == Hex.decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"))
        let pMinusOne = MPZ(bits: 300)
        pMinusOne.setDifference(p, small: 1)
        var values: [MPZ] = [MPZ(0), MPZ(1), MPZ(2), pMinusOne, curve.gx, curve.gy, curve.b]
        for shift in [31, 32, 63, 64, 95, 96, 191, 192, 223, 224, 255] {
            let v = MPZ(bits: 300)
            v.setShiftedLeft(MPZ(1), by: shift)
            values.append(v)
            let w = MPZ(bits: 300)
            w.setDifference(v, small: 1)
            values.append(w)
        }
        var state: UInt64 = 0x2561_9E37
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<4 {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: z >> (8 * k))) }
            }
            // Some values with long runs of ones or zeros, the carries' worst cases.
            if state % 3 == 0 { bytes = bytes.map { $0 | 0xF0 } }
            let v = MPZ(bigEndian: bytes, bits: 300)
            slow.add(v, v, MPZ(0))  // reduce below p
            values.append(v)
        }
        let a = fast.register()
        let b = slow.register()
        var checked = 0
        for x in values {
            let xr = MPZ(bits: 300)
            slow.add(xr, x, MPZ(0))
            for y in values {
                let yr = MPZ(bits: 300)
                slow.add(yr, y, MPZ(0))
                fast.mul(a, xr, yr)
                slow.mul(b, xr, yr)
                #expect(a.compare(b) == 0)
                checked += 1
            }
            fast.mul(a, xr, small: 7)
            slow.mul(b, xr, small: 7)
            #expect(a.compare(b) == 0)
        }
        #expect(checked >= 20_000)
    }
}
