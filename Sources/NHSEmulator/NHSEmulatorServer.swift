// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import HTTPTypes
import Hummingbird
import JWS
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import NetworkSupport
import RemoteJWKS
import ReplayGuard
import ServiceLifecycle
import SignetKeys

#if canImport(Glibc)
import Glibc
#endif

/// The offline NHS token endpoint: APIM's `/oauth2/token` and a CIS2 realm, on Hummingbird 2.
///
/// Build it from an ``EmulatorConfiguration`` and run it with ``run(onListening:)`` (stopped by task cancellation)
/// or ``runService(onListening:)`` (stopped gracefully on SIGINT and SIGTERM). It listens on loopback unless the
/// configuration says otherwise, reads at most `limits.maxBodyBytes` of a body (413 beyond) within
/// `limits.bodyTimeoutSeconds` (408 beyond), logs one structured line per request through swift-log and counts
/// requests by endpoint, status and NHS error, with their latency, through swift-metrics.
///
/// Endpoints: `POST /oauth2/token` (``APIMTokenEndpoint``; other methods 405 with `Allow: POST`), and under the CIS2
/// realm path `GET …/authorize`, `POST …/access_token`, `GET …/.well-known/openid-configuration` and
/// `GET …/connect/jwk_uri` (``CIS2Realm``).
public final class NHSEmulatorServer: Sendable {
    /// The configuration it runs with.
    public let configuration: EmulatorConfiguration
    /// The APIM token endpoint.
    public let apim: APIMTokenEndpoint
    /// The CIS2 realm.
    public let cis2: CIS2Realm
    let base: BaseURL
    let logger: Logger
    /// Where used `jti`s are recorded; run around the server when it is a `ReplayGuardService` (PostgreSQL).
    let replayGuard: any ReplayGuard
    let clock: @Sendable () -> Int64

