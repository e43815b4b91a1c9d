-- cmdfix format-on-save for Neovim 0.7 or later, without plugins: put this
-- file in ~/.config/nvim/plugin/. It runs cmdfix the way conform.nvim runs
-- a formatter: the buffer goes to standard input and is replaced by
-- standard output when cmdfix exits 0. Diagnostics (standard error) are
-- shown as messages; on an error the buffer is left as it was.
vim.api.nvim_create_autocmd('BufWritePre', {
  group = vim.api.nvim_create_augroup('cmdfix', { clear = true }),
  pattern = { 'Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile',
              'Containerfile', 'Containerfile.*', '*.containerfile' },
  callback = function(args)
    local buf = args.buf
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
    local messages = vim.trim(table.concat(err, '\n'))
    if code ~= 0 then
      vim.notify(messages ~= '' and messages or ('cmdfix: exit status ' .. code), vim.log.levels.ERROR)
      return
    end
    if messages ~= '' then
      vim.notify(messages, vim.log.levels.WARN)
    end
    if out[#out] == '' then
      table.remove(out)
    end
    if not vim.deep_equal(out, lines) then
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, out)
    end
  end,
})
