-- Wrong sign-ins, each from a new client address (X-Forwarded-For, believed
-- because the server trusts 127.0.0.1 as its proxy) and for a new user name:
-- the worst case, where no throttle refuses early and every request costs a
-- full argon2 check (the dummy hash for unknown names).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  n = 0
end

function request()
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = string.format("brukernavn=gjest%d-%d&passord=feil-passord-%d", id or 0, n, math.random(1, 1000000000))
  return wrk.format("POST", "/auth/logg-inn", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = ip,
  }, body)
end
