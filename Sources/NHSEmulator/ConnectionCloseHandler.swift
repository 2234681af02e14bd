// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Ends a connection when HTTP/1.1 says it must end (RFC 9112 §9.3, §9.6): after answering a request that does not
/// keep the connection alive (HTTP/1.0 without `keep-alive`, or `Connection: close`), and after any response that
/// itself carries `Connection: close` (the emulator's 413 and 408, a 400 for broken framing).
///
/// It sits just before the HTTP-types codec, where the request's version is still known. A request that ends its
/// connection gets `Connection: close` added to its head, so the server's loop stops after answering it, and the
/// answer carries `Connection: close` too. Once such an answer is written, the handler stops reading (the rest of an
/// endless body stays unread), half-closes the connection so the client reads the answer and then end-of-file, and
/// closes it fully after ``lingerTime`` (a client that keeps sending then gets a reset, not a server that drains it).
final class ConnectionCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// How long a half-closed connection waits for the client to close before it is closed outright.
    static let lingerTime = TimeAmount.seconds(1)

    /// For each request read and not yet answered, in order: its version and whether it keeps the connection.
    private var pending: [(version: HTTPVersion, keepAlive: Bool)] = []
    /// Whether the response being written ends the connection.
    private var closeAfterResponse = false
    /// Set once a closing response is written: reads stop and further writes fail.
    private var closing = false
    private var linger: Scheduled<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if closing { return }
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        let keepAlive = head.isKeepAlive
        pending.append((head.version, keepAlive))
        if !keepAlive {
            head.headers.replaceOrAdd(name: "connection", value: "close")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func read(context: ChannelHandlerContext) {
        if !closing { context.read() }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if closing {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            let request = pending.isEmpty ? (version: HTTPVersion.http1_1, keepAlive: true) : pending.removeFirst()
            let saysClose = head.headers["connection"].contains { $0.lowercased().contains("close") }
            closeAfterResponse = saysClose || !request.keepAlive
            if closeAfterResponse && !saysClose {
                head.headers.replaceOrAdd(name: "Connection", value: "close")
            } else if !closeAfterResponse && request.version == .http1_0 {
                // HTTP/1.0 persistence is opt-in on both sides (RFC 9112 §9.3).
                head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            guard closeAfterResponse else { return }
            closing = true
            context.flush()
            context.close(mode: .output, promise: nil)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            linger = context.eventLoop.scheduleTask(in: Self.lingerTime) { loopBound.value.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        linger?.cancel()
        linger = nil
        context.fireChannelInactive()
    }

    /// Puts a ``ConnectionCloseHandler`` just before the HTTP-types codec when it joins a pipeline (a server's extra
    /// handlers are added after the codec, where the request's version is already gone), then passes everything on.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny

        func handlerAdded(context: ChannelHandlerContext) {
            let operations = context.pipeline.syncOperations
            if let codec = try? operations.context(handlerType: HTTP1ToHTTPServerCodec.self) {
                try? operations.addHandler(ConnectionCloseHandler(), position: .before(codec.handler))
            }
        }
    }
}
