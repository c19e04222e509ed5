-- wrk script: posts made-up published stories in six sections, each with its own subject
-- words drowned in common news words, through the API with the token in NEWSDESK_TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("NEWSDESK_TOKEN")
local sections = {"politics", "business", "transport", "culture", "sport", "science"}
local subjects = {
  {"council", "mayor", "budget", "vote", "election", "minister", "parliament", "policy", "campaign", "coalition"},
  {"market", "shares", "bank", "profit", "inflation", "trade", "investors", "rates", "factory", "exports"},
  {"rail", "ferry", "bridge", "drivers", "strike", "timetable", "commuters", "tram", "airport", "harbour"},
  {"festival", "museum", "gallery", "theatre", "concert", "novel", "painting", "film", "orchestra", "poet"},
  {"match", "league", "goal", "coach", "stadium", "season", "striker", "cup", "final", "referee"},
  {"study", "researchers", "climate", "telescope", "vaccine", "species", "ocean", "laboratory", "fossil", "satellite"},
}
local common = {"the", "city", "said", "on", "after", "year", "new", "people", "week", "plans", "local", "officials",
  "report", "could", "more", "than", "about", "residents", "time", "port", "avel", "would", "first", "last",
  "public", "month", "group", "told", "set", "over", "north", "south", "river", "old", "quarter", "morning",
  "evening", "change", "cost", "work", "families", "young", "leaders", "talks", "questions", "answers"}
local names = {"Maya Okafor", "Ilse Varga", "Tomas Reyes", "Jun Park", "Aino Lehto", "Ravi Menon", "Lucia Ferro", "Omar Haddad"}
local thread_id = 0
local n = 0
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
function init(args) math.randomseed(tid * 7919 + os.time()); n = tid * 10000000 end
local function words(topic, count, share)
  local out = {}
  for i = 1, count do
    if math.random() < share then out[i] = topic[math.random(#topic)] else out[i] = common[math.random(#common)] end
  end
  return table.concat(out, " ")
end
request = function()
  n = n + 1
  local t = math.random(#sections)
  local topic = subjects[t]
  local body = {}
  for p = 1, 4 do body[p] = words(topic, 60, 0.2) .. "." end
  local days = math.random(0, 730)
  local json = string.format(
    '{"headline":"%s %d","standfirst":"%s.","body":"%s","section":"%s","tags":["%s","%s"],"authors":["%s"],"status":"published","published_at":"%s"}',
    words(topic, 7, 0.5), n, words(topic, 16, 0.3), table.concat(body, "\\n\\n"), sections[t],
    topic[math.random(#topic)], topic[math.random(#topic)], names[math.random(#names)],
    os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - days * 86400 - math.random(86400)))
  return wrk.format(nil, nil, nil, json)
end