    /// Creates the server: reads every JWKS file, prepares JWKS URLs, and loads or generates the CIS2 signing key.
    ///
    /// - Parameters:
    ///   - configuration: What to serve.
    ///   - replayGuard: Where used `jti`s are recorded. `nil`: in memory, `replay.capacity` entries, which is all a
    ///     configuration with `replay.store: memory` needs; `replay.store: postgres` needs the store passed here
    ///     (`PostgresReplayStore` from `ReplayGuardPostgres`, as `signet serve` makes it): this module depends on no
    ///     database. A `ReplayGuardService` runs around the server.
    ///   - logger: Where request lines and start-up messages go.
    ///   - clock: "Now" in seconds since the epoch (tests inject one).
    /// - Throws: ``ConfigurationError`` when a file cannot be read or a key or JWKS is unusable, or when
    ///   `replay.store` is `postgres` and no `replayGuard` was given.
    public init(
        configuration: EmulatorConfiguration, replayGuard: (any ReplayGuard)? = nil,
        logger: Logger = Logger(label: "signet.serve"), clock: @escaping @Sendable () -> Int64 = systemNow
    ) throws(ConfigurationError) {
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        let base = BaseURL("http://\(configuration.host):\(configuration.port)")
        self.base = base
        let guardian: any ReplayGuard
        if let replayGuard {
            guardian = replayGuard
        } else if configuration.replay.store == "postgres" {
            throw ConfigurationError(
                "replay.store is postgres, but no PostgreSQL store was given to the server (signet serve makes one from replay.postgresURL)"
            )
        } else {
            do throws(ReplayGuardError) {
                guardian = try InMemoryReplayGuard(capacity: configuration.replay.capacity)
            } catch {
                throw ConfigurationError("replay.capacity: \(error.reason)")
            }
        }
        self.replayGuard = guardian

        var apps: [String: KeySource] = [:]
        var remote = RemoteJWKSet.Configuration.apimClientAssertion
        remote.timeToLive = .seconds(configuration.apim.jwksCacheSeconds)
        remote.refetchOnUnknownKeyID = configuration.apim.jwksRefetchOnUnknownKeyID
        for app in configuration.apim.applications {
            apps[app.apiKey] = try Self.keySource(app.jwks, remote: remote, logger: logger)
        }
        var clients: [String: CIS2Realm.Client] = [:]
        for client in configuration.cis2.clients {
            var algorithms: [RSASignatureAlgorithm] = []
            for name in client.algorithms {
                guard let a = RSASignatureAlgorithm(jwsName: name) else {
                    throw ConfigurationError("CIS2 client \(client.clientID): unknown algorithm '\(name)'")
                }
                algorithms.append(a)
            }
            clients[client.clientID] = CIS2Realm.Client(
                keys: try Self.keySource(client.jwks, remote: remote, logger: logger),
                redirectURIs: client.redirectURIs, algorithms: algorithms)
        }
        let signingKey: RSAPrivateKey
        do {
            if let path = configuration.cis2.signingKey {
                signingKey = try RSAPrivateKey(pem: try TextFile.read(path))
            } else {
                signingKey = try RSAPrivateKey.generate(bits: 2048)
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("the CIS2 signing key cannot be loaded: \(error)")
        }
        let realm = try CIS2Realm(
            base: base, configuration: configuration, clients: clients, signingKey: signingKey,
            replayGuard: guardian)
        self.cis2 = realm
        var cis2Remote = RemoteJWKSet.Configuration.cis2IDToken
        cis2Remote.timeToLive = .seconds(configuration.apim.cis2JWKSCacheSeconds)
        let cis2Keys = try configuration.apim.cis2JWKS.map { (path) throws(ConfigurationError) in
            try Self.keySource(path, remote: cis2Remote, logger: logger)
        }
        let audience = configuration.apim.audience ?? configuration.apim.environment?.tokenURL
        self.apim = APIMTokenEndpoint(
            applications: apps,
            audience: { audience ?? base.value + "/oauth2/token" },
            cis2Issuer: { configuration.apim.cis2Issuer ?? realm.issuer },
            cis2Keys: cis2Keys ?? realm.keySource,
            replayGuard: guardian, configuration: configuration)
    }

    /// The token URL clients post to (`…/oauth2/token` at the address the server listens on).
    public var tokenURL: String { base.value + "/oauth2/token" }

    /// The `aud` the APIM endpoint demands.
    public var audience: String { apim.audience() }

    /// The seconds-since-epoch system clock.
    @Sendable public static func systemNow() -> Int64 { JWTClock.system.now().seconds }

    /// Runs until the task is cancelled.
    ///
    /// - Parameter onListening: Called once with the base URL (`http://host:port`) when the socket listens.
    /// - Throws: What the HTTP server throws (e.g. the port is taken).
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        try await withReplayStore { try await application(onListening: onListening).run() }
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully (in-flight requests finish).
    ///
    /// - Parameter onListening: Called once with the base URL when the socket listens.
    /// - Throws: What the HTTP server throws.
    public func runService(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        try await withReplayStore { try await application(onListening: onListening).runService() }
    }

    /// Runs `body` inside the replay store's own run (a `ReplayGuardService`: PostgreSQL's pool, table and purge),
    /// or just `body` for a store that needs none (in memory).
    private func withReplayStore(_ body: @Sendable () async throws -> Void) async throws {
        guard let service = replayGuard as? any ReplayGuardService else { return try await body() }
        try await service.run(beside: body)
    }

    private func application(onListening: @escaping @Sendable (String) async -> Void) -> some ApplicationProtocol {
        let base = self.base
        let host = configuration.host
        let deadline = TimeAmount.seconds(Int64(configuration.limits.bodyTimeoutSeconds))
        return Application(
            responder: EmulatorResponder(server: self),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ConnectionCloseHandler.Installer(), RequestDeadlineHandler(deadline: deadline),
                    ],
                    idleTimeout: .seconds(Int64(configuration.limits.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "signet-emulator"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                base.set(url)
                await onListening(url)
            },
            logger: logger)
    }

    /// The key source for a JWKS given as a file path (read now) or a URL (fetched on first use, then cached as
    /// `remote` says). Plain `http://` is allowed for loopback hosts only, where a team's test JWKS server runs.
    static func keySource(
        _ location: String?, remote: RemoteJWKSet.Configuration, logger: Logger
    ) throws(ConfigurationError) -> KeySource {
        guard let location else { return .none }
        if location.hasPrefix("https://") || location.hasPrefix("http://") {
            var configuration = remote
            configuration.allowInsecureHTTP = LoopbackURL.isLoopback(location)
            return .remote(RemoteJWKSet(url: location, configuration: configuration, logger: logger))
        }
        let text = try TextFile.read(location)
        do {
            return .fixed(FixedKeys(try JWKSet.parse(text)))
        } catch {
            throw ConfigurationError("\(location) is not a JWKS: \(error)")
        }
    }
}

/// The one responder: routes on path and method, bounds the body, logs and counts.
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let server: NHSEmulatorServer

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        let realm = server.configuration.cis2.realmPath
        let endpoint: String
        let answer: EndpointResponse
        switch path {
        case "/oauth2/token":
            endpoint = "apim.token"
            if request.method != .post {
                answer = EndpointResponse(status: 405, headers: [("Allow", "POST")])
            } else {
                answer = await withBody(request, apim: true) { body in
                    await server.apim.respond(
                        contentType: request.headers[.contentType], body: body, now: server.clock())
                }
            }
        case realm + "/access_token":
            endpoint = "cis2.access_token"
            if request.method != .post {
                answer = EndpointResponse(status: 405, headers: [("Allow", "POST")])
            } else {
                answer = await withBody(request, apim: false) { body in
                    await server.cis2.accessToken(
                        contentType: request.headers[.contentType], body: body, now: server.clock())
                }
            }
        case realm + "/authorize":
            endpoint = "cis2.authorize"
            var query: [String: String] = [:]
            for (k, v) in request.uri.queryParameters where query[String(k)] == nil { query[String(k)] = String(v) }
            answer = server.cis2.authorize(query: query, now: server.clock())
        case realm + "/.well-known/openid-configuration":
            endpoint = "cis2.discovery"
            answer = server.cis2.discovery()
        case realm + "/connect/jwk_uri":
            endpoint = "cis2.jwks"
            answer = server.cis2.jwks()
        default:
            endpoint = "unknown"
            answer = .json(404, [("error", .string("not_found")), ("error_description", .string("No such endpoint"))])
        }
        let elapsed = ContinuousClock.now - started
        let outcome = answer.errorDescription ?? (answer.status < 400 ? "ok" : "error")
        Counter(
            label: "signet_emulator_requests_total",
            dimensions: [("endpoint", endpoint), ("status", String(answer.status))]
        ).increment()
        Timer(label: "signet_emulator_request_duration_seconds", dimensions: [("endpoint", endpoint)])
            .recordNanoseconds(elapsed.nanoseconds)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(path)", "endpoint": "\(endpoint)",
                "status": "\(answer.status)", "outcome": "\(outcome)",
                "duration_us": "\(elapsed.nanoseconds / 1000)",
            ])
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let n = HTTPField.Name(name) { headers.append(HTTPField(name: n, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// Reads the body within the cap and the time limit, then answers with `handler`; 413, 408, or 400 for framing
    /// that does not parse (a bad chunk size: a client error, not a slow client), each closing the connection.
    private func withBody(
        _ request: Request, apim: Bool, _ handler: @Sendable ([UInt8]) async -> EndpointResponse
    ) async -> EndpointResponse {
        let limits = server.configuration.limits
        let body = request.body
        // The time limit is the connection's RequestDeadlineHandler: it closes a connection whose request is not
        // whole in time, which ends this read with an error.
        let outcome: BodyOutcome
        do {
            var buffer = try await body.collect(upTo: limits.maxBodyBytes)
            outcome = .body(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            outcome = .tooLarge
        } catch is HTTPParserError {
            outcome = .malformed
        } catch {
            outcome = .failed
        }
        // An answer in the endpoint's own shape that also ends the connection (the rest of the body stays unread).
        func closing(_ status: Int, _ why: String) -> EndpointResponse {
            var r: EndpointResponse =
                apim ? .apimError(status, "invalid_request", why) : .cis2Error(status, "invalid_request", why)
            r.headers.append(("Connection", "close"))
            return r
        }
        switch outcome {
        case .body(let bytes):
            return await handler(bytes)
        case .tooLarge:
            return closing(413, "Request body exceeds \(limits.maxBodyBytes) bytes")
        case .malformed:
            return closing(400, "The request body's framing is malformed (e.g. an invalid chunk size)")
        case .failed:
            return closing(408, "The request body was not received in time")
        }
    }

    enum BodyOutcome: Sendable {
        case body([UInt8])
        case tooLarge
        case malformed
        case failed
    }
}

extension NHSEmulatorServer {
    /// Whether an `http://` URL names a loopback host.
    static func isLoopback(_ url: String) -> Bool {
        ["http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/", "http://[::1]"].contains {
            url.hasPrefix($0)
        }
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}

/// Reads small text files (configuration, JWKS, keys), naming the path and the reason on failure.
enum TextFile {
    static func read(_ path: String) throws(ConfigurationError) -> String {
        guard let file = unsafe fopen(path, "rb") else {
            throw ConfigurationError("cannot read '\(path)': \(osReason())")
        }
        defer { unsafe fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = unsafe chunk.withUnsafeMutableBytes { unsafe fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes += chunk[..<n] }
            if n < chunk.count { break }
            if bytes.count > 16 << 20 { throw ConfigurationError("'\(path)' is larger than 16 MiB") }
        }
        if unsafe ferror(file) != 0 { throw ConfigurationError("cannot read '\(path)': \(osReason())") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError("'\(path)' is not UTF-8 text")
        }
        return text
    }

    /// The C library's text for `errno` ("No such file or directory", "Permission denied", "Is a directory").
    static func osReason() -> String { unsafe String(cString: strerror(errno)) }
}
