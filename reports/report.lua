-- The report's pandoc filter, for the embedded renderer and for Quarto alike:
--  1. print or screen: `::: {.content-visible when-format="html"}` (or unless-format) keeps its
--     content only in that format, as Quarto does, so row-by-row lists stay in the HTML;
--  2. tables numbered in the order they are printed (表1, 表2, ...: a year that leaves one out
--     leaves no gap); an empty link to a table's id, `[](#table-rejects)`, prints its number;
--  3. column widths from the cells' content within the type area of page.yaml (PDF and Word;
--     the browser sizes the HTML's), headers kept whole, long names breakable in the PDF;
--  4. `::: {.ragged}` sets lists of names unjustified, so a line never spreads its characters.

local path = pandoc.path

local function is(format)
  return FORMAT:match("^" .. format) ~= nil
end

local function matches(name)
  if name == "pdf" then
    return is("typst") or is("latex")
  end
  return is(name)
end

-- 1 -------------------------------------------------------------------------------------

local visibility = {
  Div = function(div)
    local shown
    if div.classes:includes("content-visible") then
      local when, unless = div.attributes["when-format"], div.attributes["unless-format"]
      shown = (when == nil or matches(when)) and (unless == nil or not matches(unless))
    elseif div.classes:includes("content-hidden") then
      local when, unless = div.attributes["when-format"], div.attributes["unless-format"]
      shown = not ((when == nil or matches(when)) and (unless == nil or not matches(unless)))
    else
      return nil
    end
    return shown and div.content or {}
  end,
}

-- 2 -------------------------------------------------------------------------------------

-- A caption's own number, if the template wrote one (表3 标题): it is replaced.
local function drop_written_number(inlines)
  local first = inlines[1]
  if first and first.t == "Str" and first.text:match("^表%d*$") then
    inlines:remove(1)
    if inlines[1] and inlines[1].t == "Space" then
      inlines:remove(1)
    end
  end
  return inlines
end

local function number_tables(doc)
  local numbers, count = {}, 0
  doc = doc:walk({
    Table = function(tbl)
      local blocks = tbl.caption.long
      if #blocks == 0 or pandoc.utils.stringify(blocks) == "" then
        return nil
      end
      count = count + 1
      local inlines = drop_written_number(blocks[1].content)
      inlines:insert(1, pandoc.Space())
      inlines:insert(1, pandoc.Str("表" .. count))
      blocks[1].content = inlines
      if tbl.identifier ~= "" then
        numbers[tbl.identifier] = count
      end
      return tbl
    end,
  })
  return doc:walk({
    Link = function(link)
      local id = link.target:match("^#(.+)$")
      if id and #link.content == 0 then
        if not numbers[id] then
          error("报告模板引用了本报告中没有的表格：#" .. id)
        end
        return pandoc.Str("表" .. numbers[id])
      end
    end,
  })
end

-- 3 -------------------------------------------------------------------------------------

local function read_page()
  local file = io.open(path.join({ path.directory(PANDOC_SCRIPT_FILE), "page.yaml" }), "r")
  if not file then
    error("report.lua needs page.yaml beside it")
  end
  local text = file:read("a")
  file:close()
  local meta = pandoc.read("---\n" .. text .. "\n---\n", "markdown").meta
  local function number(key)
    return tonumber(pandoc.utils.stringify(meta[key]))
  end
  local margin = meta.margin_mm
  local width_mm = number("width_mm")
    - tonumber(pandoc.utils.stringify(margin.inside))
    - tonumber(pandoc.utils.stringify(margin.outside))
  local size = number("table_pt")
  -- everything in ems of the table's text: the type area's width, a cell's inset on both sides
  return { width = width_mm * 72 / 25.4 / size, inset = 2 * number("table_inset_pt") / size }
end

local PAGE = read_page()
-- A cell this short is never wrapped (a date, a count, a kind).
local NOWRAP_EM = 8
-- In the PDF a name breaks after / _ . - #, and a run of Latin letters or digits as long as
-- LONG_RUN every RUN characters (a file name with no such marks).
local RUN = 15
local LONG_RUN = 20
local SLACK_EM = 0.25

