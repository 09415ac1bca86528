"""The units' pages and the secretariat's review (`cchc web`): a FastAPI app over the same
application and use cases as the command line. Nothing imports this package."""
