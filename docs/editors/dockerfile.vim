" cmdfix for Vim 8 or later and Neovim: put this file in
" ~/.vim/after/ftplugin/ (Vim) or ~/.config/nvim/after/ftplugin/ (Neovim).

" gq formats through cmdfix. Vim puts whatever a filter prints in place of
" the text, so messages are dropped, and on an error (a file BuildKit
" cannot parse) the text is replaced by nothing: press u to get it back.
setlocal formatprg=cmdfix\ 2>/dev/null

" :make lists cmdfix's findings in the quickfix list.
setlocal makeprg=cmdfix\ --check\ %:S
setlocal errorformat=%f:%l:%c:\ %m,%-G%.%#

" Format on save. The buffer is replaced only when cmdfix succeeds.
function! s:CmdfixOnSave() abort
  let l:lines = getline(1, '$')
  let l:out = systemlist('cmdfix --stdin-filename ' . shellescape(expand('%:p')) . ' 2>/dev/null', l:lines)
  if v:shell_error == 0 && l:out !=# l:lines
    let l:view = winsaveview()
    call setline(1, l:out)
    if line('$') > len(l:out)
      silent execute (len(l:out) + 1) . ',$delete _'
    endif
    call winrestview(l:view)
  endif
endfunction
augroup cmdfix
  autocmd! * <buffer>
  autocmd BufWritePre <buffer> call s:CmdfixOnSave()
augroup END
