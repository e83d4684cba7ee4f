-- wrk script: each request carries the session cookie of one of N logged-in users.
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

-- Same user agent as the login (Flask-Login's strong session protection checks it).
local agent = "academy-bench"

request = function()
  if #cookies == 0 then return wrk.format("GET", nil, {["User-Agent"] = agent}) end
  counter = counter + 1
  local cookie = cookies[(counter % #cookies) + 1]
  return wrk.format("GET", nil, {["Cookie"] = cookie, ["User-Agent"] = agent})
end

-- Count answers other than 200 (wrk itself counts 3xx as success).
local not_ok = 0
response = function(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if not_ok == 1 then io.stderr:write("unexpected status " .. status .. "\n") end
  end
end
