-- Drives Neovim's built-in LSP client as a user would: open a file, wait for
-- secure-flask's diagnostics, ask for the code actions on the line and apply
-- the preferred quick fix, write every buffer. Written for Neovim 0.7
-- (Debian 12), so it uses start_client/buf_attach_client rather than vim.lsp.start.
-- Inputs come from the environment; the outcome goes to SF_RESULT as JSON.
local root, file, result_path = vim.env.SF_ROOT, vim.env.SF_FILE, vim.env.SF_RESULT
local result = { steps = {} }

local function finish(failure)
  result.failure = failure
  local out = io.open(result_path, 'w')
  out:write(vim.fn.json_encode(result))
  out:close()
  vim.cmd(failure and 'cquit 1' or 'qall!')
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'secure-flask',
    cmd = { vim.env.SF_NODE, vim.env.SF_BIN, 'server' },
    root_dir = root,
  })
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    return finish('no diagnostics arrived')
  end
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.steps, { diagnostic = { code = diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code, lnum = diagnostic.lnum, col = diagnostic.col, severity = diagnostic.severity, source = diagnostic.source, message = diagnostic.message } })
  end
  local first = vim.diagnostic.get(bufnr)[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })

  -- What `:lua vim.lsp.buf.code_action()` does in Neovim 0.7 (its options have no filter there):
  -- ask with the line's diagnostics, then apply the chosen action's edit as its handler does.
  local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local replies = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 60000) or {}
  local client = vim.lsp.get_client_by_id(client_id)
  local chosen
  for _, reply in pairs(replies) do
    for _, action in ipairs(reply.result or {}) do
      table.insert(result.steps, { action = { title = action.title, kind = action.kind } })
      if action.isPreferred and not chosen then chosen = action end
    end
  end
  if not chosen then return finish('no preferred quick fix offered') end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  local changed = vim.wait(60000, function()
    return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') ~= before
  end, 50)
  if not changed then return finish('the quick fix changed nothing') end
  vim.cmd('silent wall')
  -- The server checks the edited buffer again: the finding is gone.
  if not vim.wait(60000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50) then
    return finish('the diagnostic stayed after the fix')
  end
  table.insert(result.steps, { cleared = true })
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  finish(nil)
end

local ok, err = pcall(run)
if not ok then finish(tostring(err)) end
