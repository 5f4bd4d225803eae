"""Sample bank statements (camt.053 and camt.054 files in several banks' layouts, and bad inputs) and
`build`, which writes small camt documents for the tests."""
