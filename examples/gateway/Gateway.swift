// SPDX-License-Identifier: Apache-2.0

// A gateway in one file: inbound requests carry a bearer JWT that Signet verifies (SignetHummingbirdAuth); each
// one is forwarded to an upstream NHS API with an APIM access token that Signet's AccessTokenClient keeps fresh
// (one private_key_jwt client assertion per token request, RS512). Run it against `signet serve` on loopback:
//
//   signet keygen --bits 4096 --kid gw-1 --out gw.pem --jwks gw-jwks.json
//   signet serve --api-key "$API_KEY" --jwks gw-jwks.json --env int --port 7523 &
//   signet-gateway-example --token-url http://127.0.0.1:7523/oauth2/token --api-key "$API_KEY" --key gw.pem \
//       --kid gw-1 --inbound-jwks callers-jwks.json --audience https://gateway.example \
//       --upstream http://127.0.0.1:9000/patient
import ArgumentParser
import AsyncHTTPClient
import ClientAssertion
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import JWS
import Logging
import NIOCore
import NIOHTTP1
import SignetHummingbirdAuth
import SignetKeys
import TokenClient

@main
struct GatewayExample: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet-gateway-example",
        abstract: "Verify callers' bearer JWTs; call the upstream with an APIM token from AccessTokenClient.")

    @Option(help: "APIM's token URL (http only to loopback: signet serve).") var tokenURL: String
    @Option(help: "The APIM application's API key (the assertion's iss and sub).") var apiKey: String
    @Option(help: "The private key (PEM) registered with APIM.") var key: String
    @Option(help: "Its kid in the registered JWKS.") var kid: String
    @Option(help: "The JWK set (file) whose keys sign the callers' bearer tokens.") var inboundJWKS: String
    @Option(help: "The aud every caller's token must carry.") var audience: String
    @Option(help: "The upstream URL each GET /patient is forwarded to.") var upstream: String
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port (0: any free one; the URL is printed).") var port = 8080
    @Flag(
        help:
            "Also serve GET /verify-only: the same verifier called in the handler, no authenticator (the baseline perf/gateway/load.sh measures the authenticator against)."
    )
    var baselineRoutes = false

    func run() async throws {
        // Outbound: APIM access tokens, one fresh client assertion per token request.
        let minter = try ClientAssertionMinter(
            key: try RSAPrivateKey(pem: String(contentsOfFile: key, encoding: .utf8)), keyID: kid, clientID: apiKey,
            profile: .apim(.integration))
        let tokens = AccessTokenClient(endpoint: try TokenEndpoint(tokenURL: tokenURL, minter: minter))
        let api = BearerHTTPClient(tokens: tokens)

        // Inbound: callers' tokens verified against their JWK set, bound to the keys' algorithms.
        let callers = try JWKSet.parse(try String(contentsOfFile: inboundJWKS, encoding: .utf8))
        let verifier = try JWSVerifier(
            keys: callers.verificationKeys(defaultAlgorithm: .rs256), policy: JWTValidationPolicy(audience: audience))
        let authenticated = JWTBearerAuthenticator<BasicAuthRequestContext<VerifiedBearer>>(keys: .verifier(verifier))
        let patientReaders = JWTBearerAuthenticator<BasicAuthRequestContext<VerifiedBearer>>(
            keys: .verifier(verifier), requiredScopes: ["patient.read"])

        let router = Router(context: BasicAuthRequestContext<VerifiedBearer>.self)
        // Liveness, with no authentication: also the bare route perf/gateway/load.sh compares the others with.
        router.get("health") { _, _ in "ok" }
        if baselineRoutes {
            // One verify on the zero-allocation path inside the handler, as `signet bench` verifies: the bare route
            // plus one verify, measured in the same server (its caches and scheduling) as the authenticated route.
            router.get("verify-only") { request, _ -> String in
                guard let field = request.headers[.authorization], field.hasPrefix("Bearer ") else {
                    throw HTTPError(.badRequest)
                }
                let token = Array(field.utf8.dropFirst(7))
                let scratchBytes = verifier.scratchByteCount(for: RawSpan(_elements: token.span))
                do {
                    return try withUnsafeTemporaryAllocation(byteCount: max(scratchBytes, 1), alignment: 8) { buffer in
                        var scratch = MutableRawSpan(_unsafeBytes: buffer)
                        let view = try verifier.verify(RawSpan(_elements: token.span), scratch: &scratch)
                        return view.subject?.string ?? ""
                    }
                } catch {
                    throw HTTPError(.unauthorized)
                }
            }
        }
        // The caller as the gateway sees it: authentication alone (any scope), no upstream call.
        router.group("whoami").add(middleware: authenticated).get { _, context -> String in
            try context.requireIdentity().subject ?? ""
        }
        router.group("patient").add(middleware: patientReaders).get { _, context -> Response in
            let caller = try context.requireIdentity()
            let answer = try await api.execute(HTTPClientRequest(url: upstream), timeout: .seconds(10))
            let body = try await answer.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = answer.headers.first(name: "Content-Type") ?? "application/octet-stream"
            if let name = HTTPField.Name("X-Gateway-Caller") { headers[name] = caller.subject ?? "" }
            return Response(
                status: .init(code: Int(answer.status.code)), headers: headers, body: .init(byteBuffer: body))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                let url = "http://\(host):\(channel.localAddress?.port ?? port)"
                FileHandle.standardOutput.write(Data("signet-gateway-example: listening on \(url)\n".utf8))
            },
            logger: Logger(label: "signet.gateway-example"))
        try await app.runService()
    }
}
