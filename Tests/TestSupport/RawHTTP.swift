// SPDX-License-Identifier: Apache-2.0

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP conversation on a plain TCP socket, for what an HTTP client library will not send (bad framing,
/// pipelining, HTTP/1.0, bodies that never end).
public enum RawHTTP {
    /// How a conversation ended.
    public struct Outcome: Sendable {
        /// Every byte the server sent.
        public var reply: String
        /// Whether the server closed the connection (an orderly close or a reset).
        public var closed: Bool
        /// Whether the guard ran out with the connection open and the response (if one was awaited) incomplete.
        public var timedOut: Bool
    }

    /// Writes `request` to `127.0.0.1:port`, then reads until the server closes the connection, or (with
    /// `untilResponse`) a whole response (head and `Content-Length` body) has arrived, or `guardSeconds` pass
    /// without a byte. Blocking: call it through ``offThePool(_:)`` from async code.
    public static func converse(
        port: Int, request: String, guardSeconds: Int, untilResponse: Bool = false
    ) throws -> Outcome {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        let connected = unsafe withUnsafePointer(to: &address) {
            unsafe $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                unsafe connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: guardSeconds, tv_usec: 0)
        unsafe setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        unsafe setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // The server may stop reading (and close) before the whole request is written: a failed send is no error.
        _ = unsafe Array(request.utf8).withUnsafeBytes {
            unsafe send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = unsafe buffer.withUnsafeMutableBytes { unsafe recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received += buffer[..<n]
                if untilResponse, isComplete(received) {
                    return Outcome(reply: String(decoding: received, as: UTF8.self), closed: false, timedOut: false)
                }
                continue
            }
            // 0: orderly close; ECONNRESET: closed with unread input; EAGAIN: the guard ran out, connection open.
            let closed = n == 0 || errno == ECONNRESET
            return Outcome(reply: String(decoding: received, as: UTF8.self), closed: closed, timedOut: !closed)
        }
    }

    /// Whether `bytes` hold a whole HTTP response: the head and as many body bytes as its Content-Length says.
    static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<headEnd.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length
    }
}

/// Runs blocking socket code on a thread of its own: blocking one of the few cooperative threads would starve the
/// servers that run in this same process, and the exchange would wait for itself.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
