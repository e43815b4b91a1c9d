-- cmdfix format-on-save for Neovim 0.7 or later, without plugins: put this
-- file in ~/.config/nvim/plugin/. It runs cmdfix the way conform.nvim runs
-- a formatter: the buffer goes to standard input and is replaced by
-- standard output when cmdfix exits 0. Only the lines that changed are
-- replaced, so the cursor and marks elsewhere stay where they were. The
-- findings (standard error) are shown through vim.diagnostic, on the lines
-- they are about after the change; on an error the buffer is left as it
-- was and the error is a diagnostic too. Buffers Neovim types as
-- dockerfile (any case) are formatted, and files named like Dockerfiles
-- and Containerfiles whatever their type.
local ns = vim.api.nvim_create_namespace('cmdfix')

local names = { '^Dockerfile$', '^Dockerfile%.', '%.[Dd]ockerfile$',
                '^Containerfile$', '^Containerfile%.', '%.containerfile$' }

local function wanted(buf)
  if vim.bo[buf].filetype:lower() == 'dockerfile' then
    return true
  end
  local base = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':t')
  for _, p in ipairs(names) do
    if base:match(p) then
      return true
    end
  end
  return false
end

-- newLine maps a 1-based line of the old text to the new one through the
-- hunks of vim.diff: the nth line of a changed hunk goes to the nth new
-- line (or the hunk's last), a removed one to the line after.
local function newLine(hunks, n)
  local shift = 0
  for _, h in ipairs(hunks) do
    local sa, ca, sb, cb = h[1], h[2], h[3], h[4]
    local first = ca == 0 and sa + 1 or sa -- first old line after/in the hunk
    if n < first then
      break
    end
    if ca > 0 and n < sa + ca then
      if cb == 0 then
        return sb + 1 -- removed: the line that took its place
      end
      return sb + math.min(n - sa, cb - 1)
    end
    shift = shift + cb - ca
  end
  return n + shift
end

-- findings reads cmdfix's standard error: "NAME:LINE:COL: RULE: MESSAGE"
-- for findings, "cmdfix: NAME:LINE: MESSAGE" (or without a line) for
-- errors.
local function findings(lines)
  local out = {}
  for _, l in ipairs(lines) do
    local line, col, rule, msg = l:match('^.*:(%d+):(%d+): ([%w-]+): (.*)$')
    if line then
      table.insert(out, { lnum = tonumber(line), col = tonumber(col) - 1, code = rule,
                          message = rule .. ': ' .. msg, severity = vim.diagnostic.severity.WARN })
    elseif l ~= '' then
      local eline, emsg = l:match('^cmdfix: .*:(%d+): (.*)$')
      table.insert(out, { lnum = tonumber(eline) or 1, col = 0, message = 'cmdfix: ' .. (emsg or l:gsub('^cmdfix: ', '')),
                          severity = vim.diagnostic.severity.ERROR })
    end
  end
  return out
end

local function show(buf, diags, hunks, count)
  for _, d in ipairs(diags) do
    d.lnum = math.min(newLine(hunks, d.lnum), math.max(count, 1)) - 1
  end
  vim.diagnostic.set(ns, buf, diags)
end

vim.api.nvim_create_autocmd('BufWritePre', {
  group = vim.api.nvim_create_augroup('cmdfix', { clear = true }),
  pattern = '*',
  callback = function(args)
    local buf = args.buf
    if not wanted(buf) then
      return
    end
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    local input = vim.list_extend({}, lines)
    if vim.bo[buf].eol or vim.bo[buf].fixeol then
      table.insert(input, '') -- the file ends with a newline
    end
    local out, err = {}, {}
    local job = vim.fn.jobstart({ 'cmdfix', '--stdin-filename', vim.api.nvim_buf_get_name(buf) }, {
      stdout_buffered = true,
      stderr_buffered = true,
      on_stdout = function(_, data) out = data end,
      on_stderr = function(_, data) err = data end,
    })
    if job <= 0 then
      vim.notify('cmdfix: not found on the PATH', vim.log.levels.ERROR)
      return
    end
    vim.fn.chansend(job, input)
    vim.fn.chanclose(job, 'stdin')
    local code = vim.fn.jobwait({ job }, 5000)[1]
    if code == -1 then
      vim.fn.jobstop(job)
    end
    local diags = findings(err)
    if code ~= 0 then
      if #diags == 0 then
        diags = { { lnum = 1, col = 0, message = 'cmdfix: exit status ' .. code, severity = vim.diagnostic.severity.ERROR } }
      end
      show(buf, diags, {}, #lines)
      return
    end
    if out[#out] == '' then
      table.remove(out)
    end
    local hunks = {}
    if not vim.deep_equal(out, lines) then
      local a = table.concat(lines, '\n') .. '\n'
      local b = table.concat(out, '\n') .. '\n'
      hunks = vim.diff(a, b, { result_type = 'indices', algorithm = 'minimal' })
      -- From the last hunk up, so earlier line numbers stay valid.
      for i = #hunks, 1, -1 do
        local sa, ca, sb, cb = unpack(hunks[i])
        local from = ca == 0 and sa or sa - 1
        vim.api.nvim_buf_set_lines(buf, from, from + ca, false, vim.list_slice(out, sb, sb + cb - 1))
      end
    end
    show(buf, diags, hunks, #out)
  end,
})
