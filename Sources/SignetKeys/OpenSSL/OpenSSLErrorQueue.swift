// SPDX-License-Identifier: Apache-2.0

internal import COpenSSL

/// Drains OpenSSL's thread-local error queue.
enum OpenSSLErrorQueue {
    /// Removes every entry from the calling thread's OpenSSL error queue and returns them, oldest first.
    ///
    /// Allocation: allocates only when the queue is not empty (the error path).
    static func drain() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            var data: UnsafePointer<CChar>? = nil
            var flags: Int32 = 0
            let code = unsafe ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            unsafe buffer.withUnsafeMutableBufferPointer { unsafe ERR_error_string_n(code, $0.baseAddress, $0.count) }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var extra: String? = nil
            if let data = unsafe data, flags & ERR_TXT_STRING != 0 {
                let s = unsafe String(cString: data)
                if !s.isEmpty { extra = s }
            }
            entries.append(OpenSSLErrorEntry(code: UInt(code), text: text, data: extra))
        }
        return entries
    }

    /// Clears the queue without looking at it (after a `Bool`-returning check that failed for an expected reason).
    static func clear() { ERR_clear_error() }

    /// An error with `code` and `reason` that carries the drained queue.
    static func error(_ code: SignetKeyError.Code, _ reason: String, offset: Int? = nil) -> SignetKeyError {
        SignetKeyError(code, offset: offset, reason: reason, openSSLErrors: drain())
    }
}

/// Returns normally when an OpenSSL call returned 1; otherwise throws ``SignetKeyError/Code/openSSL`` with the
/// drained queue and the name of the call that failed.
@inline(__always)
func openSSLCheck(_ rc: Int32, _ operation: StaticString) throws(SignetKeyError) {
    guard rc == 1 else { throw OpenSSLErrorQueue.error(.openSSL, "\(operation) failed (returned \(rc))") }
}
