"""Reading documents: files, folders, standard input, URLs and their formats, and the ledger of what is loaded."""