-- Latin letters and digits: the PDF's faces; Word's may be wider where an office's fonts are
-- replaced (LibreOffice sets Times New Roman's text in DejaVu Serif).
local LATIN_EM = is("docx") and 0.64 or 0.56

local function char_width(code)
  if code == 32 then
    return 0.3
  elseif code < 0x80 then
    return LATIN_EM
  elseif code >= 0x2E80 or (code >= 0x2010 and code <= 0x206F) then
    return 1.0 -- CJK, full-width forms, and the quotes and dashes CJK fonts set full width
  end
  return 0.6
end

local function text_width(text)
  local width = 0
  for _, code in utf8.codes(text) do
    width = width + char_width(code)
  end
  return width
end

-- The widest piece the line breaker may not split: in the PDF, Latin runs up to RUN characters
-- (it may break after / _ . - # and inside longer runs); two CJK characters (a closing mark
-- stays with its character).
local function min_width(text)
  local widest = 0
  if not is("typst") then
    -- Word breaks a name only after / (and a word longer than half the line anywhere)
    for word in text:gmatch("[%w%p]+") do
      for piece in word:gmatch("[^/]*/?") do
        widest = math.max(widest, math.min(text_width(piece), PAGE.width / 2))
      end
    end
    return math.max(widest, text:find("[\128-\255]") and 2 or 0)
  end
  for word in text:gmatch("[%w%p]+") do
    for piece in word:gmatch("[^/_%.#%-]*[/_%.#%-]?") do
      local latin = piece:gsub("[\128-\255]+", " ")
      for run in latin:gmatch("%S+") do
        widest = math.max(widest, text_width(#run < LONG_RUN and run or run:sub(1, RUN)))
      end
    end
  end
  return math.max(widest, text:find("[\128-\255]") and 2 or 0)
end

-- A header breaks before （ or where the template put a zero-width space (标志性​成果).
local function header_width(text)
  local widest = 0
  for part in (text:gsub("（", " （"):gsub("\u{200B}", " ")):gmatch("%S+") do
    widest = math.max(widest, text_width(part))
  end
  return widest
end

local function rows_of(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows) do
    rows[#rows + 1] = { row = row, head = true }
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      rows[#rows + 1] = { row = row, head = false }
    end
  end
  for _, row in ipairs(tbl.foot.rows) do
    rows[#rows + 1] = { row = row, head = false }
  end
  return rows
end

-- Each column's narrowest and natural width, from its cells (ems).
local function column_extents(tbl)
  local low, high = {}, {}
  for i = 1, #tbl.colspecs do
    low[i], high[i] = 1, 1
  end
  for _, entry in ipairs(rows_of(tbl)) do
    local column = 1
    for _, cell in ipairs(entry.row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      local natural = text_width(text)
      local narrowest
      if entry.head then
        narrowest = header_width(text)
      elseif natural <= NOWRAP_EM then
        narrowest = natural
      else
        narrowest = min_width(text)
      end
      if cell.col_span == 1 and low[column] then
        low[column] = math.max(low[column], narrowest)
        high[column] = math.max(high[column], natural)
      end
      column = column + cell.col_span
    end
  end
  return low, high
end

-- As a browser lays out an automatic table: every column gets its narrowest width, the room
-- left is shared in proportion to what each needs for one line, then to the natural widths.
local function widths(tbl)
  local low, high = column_extents(tbl)
  local n = #tbl.colspecs
  local room = PAGE.width - n * (PAGE.inset + SLACK_EM)
  local sum_low, sum_high = 0, 0
  for i = 1, n do
    sum_low, sum_high = sum_low + low[i], sum_high + high[i]
  end
  local result = {}
  for i = 1, n do
    local width
    if sum_high <= room then
      width = high[i] + (room - sum_high) * high[i] / sum_high
    elseif sum_low <= room then
      width = low[i] + (room - sum_low) * (high[i] - low[i]) / (sum_high - sum_low)
    else
      width = low[i] * room / sum_low
    end
    result[i] = (width + PAGE.inset + SLACK_EM) / PAGE.width
  end
  return result
end

local function split_run(run)
  if #run < LONG_RUN then
    return run
  end
  return run:gsub(("%w"):rep(RUN), "%0\u{200B}")
end

local function breakable(inline)
  inline.text = inline.text:gsub("([/_%.#%-])", "%1\u{200B}"):gsub("%w+", split_run)
  return inline
end

local layout = {
  Table = function(tbl)
    if is("html") then
      for i, spec in ipairs(tbl.colspecs) do
        tbl.colspecs[i] = { spec[1], nil }
      end
      return tbl
    end
    for i, width in ipairs(widths(tbl)) do
      tbl.colspecs[i] = { tbl.colspecs[i][1], width }
    end
    if is("typst") then
      tbl = tbl:walk({ Str = breakable })
    end
    return tbl
  end,
}

-- 4 -------------------------------------------------------------------------------------

local ragged = {
  Div = function(div)
    if not div.classes:includes("ragged") then
      return nil
    end
    if is("typst") then
      local content = pandoc.List({ pandoc.RawBlock("typst", "#[\n#set par(justify: false)\n") })
      content:extend(div.content)
      content:insert(pandoc.RawBlock("typst", "]"))
      return content
    elseif is("docx") then
      div.attributes["custom-style"] = "Ragged Text"
    end
    return div
  end,
}

return {
  visibility,
  { Pandoc = number_tables },
  layout,
  ragged,
}
