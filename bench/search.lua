-- wrk script: cycles through realistic analyst queries (names with variants, identifiers, words).
local queries = {
  "Mohammed%20Abdelrahman", "Muhammad%20Abd%20al-Rahman", "Yusuf%20Hussein", "Tesfaye", "Ahmed",
  "07700%20900123", "%2B218%2091%20234%205678", "Zuwara", "Calais%20lorry", "dinghy",
  "Abdulrahman", "Gravelines", "Khalid", "Sabratha", "passport",
}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/api/search?limit=20&q=" .. q)
end
