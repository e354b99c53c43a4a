-- The embedded renderer's one pandoc process per document: the command line writes the HTML,
-- and this filter, run first on the document as read, writes the other formats (the Typst
-- source and the Word file) from the same parse, each as `pandoc --to FORMAT` would:
-- the report's filter applied afresh with FORMAT set to that format, the command line's
-- writer options with that format's template, variables and reference document.
--
-- What to write comes as JSON in PIPELINE_PANDOC_FORMATS:
--   {"filter": "report.lua", "writes": [{"format": "typst", "output": "x.typ",
--     "template": "pandoc-template.typ", "variables": {"body-font": "..."}},
--    {"format": "docx", "output": "x.docx", "reference_doc": "reference.docx"}]}

local job = pandoc.json.decode(os.getenv("PIPELINE_PANDOC_FORMATS") or error("PIPELINE_PANDOC_FORMATS is not set"))

-- The report's filter as a fresh load: its locals (table numbers) start anew for each format,
-- and it finds page.yaml beside itself as when pandoc loads it.
local function report_filters()
  local own = PANDOC_SCRIPT_FILE
  PANDOC_SCRIPT_FILE = job.filter
  local filters = dofile(job.filter)
  PANDOC_SCRIPT_FILE = own
  return filters
end

local function read(file)
  local handle = io.open(file, "r") or error("cannot read " .. file)
  local text = handle:read("a")
  handle:close()
  return text
end

-- The command line's writer options (wrap, columns, ...) with those of one format.
local function options(write)
  local fields = {}
  for key, value in pairs(PANDOC_WRITER_OPTIONS) do
    fields[key] = value
  end
  local variables = {}
  for key, value in pairs(PANDOC_WRITER_OPTIONS.variables) do
    if key ~= "css" then  -- the HTML's stylesheet
      variables[key] = value
    end
  end
  variables.outputfile = write.output
  for key, value in pairs(write.variables or {}) do
    variables[key] = value
  end
  fields.variables = variables
  fields.template = write.template and pandoc.template.compile(read(write.template), write.template) or nil
  fields.reference_doc = write.reference_doc
  return pandoc.WriterOptions(fields)
end

local function write_all(doc)
  local html = FORMAT
  for _, write in ipairs(job.writes) do
    FORMAT = write.format
    local filtered = doc
    for _, filter in ipairs(report_filters()) do
      filtered = filtered:walk(filter)
    end
    local handle = io.open(write.output, "wb") or error("cannot write " .. write.output)
    handle:write(pandoc.write(filtered, write.format, options(write)))
    handle:close()
  end
  FORMAT = html
  return nil
end

return { { Pandoc = write_all } }
