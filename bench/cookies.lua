-- wrk script: each request carries the session cookie of one of N logged-in users.
local cjson_ok, cjson = pcall(require, "cjson")
local cookies = {}
local counter = 0

local function load()
  local path = os.getenv("COOKIE_FILE")
  if not path then return end
  local f = io.open(path, "r")
  local text = f:read("*a")
  f:close()
  for c in string.gmatch(text, '"([^"]*)"') do table.insert(cookies, c) end
end

load()

request = function()
  if #cookies == 0 then return wrk.format("GET") end
  counter = counter + 1
  local cookie = cookies[(counter % #cookies) + 1]
  return wrk.format("GET", nil, {["Cookie"] = cookie})
end
