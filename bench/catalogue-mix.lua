-- wrk script: cycles through catalogue views (filters, searches, sorts, pages).
local paths = {
  "/ressurser",
  "/ressurser?nivaa=individ",
  "/ressurser?nivaa=tjeneste&nivaa=system&malgruppe=kommunale-tjenester",
  "/ressurser?type=praksiseksempel&fagfelt=rus&grad=samarbeide",
  "/ressurser?malgruppe=parorende&metode=brukerutvalg&metode=dialogmoter&sort=nyeste",
  "/ressurser?inngang=kompetansesenter&nivaa=system&side=3",
  "/ressurser?q=brukermedvirkning",
  "/ressurser?q=p%C3%A5r%C3%B8rende&nivaa=individ",
  "/ressurser?q=erfaringskonsulent+kommunen&sort=nyeste",
  "/ressurser?q=fit",
}
local i = 0
request = function()
  i = i + 1
  -- As a browser asks: compressed answers accepted.
  return wrk.format("GET", paths[(i % #paths) + 1], {
    ["Accept"] = "text/html",
    ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  })
end
