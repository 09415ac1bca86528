"""Reading what comes from outside the engine: the secretariat's spreadsheets (.xlsx, .csv)."""
