// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import HTTPTypes
import Hummingbird
import JWS
import Logging
import NIOCore
import Synchronization
import TestSupport

/// A real token endpoint on 127.0.0.1 whose answers a test scripts: the n-th request (0-based) gets `script(n)`:
/// a status, headers, a body and a delay before the answer. It records the `jti` of every client assertion it
/// receives, so a test can see that no retry reused one.
final class ScriptedTokenServer: Sendable {
    struct Answer: Sendable {
        var status = 200
        var headers: [(String, String)] = []
        var body = ScriptedTokenServer.token("t")
        var delay: Duration = .zero
        /// Hold the answer until this gate opens (or the server stops): pending exactly as long as the test says.
        var hold: Gate?
    }

    /// A 200 body as APIM writes it.
    static func token(_ value: String, expiresIn: Int = 599) -> String {
        #"{"access_token":"\#(value)","expires_in":"\#(expiresIn)","token_type":"Bearer","issued_at":"1"}"#
    }

    /// What the n-th request (0-based) is answered.
    struct Script: Sendable {
        let answer: @Sendable (Int) -> Answer
        init(_ answer: @escaping @Sendable (Int) -> Answer) { self.answer = answer }
    }

    private let script: Script
    private let received = Mutex<[String]>([])
    /// Opened when the test's body returns: held and delayed answers are released, so stopping never waits.
    private let stopping = Gate()
    private let stopSignal: AsyncStream<Void>.Continuation
    private let stopStream: AsyncStream<Void>

    /// The `jti` of every assertion received, in order.
    var jtis: [String] { received.withLock { $0 } }

    private init(_ script: Script) {
        self.script = script
        (stopStream, stopSignal) = AsyncStream<Void>.makeStream()
    }

    /// Runs `body` with a server on loopback; stops it afterwards.
    static func with<T: Sendable>(
        _ script: Script, _ body: (ScriptedTokenServer, _ url: String) async throws -> T
    ) async throws -> T {
        let server = ScriptedTokenServer(script)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run(reportingPortTo: portSink) }
            var port: Int?
            for await p in ports {
                port = p
                break
            }
            guard let port else { throw CancellationError() }
            defer {
                server.stopping.open()
                server.stopSignal.finish()
            }
            let result = try await body(server, "http://127.0.0.1:\(port)/oauth2/token")
            server.stopping.open()
            server.stopSignal.finish()
            try await group.waitForAll()
            return result
        }
    }

    private func run(reportingPortTo portSink: AsyncStream<Int>.Continuation) async throws {
        let router = Router()
        router.post("oauth2/token") { request, _ -> Response in
            let form = try await request.body.collect(upTo: 1 << 20)
            let jti = Self.jti(inForm: String(buffer: form)) ?? "?"
            let n = self.received.withLock { r in
                r.append(jti)
                return r.count - 1
            }
            let answer = self.script.answer(n)
            if let hold = answer.hold {
                while !hold.opened, !self.stopping.opened { try await Task.sleep(for: .milliseconds(2)) }
            }
            let end = ContinuousClock.now + answer.delay
            while ContinuousClock.now < end, !self.stopping.opened { try await Task.sleep(for: .milliseconds(2)) }
            var headers: HTTPFields = [.contentType: "application/json"]
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { headers[field] = value }
            }
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { portSink.yield(port) }
                portSink.finish()
            },
            logger: Logger(label: "test.token-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            for await _ in stopStream {}
            group.cancelAll()
            while (try? await group.next()) != nil {}
        }
    }

    /// The `jti` of the `client_assertion` in a form body.
    static func jti(inForm form: String) -> String? {
        let field = form.split(separator: "&").first { $0.hasPrefix("client_assertion=") }
        guard let value = field?.dropFirst("client_assertion=".count).removingPercentEncoding else { return nil }
        let parts = value.split(separator: ".")
        guard parts.count == 3, let payload = try? Base64URL.decode(parts[1].utf8) else { return nil }
        return (try? StrictJSON.parse(payload))?.objectValue?["jti"]?.stringValue
    }
}
