-- wrk script: cycles through the paths listed (one per line) in the file
-- named by the PATHS environment variable, as a browser asks for a page.
local paths = {}
init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {
    ["Accept"] = "text/html",
    ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  })
end
