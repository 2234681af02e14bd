// SPDX-License-Identifier: Apache-2.0

/// A forward cursor over JSON text that has already been validated: it never checks and never throws.
@safe struct ValidatedJSONCursor {
    let base: UnsafeRawPointer
    let count: Int
    var position: Int

    init(base: UnsafeRawPointer, count: Int, position: Int) {
        unsafe self.base = base
        self.count = count
        self.position = position
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { unsafe base.load(fromByteOffset: i, as: UInt8.self) }

    mutating func skipWhitespace() {
        while position < count {
            let b = byte(position)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// The string token at the cursor (an opening quote); moves past it.
    mutating func string() -> JSONStringToken {
        let start = position + 1
        var i = start
        var flags: UInt8 = 0
        var shrink = 0
        while true {
            let b = byte(i)
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                var j = i
                let scalar = unsafe JSONStringComparison.nextScalar(base, &j)
                shrink += (j - i) - StrictJSONScanner.utf8Count(scalar)
                flags |= JSONStringToken.escaped | (scalar >= 0x80 ? JSONStringToken.nonASCII : 0)
                i = j
            } else {
                if b >= 0x80 { flags |= JSONStringToken.nonASCII }
                i += 1
            }
        }
        position = i + 1
        return JSONStringToken(start: start, end: i, decodedCount: i - start - shrink, flags: flags)
    }

    /// Moves past the value at the cursor.
    mutating func skipValue() {
        switch byte(position) {
        case UInt8(ascii: "\""):
            skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                let b = byte(position)
                switch b {
                case UInt8(ascii: "\""):
                    skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                position += 1
            } while depth > 0
        default:
            while position < count {
                switch byte(position) {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                default: position += 1
                }
            }
        }
    }

    mutating func skipString() {
        position += 1
        while true {
            let b = byte(position)
            if b == UInt8(ascii: "\"") { break }
            position += b == UInt8(ascii: "\\") ? 2 : 1
        }
        position += 1
    }
}
