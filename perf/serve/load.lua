-- wrk script: POST the client_credentials bodies of $BODIES (one per line) to /oauth2/token, round robin.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local i = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/oauth2/token", headers, bodies[i])
end

done = function(summary, latency, requests)
  io.write(string.format("wrk: requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
