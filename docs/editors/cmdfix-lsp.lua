-- cmdfix as a language server for Neovim's built-in client (0.7 or later),
-- without plugins: put this file in ~/.config/nvim/plugin/. Dockerfiles
-- and Containerfiles get cmdfix's findings as diagnostics, its proved
-- fixes as code actions (vim.lsp.buf.code_action()), its explanation on
-- hover (K) and formatting (vim.lsp.buf.format(), or formatting_sync() in
-- 0.7). Settings may be given under settings.cmdfix, e.g.
--   { unsafeFixes = false, splitFixes = true, disable = { 'json-array' } }
local function start(buf)
  local config = {
    name = 'cmdfix',
    cmd = { 'cmdfix', 'lsp' },
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':p:h'),
    settings = { cmdfix = {} },
  }
  if vim.lsp.start then -- Neovim 0.8 and later
    vim.lsp.start(config, { bufnr = buf })
    return
  end
  -- Neovim 0.7: one client per folder, attached to each buffer.
  _G.cmdfix_lsp_clients = _G.cmdfix_lsp_clients or {}
  local id = _G.cmdfix_lsp_clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    _G.cmdfix_lsp_clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(buf, id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('cmdfix_lsp', { clear = true }),
  pattern = { 'dockerfile', 'Dockerfile', 'containerfile' },
  callback = function(args) start(args.buf) end,
})
