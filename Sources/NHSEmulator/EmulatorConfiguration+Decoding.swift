// SPDX-License-Identifier: Apache-2.0

import ClientAssertion

// Decoding with defaults: a file names only what differs, and a misspelt key is an error, never silently ignored.

extension KeyedDecodingContainer where Key == DynamicKey {
    /// The value at `key`, or `fallback` when the key is absent.
    func value<T: Decodable>(_ key: String, _ fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: DynamicKey(key)) ?? fallback
    }

    /// Throws when the container has a key not in `known`.
    func rejectUnknown(_ known: [String], in what: String) throws {
        for key in allKeys where !known.contains(key.stringValue) {
            throw ConfigurationError(
                "unknown key '\(key.stringValue)' in \(what); known: \(known.joined(separator: ", "))")
        }
    }
}

extension EmulatorConfiguration: Decodable {
    /// Reads a configuration; absent members keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(
            ["host", "port", "publicBaseURL", "apim", "cis2", "limits", "replay", "checks"], in: "the configuration")
        self.init()
        host = try c.value("host", host)
        port = try c.value("port", port)
        publicBaseURL = try c.value("publicBaseURL", publicBaseURL)
        apim = try c.value("apim", apim)
        cis2 = try c.value("cis2", cis2)
        limits = try c.value("limits", limits)
        replay = try c.value("replay", replay)
        checks = try c.value("checks", checks)
    }
}

extension EmulatorConfiguration.APIM: Decodable {
    /// Reads the APIM section; absent members keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(
            [
                "applications", "environment", "audience", "accessTokenLifetime", "refreshTokenLifetime",
                "jwksCacheSeconds", "jwksRefetchOnUnknownKeyID", "cis2Issuer", "cis2JWKS", "cis2JWKSCacheSeconds",
            ], in: "apim")
        self.init()
        applications = try c.value("applications", applications)
        environment = try c.value("environment", environment)
        audience = try c.value("audience", audience)
        accessTokenLifetime = try c.value("accessTokenLifetime", accessTokenLifetime)
        refreshTokenLifetime = try c.value("refreshTokenLifetime", refreshTokenLifetime)
        jwksCacheSeconds = try c.value("jwksCacheSeconds", jwksCacheSeconds)
        jwksRefetchOnUnknownKeyID = try c.value("jwksRefetchOnUnknownKeyID", jwksRefetchOnUnknownKeyID)
        cis2Issuer = try c.value("cis2Issuer", cis2Issuer)
        cis2JWKS = try c.value("cis2JWKS", cis2JWKS)
        cis2JWKSCacheSeconds = try c.value("cis2JWKSCacheSeconds", cis2JWKSCacheSeconds)
    }
}

extension EmulatorConfiguration.Application: Decodable {
    /// Reads one application (`apiKey` required).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(["name", "apiKey", "jwks"], in: "an application")
        guard let key = try c.decodeIfPresent(String.self, forKey: DynamicKey("apiKey")), !key.isEmpty else {
            throw ConfigurationError("an application needs an apiKey")
        }
        self.init(name: try c.value("name", nil), apiKey: key, jwks: try c.value("jwks", nil))
    }
}

extension EmulatorConfiguration.CIS2: Decodable {
    /// Reads the CIS2 section; absent members keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(
            [
                "realmPath", "issuer", "clients", "user", "idTokenLifetime", "accessTokenLifetime", "codeLifetime",
                "signingKey", "signingKeyID", "maximumAssertionLifetime",
            ], in: "cis2")
        self.init()
        realmPath = try c.value("realmPath", realmPath)
        issuer = try c.value("issuer", issuer)
        clients = try c.value("clients", clients)
        user = try c.value("user", user)
        idTokenLifetime = try c.value("idTokenLifetime", idTokenLifetime)
        accessTokenLifetime = try c.value("accessTokenLifetime", accessTokenLifetime)
        codeLifetime = try c.value("codeLifetime", codeLifetime)
        signingKey = try c.value("signingKey", signingKey)
        signingKeyID = try c.value("signingKeyID", signingKeyID)
        maximumAssertionLifetime = try c.value("maximumAssertionLifetime", maximumAssertionLifetime)
    }
}

extension EmulatorConfiguration.Client: Decodable {
    /// Reads one CIS2 client (`clientID`, `redirectURIs` and `jwks` required).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(["clientID", "redirectURIs", "jwks", "algorithms"], in: "a CIS2 client")
        guard let id = try c.decodeIfPresent(String.self, forKey: DynamicKey("clientID")),
            let jwks = try c.decodeIfPresent(String.self, forKey: DynamicKey("jwks"))
        else { throw ConfigurationError("a CIS2 client needs clientID and jwks") }
        self.init(
            clientID: id, redirectURIs: try c.value("redirectURIs", []), jwks: jwks,
            algorithms: try c.value("algorithms", ["RS256", "RS512"]))
    }
}

extension EmulatorConfiguration.Limits: Decodable {
    /// Reads the limits; absent members keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(["maxBodyBytes", "bodyTimeoutSeconds", "idleTimeoutSeconds"], in: "limits")
        self.init()
        maxBodyBytes = try c.value("maxBodyBytes", maxBodyBytes)
        bodyTimeoutSeconds = try c.value("bodyTimeoutSeconds", bodyTimeoutSeconds)
        idleTimeoutSeconds = try c.value("idleTimeoutSeconds", idleTimeoutSeconds)
    }
}

extension EmulatorConfiguration.Replay: Decodable {
    /// Reads the replay store's settings; absent members keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DynamicKey.self)
        try c.rejectUnknown(["store", "postgresURL", "capacity", "skewSeconds", "timeoutSeconds"], in: "replay")
        self.init()
        store = try c.value("store", store)
        guard store == "memory" || store == "postgres" else {
            throw ConfigurationError("replay.store is '\(store)'; use memory or postgres")
        }
        postgresURL = try c.value("postgresURL", postgresURL)
        capacity = try c.value("capacity", capacity)
        skewSeconds = try c.value("skewSeconds", skewSeconds)
        timeoutSeconds = try c.value("timeoutSeconds", timeoutSeconds)
        guard timeoutSeconds >= 1 else {
            throw ConfigurationError("replay.timeoutSeconds is \(timeoutSeconds); it must be at least 1")
        }
    }
}
