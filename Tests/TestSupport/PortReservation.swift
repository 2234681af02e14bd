// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback TCP port held by a bound socket that does not listen: connections to it are refused, and no other
/// test can bind it while the reservation lives. A test that stops its server to simulate an outage takes the
/// server's port at once, so that another suite's server never answers in its place.
public final class PortReservation: Sendable {
    private let descriptor: Int32

    /// The reserved port.
    public let port: Int

    /// Binds `127.0.0.1:port` (`SO_REUSEADDR`, so that connections of a just-stopped server in `TIME_WAIT` do not
    /// block it); `nil` if another socket holds the port.
    public init?(port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        _ = unsafe setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: port)
        let bound = unsafe withUnsafePointer(to: &address) {
            unsafe $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                unsafe bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
        self.port = port
    }

    /// Holds a port the kernel picks: a loopback address where nothing listens, for as long as the test needs.
    public static func any() -> PortReservation? {
        guard let probe = PortReservation(port: 0) else { return nil }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = unsafe withUnsafeMutablePointer(to: &address) {
            unsafe $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                unsafe getsockname(probe.descriptor, $0, &length)
            }
        }
        guard named == 0 else { return nil }
        return PortReservation(adopting: probe, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    private init(adopting other: PortReservation, port: Int) {
        descriptor = dup(other.descriptor)
        self.port = port
    }

    deinit { close(descriptor) }
}

/// `127.0.0.1:port` as the socket calls take it.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    return address
}
