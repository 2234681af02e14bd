-- wrk script: hostile traffic for the mixed run of perf/serve/load.sh, chosen by $ATTACK.
--   flood    a ~60 KiB form of ~9,000 distinct field names (issue 28 item 3)
--   farexp   unsigned client assertions with exp ten years ahead and a fresh jti each (item 2)
local attack = os.getenv("ATTACK")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local flood
if attack == "flood" then
  local parts = {}
  local size = 0
  local i = 0
  while size < 60000 do
    local field = "f" .. i .. "="
    parts[#parts + 1] = field
    size = size + #field + 1
    i = i + 1
  end
  flood = table.concat(parts, "&")
end

local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function base64url(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for k = 1, chars do
      local index = math.floor(n / 2 ^ (6 * (4 - k))) % 64
      out[#out + 1] = b64:sub(index + 1, index + 1)
    end
  end
  return table.concat(out)
end

local header = base64url('{"alg":"RS512","typ":"JWT","kid":"k1"}')
local counter = 0
local thread_id = tostring(math.random(1, 1e9))

request = function()
  if attack == "flood" then
    return wrk.format("POST", "/oauth2/token", headers, flood)
  end
  counter = counter + 1
  local claims = string.format(
    '{"iss":"attacker","sub":"attacker","aud":"x","jti":"%s-%d","exp":%d}', thread_id, counter, os.time() + 315360000)
  local body = "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="
    .. header .. "." .. base64url(claims) .. ".AAAA"
  return wrk.format("POST", "/oauth2/token", headers, body)
end

dofile("perf/serve/report.lua")
