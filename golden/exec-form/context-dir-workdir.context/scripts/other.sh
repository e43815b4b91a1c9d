echo ignored
