// SPDX-License-Identifier: Apache-2.0

import Hummingbird
import Logging
import NIOCore
import Synchronization
import TestSupport

/// A real HTTP server on 127.0.0.1 (port 0: the kernel picks one) answering `GET /jwks` with a body, a status and an
/// optional delay before the response head, for `signet --jwks URL`. (A trimmed copy of the RemoteJWKSTests server:
/// a test target cannot import another.)
final class LoopbackJWKSServer: Sendable {
    /// What `GET /jwks` answers.
    struct Behaviour: Sendable {
        var body: [UInt8]
        var status = 200
        /// Wait this long before the response head (a server that never answers in time).
        var headDelay: Duration = .zero
        /// Hold the response head until this gate opens (or the server stops): an answer that stays pending for as
        /// long as the test says, with no race against a delay.
        var hold: Gate?
    }

    private let behaviour: Mutex<Behaviour>
    private let hitCount = Atomic<Int>(0)
    /// Opened by ``stop()``: held and delayed answers are released, so that stopping never waits for them.
    private let stopping = Gate()
    private let stopSignal: AsyncStream<Void>.Continuation
    private let stopStream: AsyncStream<Void>

    /// Requests received so far.
    var hits: Int { hitCount.load(ordering: .relaxed) }

    private init(_ behaviour: Behaviour) {
        self.behaviour = Mutex(behaviour)
        (stopStream, stopSignal) = AsyncStream<Void>.makeStream()
    }

    /// Stops the server; later connections are refused.
    func stop() {
        stopping.open()
        stopSignal.finish()
    }

    /// Runs `body` with a server started on loopback, and stops it afterwards.
    static func with<T: Sendable>(
        _ behaviour: Behaviour, _ body: (LoopbackJWKSServer, _ url: String) async throws -> T
    ) async throws -> T {
        let server = LoopbackJWKSServer(behaviour)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run(reportingPortTo: portSink) }
            var port: Int?
            for await p in ports {
                port = p
                break
            }
            guard let port else { throw ServerDidNotStart() }
            do {
                let result = try await body(server, "http://127.0.0.1:\(port)/jwks")
                server.stop()
                try await group.waitForAll()
                return result
            } catch {
                server.stop()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    struct ServerDidNotStart: Error {}

    /// Waits `delay`, or less if the server stops first.
    private func pause(_ delay: Duration) async throws {
        let end = ContinuousClock.now + delay
        while ContinuousClock.now < end, !stopping.opened { try await Task.sleep(for: .milliseconds(2)) }
    }

    private func run(reportingPortTo portSink: AsyncStream<Int>.Continuation) async throws {
        let router = Router()
        router.get("jwks") { _, _ -> Response in
            self.hitCount.add(1, ordering: .relaxed)
            let b = self.behaviour.withLock { $0 }
            if let hold = b.hold {
                while !hold.opened, !self.stopping.opened { try await Task.sleep(for: .milliseconds(2)) }
            }
            try await self.pause(b.headDelay)
            return Response(
                status: HTTPResponse.Status(code: b.status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: b.body)))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { portSink.yield(port) }
                portSink.finish()
            },
            logger: Logger(label: "test.jwks-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            for await _ in stopStream {}
            group.cancelAll()
            // The server ends by cancellation, which is how it is stopped, not a failure.
            while (try? await group.next()) != nil {}
        }
    }
}
