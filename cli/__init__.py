"""`cchc`, the command line (`cli.main`): a shared helper (`cli.shared`) and command modules by
subject, each importing only the helper."""
