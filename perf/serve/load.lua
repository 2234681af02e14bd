-- wrk script: POST the client_credentials bodies of $BODIES (one per line) to /oauth2/token, round robin.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local i = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/oauth2/token", headers, bodies[i])
end

dofile("perf/serve/report.lua")
