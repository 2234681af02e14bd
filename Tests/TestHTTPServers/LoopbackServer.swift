// SPDX-License-Identifier: Apache-2.0

import Hummingbird
import Logging
import NIOCore

/// A Hummingbird responder served on 127.0.0.1 (port 0: the kernel picks one) for the length of a test's body: the
/// one way the test targets start a small real HTTP server (an upstream, a JWK set, a service under test).
public enum LoopbackServer {
    /// The server reported no port.
    public struct DidNotStart: Error {}

    /// Runs `body` with `responder` listening; stops the server when `body` returns or throws.
    ///
    /// - Parameters:
    ///   - responder: What answers the requests.
    ///   - body: The test, given the port.
    /// - Returns: What `body` returns.
    public static func serve<Responder: HTTPResponder, T: Sendable>(
        _ responder: Responder, _ body: (_ port: Int) async throws -> T
    ) async throws -> T where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { portSink.yield(port) }
                portSink.finish()
            },
            logger: Logger(label: "test.loopback-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw DidNotStart() }
        let result = try await body(port)
        task.cancel()
        _ = await task.result
        return result
    }

    /// Runs `body` with `router` listening (see ``serve(_:_:)-(Responder,_)``).
    public static func serve<Context, T: Sendable>(
        _ router: Router<Context>, _ body: (_ port: Int) async throws -> T
    ) async throws -> T where Context: InitializableFromSource<ApplicationRequestContextSource> {
        try await serve(router.buildResponder(), body)
    }
}
