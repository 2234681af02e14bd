// SPDX-License-Identifier: Apache-2.0

/// The one answer, for every module, to "may this URL be fetched over plain http?": only when its host is this
/// machine.
///
/// The URL is read by hand, as an http client resolves it, and anything unusual is not loopback: a wrong answer
/// in that direction costs a test setup an `https` URL, while the other would send keys and tokens in clear text
/// to whatever a name resolves to.
package enum LoopbackURL {
    /// Whether `url` is an `http://` or `https://` URL (scheme in any case) whose host is loopback, spelt one of:
    /// - `localhost` in any case (not `localhost.`, which a resolver may send to DNS);
    /// - a canonical dotted quad in 127.0.0.0/8 (decimal octets without leading zeros: `127.0.0.010` or `0177.0.0.1`
    ///   are read as octal by some resolvers and as names by others);
    /// - `[::1]`.
    ///
    /// The host may carry a numeric port. A URL with userinfo (`http://localhost:1@evil.example/`), a backslash or
    /// any other character in the authority is not loopback, and neither is a name that merely starts like one
    /// (`127.0.0.1.nip.io`, `localhost.example`).
    package static func isLoopback(_ url: String) -> Bool {
        let utf8 = Array(url.utf8)
        let afterScheme: Int
        if hasPrefix(utf8, "http://") {
            afterScheme = 7
        } else if hasPrefix(utf8, "https://") {
            afterScheme = 8
        } else {
            return false
        }
        var end = afterScheme
        while end < utf8.count, utf8[end] != UInt8(ascii: "/"), utf8[end] != UInt8(ascii: "?"),
            utf8[end] != UInt8(ascii: "#")
        {
            end += 1
        }
        let authority = utf8[afterScheme..<end]
        let host: ArraySlice<UInt8>
        let port: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return false }
            host = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if rest.isEmpty {
                port = nil
            } else {
                guard rest.first == UInt8(ascii: ":") else { return false }
                port = rest.dropFirst()
            }
            guard host.elementsEqual("::1".utf8) else { return false }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                host = authority[..<colon]
                port = authority[(colon + 1)...]
            } else {
                host = authority
                port = nil
            }
            guard isLocalhost(host) || isLoopbackQuad(host) else { return false }
        }
        if let port {
            // 1 to 5 digits, at most 65535 (an empty port is refused rather than defaulted).
            guard (1...5).contains(port.count), port.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            guard let value = Int(String(decoding: port, as: UTF8.self)), value <= 65_535 else { return false }
        }
        return true
    }

    /// Whether `bytes` starts with `lower` (lowercase ASCII), ignoring ASCII case.
    private static func hasPrefix(_ bytes: [UInt8], _ lower: String) -> Bool {
        let lower = lower.utf8
        guard bytes.count >= lower.count else { return false }
        return zip(bytes, lower).allSatisfy { asciiLowercased($0) == $1 }
    }

    private static func isLocalhost(_ host: ArraySlice<UInt8>) -> Bool {
        host.count == 9 && zip(host, "localhost".utf8).allSatisfy { asciiLowercased($0) == $1 }
    }

    /// `127.a.b.c`, each octet 0–255 in canonical decimal.
    private static func isLoopbackQuad(_ host: ArraySlice<UInt8>) -> Bool {
        let octets = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0].elementsEqual("127".utf8) else { return false }
        return octets.allSatisfy { octet in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            guard octet.count == 1 || octet.first != UInt8(ascii: "0") else { return false }
            return (Int(String(decoding: octet, as: UTF8.self)) ?? 256) <= 255
        }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
