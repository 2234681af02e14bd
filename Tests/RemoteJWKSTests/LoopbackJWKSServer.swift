// SPDX-License-Identifier: Apache-2.0

import Hummingbird
import Logging
import NIOCore
import Synchronization
import TestSupport

/// A real HTTP server on 127.0.0.1 (port 0: the kernel picks one) serving `GET /jwks` as the test says, counting
/// the requests it receives. It can be stopped mid-test (the port then refuses connections).
final class LoopbackJWKSServer: Sendable {
    /// What `GET /jwks` answers.
    struct Behaviour: Sendable {
        var body: [UInt8]
        var status = 200
        /// Wait this long before the response head.
        var headDelay: Duration = .zero
        /// Hold the response head until this gate opens (or the server stops): an answer that stays pending for as
        /// long as the test says, with no race against a delay.
        var hold: Gate?
        /// Send the body in chunks of this size, with no Content-Length (chunked transfer encoding).
        var chunkSize: Int?
        /// After the first chunk, stall this long before the rest.
        var stallAfterFirstChunk: Duration = .zero
    }

    let behaviour: Mutex<Behaviour>
    private let hitCount = Atomic<Int>(0)
    /// Opened by ``stop()``: held and delayed answers are released, so that stopping never waits for them.
    private let stopping = Gate()
    private let stopSignal: AsyncStream<Void>.Continuation
    private let stopStream: AsyncStream<Void>

    /// Requests received so far.
    var hits: Int { hitCount.load(ordering: .relaxed) }

    private init(body: String) {
        behaviour = Mutex(Behaviour(body: Array(body.utf8)))
        (stopStream, stopSignal) = AsyncStream<Void>.makeStream()
    }

    /// Replaces what the server answers.
    func update(_ change: (inout Behaviour) -> Void) { behaviour.withLock { change(&$0) } }

    /// Sets the body served.
    func serve(_ body: String) { update { $0.body = Array(body.utf8) } }

    /// Stops the server; later connections are refused.
    func stop() {
        stopping.open()
        stopSignal.finish()
    }

    /// Runs `body` with a server started on loopback, and stops it afterwards.
    static func with<T: Sendable>(
        serving jwks: String, _ body: (LoopbackJWKSServer, _ url: String) async throws -> T
    ) async throws -> T {
        let server = LoopbackJWKSServer(body: jwks)
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
            let status = HTTPResponse.Status(code: b.status)
            guard let chunkSize = b.chunkSize else {
                return Response(
                    status: status, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: b.body)))
            }
            return Response(
                status: status, headers: [.contentType: "application/json"],
                body: .init { writer in
                    var first = true
                    for start in stride(from: 0, to: b.body.count, by: chunkSize) {
                        let end = min(start + chunkSize, b.body.count)
                        try await writer.write(ByteBuffer(bytes: b.body[start..<end]))
                        if first { try await self.pause(b.stallAfterFirstChunk) }
                        first = false
                    }
                    try await writer.finish(nil)
                })
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
