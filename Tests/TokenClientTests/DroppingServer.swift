// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on 127.0.0.1 that accepts each connection and closes it as soon as the request arrives, with no
/// answer: a proxy or load balancer dropping connections.
final class DroppingServer: Sendable {
    private let drops = Atomic<Int>(0)

    /// Requests dropped so far.
    var dropped: Int { drops.load(ordering: .relaxed) }

    /// Runs `body` with the server's token URL; closes it afterwards.
    static func with<T: Sendable>(_ body: (DroppingServer, _ url: String) async throws -> T) async throws -> T {
        let server = DroppingServer()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(CloseOnRead(server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw CancellationError()
        }
        do {
            let result = try await body(server, "http://127.0.0.1:\(port)/oauth2/token")
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Closes the connection on the first bytes of a request.
    private final class CloseOnRead: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let server: DroppingServer
        init(_ server: DroppingServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            server.drops.add(1, ordering: .relaxed)
            context.close(promise: nil)
        }
    }
}
