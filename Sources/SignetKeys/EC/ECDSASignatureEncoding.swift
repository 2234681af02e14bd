// SPDX-License-Identifier: Apache-2.0

/// The two encodings of an ECDSA signature: JWS's fixed-width `r ‖ s` (RFC 7518 §3.4: never DER on the wire) and
/// the DER `ECDSA-Sig-Value` OpenSSL produces and takes (SEC 1 §C.5).
enum ECDSASignatureEncoding {
    /// Bytes enough for the DER form of any supported curve's signature (P-521: at most 139).
    static let maximumDERByteCount = 160

    /// Converts OpenSSL's DER signature into `r ‖ s`, each right-aligned in `width` bytes; `false` when the DER is
    /// not one SEQUENCE of two non-negative INTEGERs that fit.
    static func raw(
        fromDER der: UnsafeRawBufferPointer, width: Int, into raw: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard raw.count >= 2 * width, der.count >= 8, unsafe der[0] == 0x30 else { return false }
        var i = 1
        var length = Int(unsafe der[i])
        i += 1
        if length == 0x81 {
            length = Int(unsafe der[i])
            i += 1
        }
        guard i + length == der.count else { return false }
        unsafe raw.initializeMemory(as: UInt8.self, repeating: 0)
        for half in 0..<2 {
            guard i + 2 <= der.count, unsafe der[i] == 0x02 else { return false }
            var n = Int(unsafe der[i + 1])
            i += 2
            guard n >= 1, n < 0x80, i + n <= der.count, unsafe der[i] & 0x80 == 0 else { return false }
            var start = i
            i += n
            while n > 1, unsafe der[start] == 0 {
                start += 1
                n -= 1
            }
            guard n <= width else { return false }
            let target = half * width + width - n
            for k in 0..<n { unsafe raw[target + k] = der[start + k] }
        }
        return i == der.count
    }

    /// Writes the minimal DER form of `r ‖ s` (two halves of equal width) into `der`; its length, or `nil` when the
    /// raw signature has an odd length or `der` is too small.
    static func der(
        fromRaw raw: UnsafeRawBufferPointer, into der: UnsafeMutableRawBufferPointer
    ) -> Int? {
        guard raw.count % 2 == 0, raw.count > 0 else { return nil }
        let width = raw.count / 2
        func span(_ half: Int) -> (start: Int, count: Int, pad: Int) {
            var start = half * width
            let end = start + width
            while start < end - 1, unsafe raw[start] == 0 { start += 1 }
            return (start, end - start, unsafe raw[start] & 0x80 != 0 ? 1 : 0)
        }
        let r = span(0)
        let s = span(1)
        let content = 2 + r.count + r.pad + 2 + s.count + s.pad
        let header = content < 0x80 ? 2 : 3
        guard content <= 0xFF, der.count >= header + content else { return nil }
        var i = 0
        unsafe der[i] = 0x30
        i += 1
        if header == 3 {
            unsafe der[i] = 0x81
            i += 1
        }
        unsafe der[i] = UInt8(content)
        i += 1
        // Two calls, not a loop over an array literal: the verify path allocates nothing.
        func emit(_ part: (start: Int, count: Int, pad: Int)) {
            unsafe der[i] = 0x02
            unsafe der[i + 1] = UInt8(part.count + part.pad)
            i += 2
            if part.pad == 1 {
                unsafe der[i] = 0
                i += 1
            }
            for k in 0..<part.count { unsafe der[i + k] = raw[part.start + k] }
            i += part.count
        }
        emit(r)
        emit(s)
        return i
    }
}
